/** Turns an imported plugin module into the list of components it declares. */
import { z } from 'zod';
import { BrainsmithError } from '../errors.js';
import { declaredOf } from './define.js';
import type { ComponentMeta, Declared } from './types.js';

export interface ExtractedComponent {
  meta: ComponentMeta;
  declared: Declared;
}

const DATA_KEYS = [
  'description', 'author', 'version', 'tags', 'docs', 'overrides', 'stage', 'examples',
  'kernel', 'language', 'domain', 'inferFrom', 'attributes',
] as const;
/** Every hook a component may have, in the order `plugins info` lists them (kernel, then backend hooks). */
const HOOKS = [
  'setup', 'teardown', 'apply', 'run',
  'execute', 'inferShapes', 'inferDatatypes', 'parallelism', 'cycles', 'streamWidths', 'opAndParamCounts', 'streamBehaviour',
  'isViable', 'isDefault', 'estimate', 'synthEstimate', 'generate',
];

function optionsJsonSchema(schema: unknown): unknown {
  if (!(schema instanceof z.ZodType)) return undefined;
  try {
    return z.toJSONSchema(schema, { unrepresentable: 'any' });
  } catch {
    return { description: 'options schema that JSON schema cannot represent' };
  }
}

/** The plain-data view of a declaration, for the cache and for listing. */
export function metaOf(d: Declared, exportName: string): ComponentMeta {
  const decl = d.declaration as unknown as Record<string, unknown>;
  const meta: ComponentMeta = { kind: d.kind, name: decl.name as string, exportName };
  if (d.site.line) meta.line = d.site.line;
  const m = meta as unknown as Record<string, unknown>;
  for (const k of DATA_KEYS) if (decl[k] !== undefined) m[k] = decl[k];
  const opts = optionsJsonSchema(decl.options);
  if (opts !== undefined) meta.optionsSchema = opts;
  const holder = d.cls ? (d.cls.prototype as Record<string, unknown>) : decl;
  const hooks = HOOKS.filter((h) => typeof holder[h] === 'function');
  if (hooks.length) meta.hooks = hooks;
  return meta;
}

/**
 * Every declared component among a module's exports. A default export that is not a declaration is an
 * export-shape error (the usual cause: a plain object without defineTransform); other named exports may
 * be helpers and are ignored. A module that declares nothing is an error too.
 */
export function extractComponents(mod: Record<string, unknown>, file: string): ExtractedComponent[] {
  const out: ExtractedComponent[] = [];
  const seen = new Set<Declared>();
  const add = (value: unknown, exportName: string): boolean => {
    const d = declaredOf(value);
    if (!d) return false;
    if (!seen.has(d)) {
      seen.add(d);
      out.push({ meta: metaOf(d, exportName), declared: d });
    }
    return true;
  };
  for (const [key, value] of Object.entries(mod)) {
    if (Array.isArray(value)) {
      value.forEach((v, i) => add(v, `${key}[${i}]`));
      continue;
    }
    if (!add(value, key) && key === 'default' && value !== undefined) {
      throw new BrainsmithError(
        'E_PLUGIN_EXPORT',
        `${file}: the default export is not a declared component (wrap it in defineTransform/defineKernel/defineBackend/defineStep, or decorate the class with @transform & co.)`,
        { file },
      );
    }
  }
  if (out.length === 0) {
    throw new BrainsmithError('E_PLUGIN_EXPORT', `${file}: exports no component (expected e.g. export default defineTransform({...}))`, { file });
  }
  return out;
}

/** Finds the declaration behind `exportName` in a freshly imported module. */
export function findExport(mod: Record<string, unknown>, exportName: string): Declared | undefined {
  const arr = /^(.*)\[(\d+)\]$/.exec(exportName);
  const value = arr ? (mod[arr[1]!] as unknown[] | undefined)?.[Number(arr[2])] : mod[exportName];
  return declaredOf(value);
}
