import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadSeed } from '../../sandbox/seeds';
import { executeRequest } from '../../shared/engine/execute';
import {
  OPERATION_NAMES,
  type OperationName,
  PROVIDERS,
  parseRequest,
  REQUEST_SCHEMAS,
} from '../../shared/requests';
import { sandboxOptions } from '../helpers/engine';
import { useSandbox } from '../helpers/sandbox';

/**
 * Property tests of the request schemas: every input the vendor API pages (docs/sources.md, Vendor API pages)
 * allow is accepted unchanged, every input they forbid is rejected naming the offending field, and a rejected
 * input never reaches a cloud.
 */

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = [...UPPER, ...UPPER.toLowerCase(), ...'0123456789'];
const DIGITS = [...'0123456789'];

/** A string of `min..max` characters drawn from `chars`; the length is drawn first, so both bounds come up. */
const stringOf = (chars: readonly string[], min: number, max: number) =>
  fc
    .integer({ min, max })
    .chain((n) => fc.string({ unit: fc.constantFrom(...chars), minLength: n, maxLength: n }));
const prefixed = (prefix: string, chars: readonly string[], min: number, max: number) =>
  stringOf(chars, min, max).map((s) => `${prefix}${s}`);

/**
 * Characters that some field forbids: every ASCII character that is not a letter or digit (controls, space,
 * punctuation), and non-ASCII ones a user might paste (look-alikes, invisible, non-BMP, a lone surrogate).
 * Each field's allowed characters are filtered out before use.
 */
const FORBIDDEN_SAMPLES: readonly string[] = [
  ...Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)).filter((c) => !/[A-Za-z0-9]/.test(c)),
  '\u0080', // C1 control
  '\u200b', // zero-width space
  '\u00a0', // no-break space
  '\u2010', // Unicode hyphen
  '\u2212', // minus sign
  '\uff0d', // fullwidth hyphen-minus
  '\uff21', // fullwidth A
  '\u0430', // Cyrillic a
  '\u0661', // Arabic-Indic digit one
  '\ufeff', // byte order mark
  '\ud800', // lone surrogate
  'é',
  'ß',
  '中',
  '😀',
];

const forbiddenChar = (allowed: readonly string[]) =>
  fc
    .oneof(fc.constantFrom(...FORBIDDEN_SAMPLES), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }))
    .filter((c) => !allowed.includes(c));

/** `s` with `bad` inserted at position `at` (modulo its length), cut so the result stays within `max`. */
function insertAt(s: string, bad: string, at: number, max: number): string {
  const base = s.slice(0, max - bad.length);
  const i = at % (base.length + 1);
  return base.slice(0, i) + bad + base.slice(i);
}

/** A valid string with one forbidden character inserted; still within the length limit. */
const withForbiddenChar = (valid: fc.Arbitrary<string>, allowed: readonly string[], max: number) =>
  fc.tuple(valid, forbiddenChar(allowed), fc.nat()).map(([s, bad, at]) => insertAt(s, bad, at, max));

/** Values of the wrong JSON type for a string field. */
const notAString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);

/** An enum field: exactly its values are allowed; case variants, padding and other strings are not. */
function enumField(values: readonly string[]): FieldSpec {
  return {
    valid: fc.constantFrom(...values),
    invalid: fc
      .oneof(
        fc.constantFrom(...values).map((v) => v.toLowerCase()),
        fc.constantFrom(...values).map((v) => v.toUpperCase()),
        fc.constantFrom(...values).map((v) => ` ${v}`),
        fc.constantFrom(...values).map((v) => `${v}\n`),
        fc.constantFrom('', 'constructor', '__proto__', 'toString'),
        fc.string(),
        notAString,
      )
      .filter((v) => !values.includes(v as string)),
  };
}

/**
 * The id/name rule of the Alibaba RM and Huawei IAM v5 API pages (docs/sources.md): 1..max letters, digits
 * and hyphens.
 */
function nameField(max: number): FieldSpec {
  const chars = [...ALNUM, '-'];
  const valid = stringOf(chars, 1, max);
  return {
    valid,
    charset: { allowed: chars, max },
    invalid: fc.oneof(
      fc.constant(''),
      stringOf(chars, max + 1, max + 40), // too long
      withForbiddenChar(valid, chars, max),
      notAString,
    ),
  };
}

