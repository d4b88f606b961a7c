import { z } from 'zod';
import { CLOUDS, type Cloud } from './clouds';

/**
 * Fault kinds, each a probability per call:
 * - `5xx`: the cloud's internal/unavailable error; `throttle`: its throttling error;
 * - `busy`: the slow transient state (Alibaba `Invalid.ResourceGroup.Status`, Huawei 409);
 * - `drop`: the connection is reset before the call is applied;
 * - `drop-after`: the call is applied, then the connection is reset (the response is lost);
 * - `hang`: no answer until `hangMs` has passed (past any sane client time-out), then a reset;
 * - `ConcurrentCallNotSupported`: Alibaba Resource Directory refuses a write while another change runs
 *   (named by its vendor code; on any other call it is no fault at all).
 */
export const FAULT_KINDS = [
  '5xx',
  'throttle',
  'busy',
  'drop',
  'drop-after',
  'hang',
  'ConcurrentCallNotSupported',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const probability = z.number().min(0).max(1);

export const faultConfigSchema = z
  .object({
    rates: z.partialRecord(z.enum(FAULT_KINDS), probability).default({}),
    latencyMs: z.tuple([z.number().int().min(0), z.number().int().min(0)]).default([0, 0]),
    hangMs: z.number().int().min(1).default(30_000),
    seed: z.number().int().default(1),
    clouds: z.array(z.enum(CLOUDS)).optional(),
    actions: z.array(z.string()).optional(),
    mutatingOnly: z.boolean().default(false),
  })
  .strict()
  .refine((c) => Object.values(c.rates).reduce((a, b) => a + (b ?? 0), 0) <= 1, {
    message: 'fault rates add up to more than 1',
    path: ['rates'],
  })
  .refine((c) => c.latencyMs[0] <= c.latencyMs[1], {
    message: 'latency min exceeds max',
    path: ['latencyMs'],
  });

export type FaultConfig = z.infer<typeof faultConfigSchema>;
export const NO_FAULTS: FaultConfig = faultConfigSchema.parse({});

/**
 * Parses `--faults` specs such as `5xx=0.1,throttle=0.05,drop=0.02,latency=20-80,seed=7,cloud=tencent,
 * actions=DetachPolicy+AttachPolicy,mutating-only`. Throws with the offending item named.
 */
export function parseFaultSpec(spec: string): FaultConfig {
  const config: Record<string, unknown> = { rates: {} };
  const rates = config.rates as Record<string, number>;
  for (const item of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name = '', value = ''] = item.split('=', 2).map((s) => s.trim());
    if ((FAULT_KINDS as readonly string[]).includes(name)) rates[name] = numberOf(name, value);
    else if (name === 'latency') {
      const [min = '', max = min] = value.split('-');
      config.latencyMs = [numberOf(name, min), numberOf(name, max)];
    } else if (name === 'hang-ms') config.hangMs = numberOf(name, value);
    else if (name === 'seed') config.seed = numberOf(name, value);
    else if (name === 'cloud') config.clouds = value.split('+');
    else if (name === 'actions') config.actions = value.split('+');
    else if (name === 'mutating-only') config.mutatingOnly = true;
    else
      throw new Error(
        `unknown item '${name}' (expected ${[...FAULT_KINDS, 'latency', 'hang-ms', 'seed', 'cloud', 'actions', 'mutating-only'].join(', ')})`,
      );
  }
  const parsed = faultConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.path.join('.') || 'spec'}: ${issue?.message}`);
  }
  return parsed.data;
}

function numberOf(name: string, value: string): number {
  const n = Number(value);
  if (value === '' || !Number.isFinite(n)) throw new Error(`'${name}' needs a number, got '${value}'`);
  return n;
}

export interface FaultDecision {
  kind?: FaultKind;
  latencyMs: number;
}

/** Decides each call's fault from a seeded generator, so a run with the same calls is reproducible. */
export class FaultInjector {
  private random: () => number;

  constructor(private config: FaultConfig = NO_FAULTS) {
    this.random = mulberry32(config.seed);
  }

  get current(): FaultConfig {
    return this.config;
  }

  set(config: FaultConfig): void {
    this.config = config;
    this.random = mulberry32(config.seed);
  }

  decide(cloud: Cloud, action: string, mutating: boolean): FaultDecision {
    const c = this.config;
    if (c.clouds && !c.clouds.includes(cloud)) return { latencyMs: 0 };
    if (c.actions && !c.actions.includes(action)) return { latencyMs: 0 };
    if (c.mutatingOnly && !mutating) return { latencyMs: 0 };
    const [min, max] = c.latencyMs;
    const latencyMs = min === max ? min : Math.round(min + this.random() * (max - min));
    let draw = this.random();
    for (const kind of FAULT_KINDS) {
      draw -= c.rates[kind] ?? 0;
      if (draw < 0) return { kind, latencyMs };
    }
    return { latencyMs };
  }
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
