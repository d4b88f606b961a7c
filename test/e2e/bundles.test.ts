import { readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { describe, expect, test } from 'vitest';
import { MAX_BUNDLE_BYTES } from '../../scripts/build';
import { bundlePath, CLOUDS, type Cloud, CONTRACT, FUNCTIONS, loadBundle } from './harness';

/**
 * Text each vendor SDK cannot do without: its request-signing algorithm, its API domain, its package's
 * name (as the SDK spells it in its user agent or module ids). Each bundle must hold its own cloud's
 * markers (which proves the markers mean something) and none of the others'.
 */
const SDK_MARKERS: Readonly<Record<Cloud, readonly string[]>> = {
  alibaba: ['ACS3-HMAC-SHA256', 'aliyuncs.com', '@alicloud/'],
  tencent: ['TC3-HMAC-SHA256', 'tencentcloudapi.com', 'X-TC-Action'],
  huawei: ['SDK-HMAC-SHA256', 'myhuaweicloud.com', 'huaweicloud'],
};

/**
 * Packages a bundle may still require at run time: better-sqlite3, a native module left out on purpose
 * (scripts/build.ts), and two optional requires the SDKs' dependencies wrap in try/catch (debug's
 * supports-color, node-fetch's encoding). Anything else would be missing on the platform.
 */
const RUNTIME_REQUIRES = new Set(['better-sqlite3', 'supports-color', 'encoding']);
const isBuiltin = (name: string) => name.startsWith('node:') || builtinModules.includes(name);

describe.each(CLOUDS)('%s bundles', (cloud) => {
  test.each(FUNCTIONS)('%s: exports only its contract handler, holds only its own SDK, ≤ 1.5 MB', (fn) => {
    const path = bundlePath(cloud, fn);
    const exports = loadBundle(cloud, fn);
    expect(Object.keys(exports)).toEqual([CONTRACT[cloud]]);
    expect(typeof exports[CONTRACT[cloud]]).toBe('function');

    const text = readFileSync(path, 'utf8');
    for (const marker of SDK_MARKERS[cloud]) expect(text, `${marker} in ${cloud}/${fn}`).toContain(marker);
    for (const other of CLOUDS.filter((c) => c !== cloud))
      for (const marker of SDK_MARKERS[other])
        expect(text, `${other}'s ${marker} in ${cloud}/${fn}`).not.toContain(marker);

    expect(statSync(path).size).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);

    const required = new Set([...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1] as string));
    const packages = [...required].filter((name) => !isBuiltin(name));
    expect(packages.filter((name) => !RUNTIME_REQUIRES.has(name))).toEqual([]);
  });
});