/** A field shaped `^(alternatives)$` by requests.ts: the alternatives, and near misses of each. */
function shapedField(valid: fc.Arbitrary<string>, allowedChars: readonly string[], max: number): FieldSpec {
  return {
    valid,
    charset: { allowed: allowedChars, max },
    invalid: fc.oneof(
      fc.constant(''),
      withForbiddenChar(valid, allowedChars, max),
      valid.map((v) => ` ${v}`),
      valid.map((v) => `${v}\n`),
      notAString,
    ),
  };
}

/** Organization DetachPolicy API page: Integer ids (member uin, department id, policy id), positive. */
const tencentIdField: FieldSpec = {
  valid: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  invalid: fc.oneof(
    fc.integer({ max: 0 }),
    fc.constantFrom(-0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53, 1.5),
    fc.double({ min: 0, max: 1e9, noNaN: true }).filter((n) => !Number.isInteger(n)),
    fc.double({ min: 2 ** 53, max: 1e300, noNaN: true }), // beyond what a JSON integer holds exactly
    fc.maxSafeInteger().map((n) => String(Math.abs(n) || 1)), // numeric string: wrong type
    fc.maxSafeInteger().map((n) => BigInt(Math.abs(n) || 1)),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.nat(), { maxLength: 2 }),
  ),
};

/** Free text of requests.ts's envelope: 1..max characters, any characters. */
function textField(max: number): FieldSpec {
  return {
    valid: fc.string({ unit: 'binary', minLength: 1, maxLength: max }).filter((s) => s.length <= max),
    invalid: fc.oneof(fc.constant(''), fc.string({ minLength: max + 1, maxLength: max + 20 }), notAString),
  };
}

interface FieldSpec {
  valid: fc.Arbitrary<unknown>;
  /** Never `undefined`: absence is tested separately. */
  invalid: fc.Arbitrary<unknown>;
  /** For string fields with a character rule: the allowed characters and the maximum length. */
  charset?: { allowed: readonly string[]; max: number };
}

interface OperationSpec {
  required: Record<string, FieldSpec>;
  optional: Record<string, FieldSpec>;
  /** What parsing adds to a valid input (defaults). */
  defaults?: Record<string, unknown>;
}

const ENVELOPE: Record<string, FieldSpec> = {
  account: textField(64),
  source: textField(256),
  eventId: textField(512),
  dryRun: {
    valid: fc.boolean(),
    invalid: fc.oneof(fc.constantFrom('true', 'false', 0, 1, null), fc.string()),
  },
};

const alibabaPolicyName = nameField(128);
// requests.ts: RAM principals are users (name@alias.onaliyun.com), groups and roles: letters, digits, . _ @ -.
const PRINCIPAL_CHARS = [...ALNUM, '-', '.', '_', '@'];
const principalName = stringOf(PRINCIPAL_CHARS, 1, 128);
const alibabaPrincipal: FieldSpec = {
  valid: principalName,
  charset: { allowed: PRINCIPAL_CHARS, max: 128 },
  invalid: fc.oneof(
    fc.constant(''),
    stringOf(PRINCIPAL_CHARS, 129, 160),
    withForbiddenChar(principalName, PRINCIPAL_CHARS, 128),
    notAString,
  ),
};

const resourceGroupId = fc.oneof(prefixed('rg-', ALNUM, 1, 64), stringOf(DIGITS, 1, 32));
const controlPolicyId = prefixed('cp-', ALNUM, 1, 64);
const controlTargetId = fc.oneof(
  prefixed('r-', ALNUM, 1, 64),
  prefixed('fd-', ALNUM, 1, 64),
  stringOf(DIGITS, 1, 32),
);

