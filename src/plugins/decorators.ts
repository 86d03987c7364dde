/**
 * The decorator form: `@transform({ name, stage }) export class X { apply(model, ctx) {...} }`.
 * Works with standard (TC39) decorators and with TypeScript's `experimentalDecorators`, since both call a
 * class decorator with the class first. The class is instantiated (no arguments) when the component loads.
 */
import { BrainsmithError } from '../errors.js';
import { DECLARED, validateDeclaration } from './define.js';
import { REQUIRED_METHOD, type ComponentKind } from './schemas.js';
import { callerSite, formatSite } from './site.js';
import type { BackendDeclaration, CommonMeta, Declared, DeclarationOf, KernelDeclaration, TransformDeclaration } from './types.js';

type Ctor = new () => object;
type ClassDecorator = <C extends Ctor>(cls: C, context?: unknown) => C;

/** Metadata only: behaviour comes from the class methods. */
export type TransformMeta = Omit<TransformDeclaration, 'apply' | 'setup' | 'teardown'>;
export type KernelMeta = Omit<KernelDeclaration, 'execute' | 'inferShapes' | 'inferDatatypes' | 'parallelism' | 'cycles' | 'streamWidths' | 'opAndParamCounts' | 'streamBehaviour' | 'setup' | 'teardown'>;
export type BackendMeta = Omit<BackendDeclaration, 'isViable' | 'isDefault' | 'cycles' | 'parallelism' | 'streamWidths' | 'streamBehaviour' | 'estimate' | 'synthEstimate' | 'generate' | 'setup' | 'teardown'>;
export type StepMeta = Omit<CommonMeta, 'setup' | 'teardown'>;

function decorator(kind: ComponentKind, meta: object): ClassDecorator {
  // The site of the `@transform(...)` call is the declaration line.
  const site = callerSite();
  const data = validateDeclaration(kind, meta, site, true);
  return <C extends Ctor>(cls: C): C => {
    if (typeof cls !== 'function') {
      throw new BrainsmithError('E_PLUGIN_EXPORT', `@${kind} at ${formatSite(site)} must decorate a class`, { file: site.file });
    }
    const method = REQUIRED_METHOD[kind];
    if (method && typeof (cls.prototype as Record<string, unknown>)[method] !== 'function') {
      throw new BrainsmithError(
        'E_PLUGIN_EXPORT',
        `@${kind} '${(data as { name: string }).name}' at ${formatSite(site)}: class ${cls.name} has no ${method}() method`,
        { file: site.file },
      );
    }
    const declared: Declared = { kind, declaration: data as DeclarationOf<typeof kind>, site, cls };
    Object.defineProperty(cls, DECLARED, { value: declared, enumerable: false });
    return cls;
  };
}

export function transform(meta: TransformMeta): ClassDecorator {
  return decorator('transform', meta);
}
export function kernel(meta: KernelMeta): ClassDecorator {
  return decorator('kernel', meta);
}
export function backend(meta: BackendMeta): ClassDecorator {
  return decorator('backend', meta);
}
export function step(meta: StepMeta): ClassDecorator {
  return decorator('step', meta);
}
