/**
 * The blueprint format: what a user writes in blueprint.yaml/json. Strict objects, so a misspelt key is an
 * error naming its path rather than being ignored.
 */
import { z } from 'zod';
import { STAGES, STAGE_ALIASES, normalizeStage, type Stage } from '../plugins/schemas.js';

const transformName = z.string().min(1, 'a transform name must not be empty');

/** One transform of a stage: a bare name, or a name with options and fixpoint repetition. */
export const transformRefSchema = z.union([
  transformName,
  z.strictObject({
    name: transformName,
    options: z.record(z.string(), z.unknown()).optional(),
    /** true: repeat until it reports no change (bounded); a number: at most that many applications. */
    repeat: z.union([z.boolean(), z.number().int().min(1).max(10_000)]).optional(),
    /** Skipped with a warning when the component is missing or its plugin failed to load. */
    optional: z.boolean().optional(),
    /** Used instead when the component is missing or its plugin failed to load. */
    fallback: transformName.optional(),
  }),
]);
export type TransformRef = z.infer<typeof transformRefSchema>;

const stepBody = { step: z.string().min(1), options: z.record(z.string(), z.unknown()).optional() };

/**
 * Edits of the stage lists (through `extends` too): insert a transform or step before/after an anchor,
 * replace one, or remove one. `step:` is the older spelling of `insert:` for Step plugins.
 */
export const stepEditSchema = z.union([
  z.strictObject({ before: transformName, insert: transformRefSchema }),
  z.strictObject({ after: transformName, insert: transformRefSchema }),
  z.strictObject({ replace: transformName, with: transformRefSchema }),
  z.strictObject({ before: transformName, ...stepBody }),
  z.strictObject({ after: transformName, ...stepBody }),
  z.strictObject({ replace: transformName, ...stepBody }),
  z.strictObject({ remove: transformName }),
]);
export type StepEdit = z.infer<typeof stepEditSchema>;

const stageKeys = [...STAGES, ...Object.keys(STAGE_ALIASES)] as const;

export const stagesSchema = z
  .record(z.string(), z.array(transformRefSchema))
  .superRefine((rec, ctx) => {
    for (const k of Object.keys(rec)) {
      if (!normalizeStage(k)) ctx.addIssue({ code: 'custom', path: [k], message: `unknown stage '${k}': expected one of ${stageKeys.join(', ')}` });
    }
  });

export const targetSchema = z.strictObject({
  board: z.string().min(1).optional(),
  part: z.string().min(1).optional(),
  clock_ns: z.number().positive().optional(),
  target_fps: z.number().positive().optional(),
  /** A FINN folding config, relative to the blueprint file; overrides target_fps as in FINN. */
  folding_config: z.string().min(1).optional(),
  /** Backend preference for every kernel (`${prefer}`, --prefer). */
  prefer: z.enum(['rtl', 'hls']).optional(),
});

export const verifySchema = z.strictObject({
  /** Relative and absolute tolerance for float outputs; integer outputs are compared exactly. */
  rtol: z.number().min(0).optional(),
  atol: z.number().min(0).optional(),
  /** Fraction of output elements allowed outside tolerance (e.g. threshold ties after float rounding). */
  max_mismatch_fraction: z.number().min(0).max(1).optional(),
  /** .npy files, one per graph input, relative to the blueprint file. */
  inputs: z.array(z.string().min(1)).optional(),
  /** Seed of the random inputs used when no input files are given. */
  seed: z.number().int().optional(),
  /** How many random samples to run when no input files are given (default 20: one sample can miss a small weight change). */
  samples: z.number().int().min(1).max(10_000).optional(),
  /** Range of random values for float inputs without a datatype annotation. */
  float_range: z.tuple([z.number(), z.number()]).optional(),
});

export const blueprintSchema = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  /** A blueprint file (relative to this one) or a built-in blueprint name, e.g. `default`. */
  extends: z.string().min(1).optional(),
  /**
   * A blueprint (file or built-in name) the compile also runs on the same model and target, without writing
   * its build, to report what this one gains over it (LUT, BRAM, DSP, fps): `optimized` names `default`.
   */
  baseline: z.string().min(1).optional(),
  stages: stagesSchema.optional(),
  steps: z.array(stepEditSchema).optional(),
  /**
   * Options by transform (or step) name, laid over every place the plan runs it, e.g.
   * `options: { SetFolding: { mvau_wwidth_max: 64 } }`: one setting changed without listing the stage again.
   */
  options: z.record(transformName, z.record(z.string(), z.unknown())).optional(),
  target: targetSchema.optional(),
  verify: verifySchema.optional(),
});
export type BlueprintFile = z.infer<typeof blueprintSchema>;

export type VerifySettings = z.infer<typeof verifySchema>;
export type TargetSettings = z.infer<typeof targetSchema>;

/** A blueprint after `extends` is resolved: stage keys normalized, every stage present. */
export interface Blueprint {
  name: string;
  description?: string;
  /** The blueprint to compare against, resolved to a file or built-in name (`baseline:`). */
  baseline?: { ref: string; from: string };
  /** The files it was read from, most derived first (for messages). */
  files: string[];
  stages: Record<Stage, StageEntry[]>;
  steps: StepEditAt[];
  /** `options:` overlays, base blueprint first (a later one wins key by key). */
  options: OptionsAt[];
  target: TargetSettings;
  verify: VerifySettings;
}

/** A stage entry with where it was written, so that later errors can name the file and path. */
export interface StageEntry {
  ref: TransformRef;
  file: string;
  path: string;
}

export interface OptionsAt {
  name: string;
  values: Record<string, unknown>;
  file: string;
  path: string;
}

export interface StepEditAt {
  edit: StepEdit;
  file: string;
  path: string;
}
