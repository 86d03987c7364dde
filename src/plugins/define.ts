/**
 * The define form: `export default defineTransform({...})`. Metadata is validated here, at declaration
 * time, so a bad stage or a misspelt key fails with the file and line of the declaration.
 */
import { isDeepStrictEqual } from 'node:util';
import { BrainsmithError } from '../errors.js';
import { formatZodError, pluginSchemas, type ComponentKind } from './schemas.js';
import { declarationOrigin, formatSite } from './site.js';
import type {
  BackendDeclaration,
  Declared,
  DeclarationOf,
  DeclarationSite,
  KernelDeclaration,
  StepDeclaration,
  TransformDeclaration,
} from './types.js';

/** Marks declared components. A registered symbol, so two copies of the package still recognise each other. */
export const DECLARED = Symbol.for('brainsmith.plugin.declared');

export type Marked<T> = Readonly<T> & { readonly [DECLARED]: Declared };

/** Validates `decl` against the schema of `kind`; throws E_PLUGIN_METADATA naming the site. */
export function validateDeclaration<K extends ComponentKind>(kind: K, decl: unknown, site: DeclarationSite, decorator = false): DeclarationOf<K> {
  const r = (decorator ? pluginSchemas().decoratorSchemas[kind] : pluginSchemas().declarationSchemas[kind]).safeParse(decl);
  if (!r.success) {
    const name = typeof (decl as { name?: unknown })?.name === 'string' ? ` '${(decl as { name: string }).name}'` : '';
    throw new BrainsmithError('E_PLUGIN_METADATA', `invalid ${kind}${name} at ${formatSite(site)}: ${formatZodError(r.error)}`, {
      file: site.file,
    });
  }
  return r.data as DeclarationOf<K>;
}

/** Set by scripts/bundle.mjs while it checks the bundle's built-in declarations. */
export const CHECK_BUNDLED = 'BRAINSMITH_CHECK_BUNDLED_DECLARATIONS';

/** Validation must not change a bundled built-in's declaration, since the bundle skips it at run time. */
function assertNormalForm(kind: ComponentKind, decl: object, data: object): void {
  for (const [k, v] of Object.entries(data)) {
    if (!isDeepStrictEqual(v, (decl as Record<string, unknown>)[k])) {
      throw new BrainsmithError('E_PLUGIN_METADATA', `built-in ${kind} '${String((decl as { name?: unknown }).name)}': validation changes '${k}'; write it in normal form (the bundle does not validate built-ins)`);
    }
  }
}

function define<K extends ComponentKind>(kind: K, decl: DeclarationOf<K>): Marked<DeclarationOf<K>> {
  const { site, bundled } = declarationOrigin();
  // A built-in declared inside the bundle was validated, and found in normal form, when the bundle was
  // built (scripts/bundle.mjs runs every built-in's declaration through here with CHECK_BUNDLED set):
  // parsing some 180 declarations with zod at every start cost 20 ms.
  const data = bundled && !process.env[CHECK_BUNDLED] ? decl : validateDeclaration(kind, decl, site);
  if (bundled && process.env[CHECK_BUNDLED]) assertNormalForm(kind, decl, data);
  // Keep the author's object (its methods may use `this`), with normalized fields (e.g. stage aliases).
  const out = Object.assign(Object.create(Object.getPrototypeOf(decl) as object) as object, decl, data) as DeclarationOf<K>;
  const declared: Declared<K> = { kind, declaration: out, site };
  Object.defineProperty(out, DECLARED, { value: declared, enumerable: false });
  return Object.freeze(out) as Marked<DeclarationOf<K>>;
}

export function defineTransform<O = Record<string, unknown>>(decl: TransformDeclaration<O>): Marked<TransformDeclaration<O>> {
  return define('transform', decl as unknown as TransformDeclaration) as unknown as Marked<TransformDeclaration<O>>;
}
export function defineKernel<O = Record<string, unknown>>(decl: KernelDeclaration<O>): Marked<KernelDeclaration<O>> {
  return define('kernel', decl as unknown as KernelDeclaration) as unknown as Marked<KernelDeclaration<O>>;
}
export function defineBackend<O = Record<string, unknown>>(decl: BackendDeclaration<O>): Marked<BackendDeclaration<O>> {
  return define('backend', decl as unknown as BackendDeclaration) as unknown as Marked<BackendDeclaration<O>>;
}
export function defineStep<O = Record<string, unknown>>(decl: StepDeclaration<O>): Marked<StepDeclaration<O>> {
  return define('step', decl as unknown as StepDeclaration) as unknown as Marked<StepDeclaration<O>>;
}

/** The declaration carried by an exported value, if it is one. */
export function declaredOf(value: unknown): Declared | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  const d = (value as { [DECLARED]?: Declared })[DECLARED];
  return d && typeof d === 'object' && typeof d.kind === 'string' ? d : undefined;
}