const SPECS: Record<OperationName, OperationSpec> = {
  'alibaba/detach-policy': {
    required: {
      resourceGroupId: {
        ...shapedField(resourceGroupId, [...ALNUM, '-'], 67),
        invalid: fc.oneof(
          shapedField(resourceGroupId, [...ALNUM, '-'], 67).invalid,
          fc.constantFrom('rg-', 'RG-abc', 'rg_abc', 'abc', '12a', 'rg--x'),
          prefixed('rg-', ALNUM, 65, 80),
          stringOf(DIGITS, 33, 40),
        ),
      },
      policyType: enumField(['Custom', 'System']),
      policyName: alibabaPolicyName,
      principalType: enumField(['IMSUser', 'IMSGroup', 'ServiceRole']),
      principalName: alibabaPrincipal,
    },
    optional: ENVELOPE,
  },
  'alibaba/detach-control-policy': {
    required: {
      policyId: {
        ...shapedField(controlPolicyId, [...ALNUM, '-'], 67),
        invalid: fc.oneof(
          shapedField(controlPolicyId, [...ALNUM, '-'], 67).invalid,
          fc.constantFrom('cp-', 'CP-abc', 'cp-a-b', 'jExXAqIYkwHN', '123'),
          prefixed('cp-', ALNUM, 65, 80),
        ),
      },
      targetId: {
        ...shapedField(controlTargetId, [...ALNUM, '-'], 67),
        invalid: fc.oneof(
          shapedField(controlTargetId, [...ALNUM, '-'], 67).invalid,
          fc.constantFrom('r-', 'fd-', 'rd-abc', 'fd-a-b', 'cp-abc', '12a'),
          prefixed('fd-', ALNUM, 65, 80),
          stringOf(DIGITS, 33, 40),
        ),
      },
    },
    optional: ENVELOPE,
  },
  'alibaba/delete-policy': {
    required: { policyName: alibabaPolicyName },
    optional: {
      ...ENVELOPE,
      cascade: { valid: fc.boolean(), invalid: fc.oneof(fc.constantFrom('true', 1, null), fc.string()) },
    },
  },
  'tencent/detach-policy': {
    required: {
      policyId: tencentIdField,
      targetId: tencentIdField,
      targetType: enumField(['NODE', 'MEMBER']),
    },
    optional: { ...ENVELOPE, type: enumField(['SERVICE_CONTROL_POLICY', 'TAG_POLICY']) },
    defaults: { type: 'SERVICE_CONTROL_POLICY' },
  },
  'huawei/detach-agency-policy': {
    required: { policyId: nameField(64), agencyId: nameField(64) },
    optional: ENVELOPE,
  },
};

function headOf(name: OperationName) {
  const [provider, operation] = name.split('/') as [string, string];
  return { provider, operation };
}

/** Every valid input of one operation: required fields always, optional ones sometimes. */
function validInput(name: OperationName): fc.Arbitrary<Record<string, unknown>> {
  const spec = SPECS[name];
  const arbs = (fields: Record<string, FieldSpec>) =>
    Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.valid]));
  return fc
    .tuple(fc.record(arbs(spec.required)), fc.record(arbs(spec.optional), { requiredKeys: [] }))
    .map(([required, optional]) => ({ ...headOf(name), ...required, ...optional }));
}

const fieldsOf = (name: OperationName) => [
  ...Object.keys(SPECS[name].required),
  ...Object.keys(SPECS[name].optional),
];

function expectRejected(input: unknown, field: string): void {
  const result = parseRequest(input);
  expect(result).toMatchObject({ ok: false, field });
  if (!result.ok) expect(result.rule.trim()).not.toBe('');
}

describe('request schemas: coverage', () => {
  it('has a property spec for every registered operation and every field of its schema', () => {
    expect(Object.keys(SPECS).sort()).toEqual([...OPERATION_NAMES].sort());
    for (const name of OPERATION_NAMES) {
      const shape = Object.keys(REQUEST_SCHEMAS[name].shape).filter(
        (k) => k !== 'provider' && k !== 'operation',
      );
      expect(fieldsOf(name).sort(), name).toEqual(shape.sort());
    }
  });
});

describe.each(OPERATION_NAMES)('%s', (name) => {
  const spec = SPECS[name];

  it('accepts every input the seed rules allow, unchanged (plus documented defaults)', () => {
    fc.assert(
      fc.property(validInput(name), (input) => {
        const result = parseRequest(input);
        expect(result).toEqual({ ok: true, request: { ...spec.defaults, ...input } });
      }),
    );
  });

  it.each(fieldsOf(name))('rejects a forbidden %s, naming it', (field) => {
    const invalid = (spec.required[field] ?? spec.optional[field])?.invalid as fc.Arbitrary<unknown>;
    fc.assert(
      fc.property(validInput(name), invalid, (input, bad) => {
        expectRejected({ ...input, [field]: bad }, field);
      }),
    );
  });

  const charsetFields = fieldsOf(name).filter((f) => (spec.required[f] ?? spec.optional[f])?.charset);
  it.each(charsetFields)('rejects %s with any forbidden character anywhere in it', (field) => {
    const { valid, charset } = (spec.required[field] ?? spec.optional[field]) as Required<FieldSpec>;
    const forbidden = FORBIDDEN_SAMPLES.filter((c) => !charset.allowed.includes(c));
    fc.assert(
      fc.property(validInput(name), valid as fc.Arbitrary<string>, fc.nat(), (input, good, at) => {
        for (const bad of forbidden)
          expectRejected({ ...input, [field]: insertAt(good, bad, at, charset.max) }, field);
      }),
      { numRuns: 30 },
    );
  });

  it.each(Object.keys(spec.required))('rejects a request without %s, naming it', (field) => {
    fc.assert(
      fc.property(validInput(name), (input) => {
        const { [field]: _, ...rest } = input;
        expectRejected(rest, field);
      }),
    );
  });

  it('rejects any field the operation does not have, naming it', () => {
    const known = new Set(['provider', 'operation', ...fieldsOf(name)]);
    const extraKey = fc.oneof(
      fc.string({ minLength: 1 }),
      fc.constantFrom('__proto__', 'constructor', 'PolicyName', 'policy_id', 'Type', 'accessKeySecret'),
    );
    fc.assert(
      fc.property(
        validInput(name),
        extraKey.filter((k) => !known.has(k)),
        fc.jsonValue(),
        (input, key, value) => {
          // Through JSON, as a CLI or an event would hand it over (a literal `__proto__` key stays a key).
          const json = `${JSON.stringify(input).slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(value ?? null)}}`;
          expectRejected(JSON.parse(json), key);
        },
      ),
    );
  });
});

