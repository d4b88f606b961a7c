import { describe, expect, it } from 'vitest';
import { ALL_CLOUDS } from '../../../sandbox/clouds';
import { permissionsByCloud } from '../../../scripts/permissions';

const sandboxPermissions = (cloud: string) =>
  (ALL_CLOUDS.find((c) => c.name === cloud)?.dialects ?? []).flatMap((d) =>
    d.apis.map((api) => api.permission),
  );

describe('sandbox permissions', () => {
  // A denial in the sandbox names the action the deployed role grants (scripts/permissions.ts), so a test
  // that denies a key one API sees the same action a real refusal would report.
  it.each(Object.entries(permissionsByCloud()))(
    'every %s permission the providers declare is the permission of one sandbox API',
    (cloud, permissions) => {
      const declared = sandboxPermissions(cloud);
      for (const permission of permissions)
        expect(declared.filter((p) => p === permission)).toEqual([permission]);
    },
  );
});
