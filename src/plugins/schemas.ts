/**
 * The zod schemas for everything a plugin author writes: component metadata, the plugin manifest and the
 * `plugins` section of the project config. Objects are strict, so a misspelt key is an error, never
 * silently dropped.
 */
import semver from 'semver';
import { z } from 'zod';

export const COMPONENT_KINDS = ['transform', 'kernel', 'backend', 'step'] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

/** Pipeline stages, in the order the pipeline runs them. */
export const STAGES = ['cleanup', 'topology', 'kernel_mapping', 'optimization'] as const;
export type Stage = (typeof STAGES)[number];

/** Longer names some users know from other tools; accepted and normalized to the short stage. */
export const STAGE_ALIASES: Readonly<Record<string, Stage>> = {
  graph_cleanup: 'cleanup',
  topology_optimization: 'topology',
  // Folding (SetFolding) and FIFO sizing both run after kernel mapping, in `optimization`.
  kernel_optimization: 'optimization',
  graph_optimization: 'optimization',
};

export const LANGUAGES = ['hls', 'rtl'] as const;
export type BackendLanguage = (typeof LANGUAGES)[number];

export const CAPABILITIES = ['events:publish', 'events:subscribe', 'services', 'fs:write', 'process:spawn'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Resolves a stage or alias; undefined when unknown. */
export function normalizeStage(s: string): Stage | undefined {
  if ((STAGES as readonly string[]).includes(s)) return s as Stage;
  return STAGE_ALIASES[s];
}

/** The method each kind must provide. */
export const REQUIRED_METHOD: Readonly<Record<ComponentKind, string | undefined>> = {
  transform: 'apply',
  kernel: undefined,
  backend: undefined,
  step: 'run',
};

/** Namespaces the host owns: a manifest may not claim them. */
export const RESERVED_IDS: ReadonlySet<string> = new Set(['brainsmith', 'project', 'user', 'env', 'code']);

let built: ReturnType<typeof buildSchemas> | undefined;

/**
 * The schemas, built on first use: a command that runs only the bundle's built-ins (validated when the
 * bundle was built) and reads no manifest or config file needs none, and building them cost 10 ms a start.
 */
export function pluginSchemas(): ReturnType<typeof buildSchemas> {
  return (built ??= buildSchemas());
}

function buildSchemas() {
  const stageSchema = z.string().transform((s, ctx) => {
    const st = normalizeStage(s);
    if (!st) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown stage '${s}': expected one of ${STAGES.join(', ')} (or ${Object.keys(STAGE_ALIASES).join(', ')})`,
      });
      return z.NEVER;
    }
    return st;
  });

  /** Short names are identifiers so that `reg.transforms.Name` works; ':' is reserved for qualification. */
  const nameSchema = z
    .string({ error: 'name is required' })
    .min(1, 'name must not be empty')
    .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'name must start with a letter or _ and use only letters, digits, _ . -');

  const qualifiedNameSchema = z.string().regex(/^[^:\s]+:[^:\s]+$/, "expected 'namespace:name'");
  const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', 'expected a function');
  const zodSchema = z.custom<z.ZodType>((v) => v instanceof z.ZodType, 'expected a zod schema (import { z } from "brainsmith")');

  /** Fields every kind shares. Hooks are optional functions; everything else is data that gets cached. */
  const common = {
    name: nameSchema,
    description: z.string().optional(),
    author: z.string().optional(),
    version: z.string().optional(),
    tags: z.array(z.string()).optional(),
    docs: z.string().optional(),
    /** Declares that this component intentionally replaces another one with the same short name. */
    overrides: qualifiedNameSchema.optional(),
    options: zodSchema.optional(),
    setup: fn.optional(),
    teardown: fn.optional(),
  };

  const attributeSpec = z.strictObject({
    type: z.enum(['int', 'float', 'string', 'ints', 'floats', 'strings', 'tensor']),
    default: z.unknown().optional(),
    description: z.string().optional(),
  });

  /** Data fields per kind (no behaviour): what decorators take and what the cache stores. */
  const transformFields = { ...common, stage: stageSchema, examples: z.array(z.string()).optional() };
  const kernelFields = {
    ...common,
    domain: z.string().optional(),
    /** ONNX op types this kernel can replace; the inference rule is `infer`. */
    inferFrom: z.array(z.string()).optional(),
    attributes: z.record(z.string(), attributeSpec).optional(),
  };
  const backendFields = { ...common, kernel: z.string().min(1, 'kernel must not be empty'), language: z.enum(LANGUAGES) };
  const stepFields = { ...common };

  /** Full declarations for the define* form: data plus behaviour. */
  const transformDeclarationSchema = z.strictObject({ ...transformFields, apply: fn });
  const kernelDeclarationSchema = z.strictObject({
    ...kernelFields,
    attributeSchema: zodSchema.optional(),
    execute: fn.optional(),
    cycles: fn.optional(),
    inferShapes: fn.optional(),
    inferDatatypes: fn.optional(),
    parallelism: fn.optional(),
    opAndParamCounts: fn.optional(),
    streamWidths: fn.optional(),
    streamBehaviour: fn.optional(),
  });
  const backendDeclarationSchema = z.strictObject({
    ...backendFields,
    attributeSchema: zodSchema.optional(),
    isViable: fn.optional(),
    isDefault: fn.optional(),
    cycles: fn.optional(),
    parallelism: fn.optional(),
    streamWidths: fn.optional(),
    streamBehaviour: fn.optional(),
    estimate: fn.optional(),
    synthEstimate: fn.optional(),
    generate: fn.optional(),
  });
  const stepDeclarationSchema = z.strictObject({ ...stepFields, run: fn });

  /** Metadata for the decorator form: the behaviour comes from the class's methods. */
  const decoratorSchemas = {
    transform: z.strictObject(transformFields),
    kernel: z.strictObject(kernelFields),
    backend: z.strictObject(backendFields),
    step: z.strictObject(stepFields),
  } as const;

  const declarationSchemas = {
    transform: transformDeclarationSchema,
    kernel: kernelDeclarationSchema,
    backend: backendDeclarationSchema,
    step: stepDeclarationSchema,
  } as const;

  const semverRange = z.string().min(1).refine((r) => semver.validRange(r) !== null, { message: 'is not a semver range (e.g. ^1.2.0, >=0.1.0 <1)' });
  const semverVersion = z.string().refine((v) => semver.valid(v) !== null, { message: 'is not a semver version (e.g. 1.2.0)' });
  /** `brainsmith-plugin.json`, and the `brainsmith` field of an npm package.json. */
  const manifestSchema = z.strictObject({
    $schema: z.string().optional(),
    id: z
      .string()
      .regex(/^[a-z0-9@][a-z0-9._/@-]*$/i, 'id must be a simple name (letters, digits, . _ - / @)')
      .refine((id) => !RESERVED_IDS.has(id.toLowerCase()), { message: `id is reserved (${[...RESERVED_IDS].join(', ')} belong to brainsmith)` })
      .optional(),
    name: z.string().optional(),
    version: semverVersion.optional(),
    description: z.string().optional(),
    brainsmith: semverRange.optional(),
    requires: z.record(z.string(), semverRange).optional(),
    capabilities: z.array(z.enum(CAPABILITIES)).optional(),
    modules: z.array(z.string().min(1)).optional(),
    enabled: z.boolean().optional(),
    eager: z.boolean().optional(),
  });

  /** The `plugins` section of `brainsmith.config.json`; other sections belong to other parts of the compiler. */
  const pluginConfigSchema = z.strictObject({
    /** Extra plugin folders (relative to the config file). */
    paths: z.array(z.string().min(1)).optional(),
    /** Capabilities granted, per plugin id (or namespace). */
    capabilities: z.record(z.string(), z.array(z.enum(CAPABILITIES))).optional(),
    /** Plugin ids to skip. */
    disabled: z.array(z.string()).optional(),
    /** Fail when any plugin fails to load, not only when a broken one is used. */
    strict: z.boolean().optional(),
  });
  return { declarationSchemas, decoratorSchemas, manifestSchema, pluginConfigSchema };
}

export type PluginManifest = z.infer<ReturnType<typeof buildSchemas>['manifestSchema']>;
export type PluginConfig = z.infer<ReturnType<typeof buildSchemas>['pluginConfigSchema']>;

/** One line per issue: `field: message`, joined with '; '. */
export function formatZodError(err: z.ZodError): string {
  return err.issues
    .map((i) => {
      const at = i.path.length ? `${i.path.join('.')}: ` : '';
      let msg = i.message;
      if (i.code === 'unrecognized_keys') msg = `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `'${k}'`).join(', ')}`;
      if (i.code === 'invalid_type' && i.input === undefined) msg = 'is required';
      return `${at}${msg}`;
    })
    .join('; ');
}