describe('parseRequest: provider and operation', () => {
  const anyValid = fc.constantFrom(...OPERATION_NAMES).chain(validInput);

  it('rejects a missing or non-string provider or operation, naming it', () => {
    const notString = fc.oneof(notAString, fc.constant(undefined));
    fc.assert(
      fc.property(anyValid, fc.constantFrom('provider', 'operation'), notString, (input, field, bad) => {
        expectRejected({ ...input, [field]: bad }, field);
      }),
    );
  });

  it('rejects an unknown provider as provider, an unknown operation of a known provider as operation', () => {
    fc.assert(
      fc.property(anyValid, fc.string(), (input, other) => {
        fc.pre(!(PROVIDERS as readonly string[]).includes(other));
        expectRejected({ ...input, provider: other }, 'provider');
        fc.pre(!OPERATION_NAMES.includes(`${input.provider}/${other}` as OperationName));
        expectRejected({ ...input, operation: other }, 'operation');
      }),
    );
    // A real operation of another provider is not an operation of this one.
    expectRejected({ provider: 'tencent', operation: 'detach-control-policy', policyId: 1 }, 'operation');
    expectRejected({ provider: 'huawei', operation: 'detach-policy' }, 'operation');
    expectRejected({ provider: 'Alibaba', operation: 'detach-policy' }, 'provider');
  });

  it('rejects anything that is not a request object', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constant(undefined),
          fc.constant(null),
          fc.string(),
          fc.double(),
          fc.boolean(),
          fc.array(fc.jsonValue()),
        ),
        (input) => {
          const result = parseRequest(input);
          expect(result.ok).toBe(false);
          if (!result.ok) {
            expect(result.field).not.toBe('');
            expect(result.rule).not.toBe('');
          }
        },
      ),
    );
    // Objects that are no plain object, however they are shaped.
    const shaped = { provider: 'alibaba', operation: 'detach-policy' };
    for (const input of [
      Object.assign(new Date(), shaped),
      Object.assign(new Map(), shaped),
      Object.assign(() => 1, shaped),
    ])
      expect(parseRequest(input)).toEqual({
        ok: false,
        field: 'provider',
        rule: 'must name a provider and an operation',
      });
  });
});

