/**
 * Module-loader hook (run by Node's `module.register` in the loader thread). It maps the bare specifier
 * `brainsmith` (and its entry points `brainsmith/kernel`, `brainsmith/rewrite`, `brainsmith/host`) to the
 * running compiler, so a plugin file anywhere on disk imports the very module instances the host uses, with
 * no node_modules beside it. It also makes TypeScript files ES modules: outside a
 * package with `"type": "module"` Node would otherwise call them CommonJS.
 */
interface HookData {
  /** Entry point URLs by subpath: '' for `brainsmith`, 'kernel' for `brainsmith/kernel`, … */
  targets: Record<string, string>;
}
interface ResolveResult {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context: unknown) => Promise<ResolveResult>;

let targets: Record<string, string> = {};

export function initialize(data: HookData): void {
  targets = data.targets;
}

export async function resolve(specifier: string, context: unknown, next: NextResolve): Promise<ResolveResult> {
  const m = /^brainsmith(?:\/(\w+))?$/.exec(specifier);
  const url = m ? targets[m[1] ?? ''] : undefined;
  if (url) return { url, format: 'module', shortCircuit: true };
  const r = await next(specifier, context);
  const isPluginEntry = r.url.includes('?bsplugin=');
  const isTs = /\.m?ts(\?|$)/.test(r.url) && !r.url.includes('/node_modules/');
  if ((isPluginEntry || isTs) && r.format !== 'module' && /^file:/.test(r.url)) return { ...r, format: 'module' };
  return r;
}