describe('seed boundaries, spelled out', () => {
  const alibaba = {
    provider: 'alibaba',
    operation: 'detach-policy',
    resourceGroupId: 'rg-aek2prod7xk3q',
    policyType: 'System',
    policyName: 'AdministratorAccess',
    principalType: 'IMSUser',
    principalName: 'mallory@corp.onaliyun.com',
  };
  const tencent = {
    provider: 'tencent',
    operation: 'detach-policy',
    policyId: 100002,
    targetId: 1002,
    targetType: 'NODE',
  };
  const huawei = {
    provider: 'huawei',
    operation: 'detach-agency-policy',
    policyId: 'a5c0e3f1-full-access',
    agencyId: '5b3e0c1f-ci-deployer',
  };

  it('Alibaba PolicyName: 128 characters pass, 129 do not (DetachPolicy and DeletePolicy API pages)', () => {
    expect(parseRequest({ ...alibaba, policyName: 'a'.repeat(128) }).ok).toBe(true);
    expectRejected({ ...alibaba, policyName: 'a'.repeat(129) }, 'policyName');
    expect(
      parseRequest({ provider: 'alibaba', operation: 'delete-policy', policyName: 'a'.repeat(128) }).ok,
    ).toBe(true);
    expectRejected(
      { provider: 'alibaba', operation: 'delete-policy', policyName: 'OSS_Admin' },
      'policyName',
    );
  });

  it('Huawei ids: 64 characters pass, 65 do not (DetachAgencyPolicyV5 API page)', () => {
    expect(parseRequest({ ...huawei, agencyId: 'a'.repeat(64) }).ok).toBe(true);
    expectRejected({ ...huawei, agencyId: 'a'.repeat(65) }, 'agencyId');
    expectRejected({ ...huawei, policyId: 'a5c0e3f1-full-access/../x' }, 'policyId');
  });

  it('Tencent Type defaults to SERVICE_CONTROL_POLICY and keeps TAG_POLICY (DetachPolicy API page)', () => {
    expect(parseRequest(tencent)).toEqual({
      ok: true,
      request: { ...tencent, type: 'SERVICE_CONTROL_POLICY' },
    });
    expect(parseRequest({ ...tencent, type: 'TAG_POLICY' })).toEqual({
      ok: true,
      request: { ...tencent, type: 'TAG_POLICY' },
    });
    expectRejected({ ...tencent, policyId: '100002' }, 'policyId');
    expectRejected({ ...tencent, targetId: 0 }, 'targetId');
    expectRejected({ ...tencent, targetId: 1002.5 }, 'targetId');
  });
});

describe('rejected before any network call', () => {
  const sandbox = useSandbox(() => loadSeed('demo'));
  beforeEach(() => sandbox.current.reset());

  // Each one names something that exists in the demo seed, so executing it would have changed the world.
  const INVALID: readonly unknown[] = [
    {
      provider: 'alibaba',
      operation: 'detach-policy',
      resourceGroupId: 'rg-aek2prod7xk3q',
      policyType: 'System',
      policyName: 'AdministratorAccess\u0000',
      principalType: 'IMSUser',
      principalName: 'mallory@corp.onaliyun.com',
    },
    {
      provider: 'alibaba',
      operation: 'detach-policy',
      resourceGroupId: 'rg-aek2prod7xk3q',
      policyType: 'system',
      policyName: 'AdministratorAccess',
      principalType: 'IMSUser',
      principalName: 'mallory@corp.onaliyun.com',
    },
    {
      provider: 'alibaba',
      operation: 'detach-control-policy',
      policyId: 'cp-AllowAllLab00001',
      targetId: 'fd-Lab 00001',
    },
    { provider: 'alibaba', operation: 'delete-policy', policyName: 'legacy-admin', cascade: 'yes' },
    {
      provider: 'tencent',
      operation: 'detach-policy',
      policyId: '100002',
      targetId: 1002,
      targetType: 'NODE',
    },
    {
      provider: 'tencent',
      operation: 'detach-policy',
      policyId: 100002,
      targetId: 1002,
      targetType: 'NODE',
      Type: 'TAG_POLICY',
    },
    {
      provider: 'huawei',
      operation: 'detach-agency-policy',
      policyId: 'a5c0e3f1-full-access',
      agencyId: '5b3e0c1f-ci-dêployer',
    },
    { provider: 'huawei', operation: 'detach-agency-policy', policyId: 'a5c0e3f1-full-access' },
    { provider: 'aws', operation: 'detach-policy', policyId: 'a5c0e3f1-full-access' },
  ];

  it('an invalid input, parsed then executed as a user would, makes no call and changes nothing', async () => {
    const before = structuredClone(sandbox.current.world);
    for (const input of INVALID) {
      const parsed = parseRequest(input);
      if (parsed.ok) await executeRequest(parsed.request, sandboxOptions(sandbox.current.url));
      expect(parsed.ok, JSON.stringify(input)).toBe(false);
    }
    expect(sandbox.current.calls.totals().total).toBe(0);
    expect(sandbox.current.world).toEqual(before);
  });

  it('the same path with a valid input does reach the sandbox (the counter above can fail)', async () => {
    const parsed = parseRequest({
      provider: 'tencent',
      operation: 'detach-policy',
      policyId: 100002,
      targetId: 1002,
      targetType: 'NODE',
      dryRun: true,
    });
    if (parsed.ok) await executeRequest(parsed.request, sandboxOptions(sandbox.current.url));
    expect(parsed.ok).toBe(true);
    expect(sandbox.current.calls.totals()).toMatchObject({ mutating: 0, applied: 0 });
    expect(sandbox.current.calls.totals().total).toBeGreaterThan(0);
  });
});
