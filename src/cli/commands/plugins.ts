/** `brainsmith plugins list | add <dir> | remove <dir> | info <name> | new <name> | check [targets..] | watch [paths..]`. */
import { BrainsmithError } from '../../errors.js';
import type { Argv } from 'yargs';
import { defineCommand, defineCommandGroup, type CommandContext } from '../command.js';
import type { Registry } from '../../plugins/registry.js';
import { failedNote, openCliRegistry, textTable } from './plugin-cli.js';
import { watchSub } from './plugins-watch.js';

type Kind = 'transform' | 'kernel' | 'backend' | 'step';

interface PluginsArgs {
  dir?: string;
  name?: string;
  targets?: string[];
  kind?: Kind;
  all?: boolean;
  strict?: boolean;
  json?: boolean;
  strictPlugins?: boolean;
  watch?: boolean;
}

async function list(args: PluginsArgs, ctx: CommandContext): Promise<void> {
  const reg = await openCliRegistry(ctx.log, { strict: args.strictPlugins });
  const counts = reg.counts();
  if (args.json) {
    ctx.outJson({
      projectDir: reg.projectDir,
      sources: reg.sources,
      plugins: reg.plugins.map((p) => ({
        id: p.id,
        namespace: p.namespace,
        source: p.source,
        version: p.version,
        status: p.status,
        reason: p.reason,
        root: p.root,
        files: p.files,
        components: p.components.map((c) => c.qualifiedName),
        capabilities: [...p.granted],
      })),
      counts,
      diagnostics: reg.diagnostics,
    });
    return;
  }
  const lines = ['Sources (highest priority first):'];
  lines.push(textTable(reg.sources.map((s) => [s.kind, s.path, s.exists ? '' : '(missing)'])));
  lines.push('', 'Plugins:');
  const statusText = (p: Registry['plugins'][number]): string => (p.status === 'ok' ? 'ok' : p.status === 'disabled' ? 'disabled' : p.status === 'unmet' ? `unmet dependency: ${p.reason}` : `failed: ${p.reason}`);
  lines.push(
    textTable([
      ['ID', 'SOURCE', 'VERSION', 'COMPONENTS', 'STATUS'],
      ...reg.plugins.map((p) => [p.id, p.source, p.version ?? '-', String(p.components.length), statusText(p)]),
    ]),
  );
  lines.push('', `${counts.transform} transforms, ${counts.kernel} kernels, ${counts.backend} backends, ${counts.step} steps from ${reg.plugins.length} plugins`);
  ctx.out(lines.join('\n'));
}

async function addOrRemove(args: PluginsArgs, ctx: CommandContext, adding: boolean): Promise<void> {
  const path = await import('node:path');
  const { existsSync, statSync } = await import('node:fs');
  const { findProjectDir, readProjectConfig, writeProjectConfig } = await import('../../plugins/config.js');
  const dirs = args.dir === undefined ? [] : [args.dir];
  if (!dirs.length) throw new BrainsmithError('E_USAGE', `plugins ${adding ? 'add' : 'remove'} needs a folder`, { kind: 'usage' });
  const projectDir = findProjectDir();
  const cfg = readProjectConfig(projectDir);
  const paths = [...(cfg.plugins.paths ?? [])];
  const messages: string[] = [];
  for (const dir of dirs) {
    const abs = path.resolve(dir);
    // Kept as the user wrote it: relative to the project when relative, absolute when absolute.
    const stored = path.isAbsolute(dir) ? abs : path.relative(projectDir, abs) || '.';
    const idx = paths.findIndex((p) => path.resolve(projectDir, p) === abs);
    if (adding) {
      if (!existsSync(abs) || !statSync(abs).isDirectory()) {
        throw new BrainsmithError('E_PLUGIN_PATH_MISSING', `plugin folder ${abs} does not exist`, { kind: 'input', file: abs });
      }
      if (idx >= 0) messages.push(`${stored} is already in ${cfg.file}`);
      else {
        paths.push(stored.startsWith('.') || path.isAbsolute(stored) ? stored : `./${stored}`);
        messages.push(`added ${stored} to ${cfg.file}`);
      }
    } else {
      if (idx < 0) throw new BrainsmithError('E_PLUGIN_PATH_NOT_CONFIGURED', `${dir} is not a plugin folder of ${cfg.file}`, { kind: 'input', file: cfg.file });
      paths.splice(idx, 1);
      messages.push(`removed ${stored} from ${cfg.file}`);
    }
  }
  const changed = JSON.stringify(paths) !== JSON.stringify(cfg.plugins.paths ?? []);
  if (changed) writeProjectConfig(cfg, { ...cfg.plugins, paths });
  if (args.json) ctx.outJson({ config: cfg.file, paths, changed });
  else ctx.out(messages.join('\n'));
}

async function info(args: PluginsArgs, ctx: CommandContext): Promise<void> {
  const name = args.name;
  if (!name) throw new BrainsmithError('E_USAGE', 'plugins info needs a component name or plugin id', { kind: 'usage' });
  const reg = await openCliRegistry(ctx.log, { strict: args.strictPlugins });
  const entries = reg.lookupAny(name);
  const plugin = reg.plugin(name);
  if (!entries.length && !plugin) {
    throw new BrainsmithError('E_PLUGIN_NOT_FOUND', `no component or plugin named '${name}'${failedNote(reg) ? ' (some plugins failed to load: see brainsmith plugins list)' : ''}`, { kind: 'input' });
  }
  if (args.json) {
    ctx.outJson({ components: entries.map((e) => e.toJSON()), plugin: plugin ? { id: plugin.id, source: plugin.source, status: plugin.status, reason: plugin.reason, manifest: plugin.manifest, files: plugin.files } : undefined });
    return;
  }
  const lines: string[] = [];
  if (plugin) {
    lines.push(`plugin ${plugin.id} (${plugin.source}, ${plugin.status}${plugin.reason ? `: ${plugin.reason}` : ''})`);
    if (plugin.version) lines.push(`  version: ${plugin.version}`);
    if (plugin.manifestFile) lines.push(`  manifest: ${plugin.manifestFile}`);
    lines.push(`  capabilities: ${[...plugin.granted].join(', ') || 'none'}`);
    lines.push(`  components: ${plugin.components.map((c) => c.qualifiedName).join(', ') || 'none'}`);
  }
  for (const e of entries) {
    lines.push(`${e.kind} ${e.qualifiedName}${e.shadowedBy ? ` (shadowed by ${e.shadowedBy.qualifiedName})` : ''}`);
    const m = e.meta;
    const field = (k: string, v: unknown): void => {
      if (v !== undefined && !(Array.isArray(v) && v.length === 0)) lines.push(`  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
    };
    field('description', m.description);
    field('file', `${e.file}${m.line ? `:${m.line}` : ''}`);
    field('plugin', `${e.plugin.id} (${e.plugin.source})`);
    field('stage', m.stage);
    field('kernel', m.kernel);
    field('language', m.language);
    field('inferFrom', m.inferFrom);
    field('attributes', m.attributes);
    field('author', m.author);
    field('version', m.version);
    field('tags', m.tags);
    field('overrides', m.overrides);
    field('examples', m.examples);
    field('hooks', m.hooks);
    lines.push(...optionLines(m.optionsSchema));
    field('docs', m.docs);
  }
  ctx.out(lines.join('\n'));
}

/** An options schema (JSON schema of a zod object) as one line per option: name, type, default, description. */
function optionLines(schema: unknown): string[] {
  const props = (schema as { properties?: Record<string, Record<string, unknown>> } | undefined)?.properties;
  if (!props || !Object.keys(props).length) return schema === undefined ? [] : [`  options: ${JSON.stringify(schema)}`];
  const typeOf = (p: Record<string, unknown>): string => {
    if (Array.isArray(p.enum)) return p.enum.map((v) => JSON.stringify(v)).join(' | ');
    if (p.type === 'array') return `${typeOf((p.items as Record<string, unknown>) ?? {})}[]`;
    if (Array.isArray(p.anyOf)) return (p.anyOf as Record<string, unknown>[]).map(typeOf).join(' | ');
    return typeof p.type === 'string' ? p.type : Array.isArray(p.type) ? p.type.join(' | ') : 'any';
  };
  const out = ['  options:'];
  for (const [name, p] of Object.entries(props)) {
    const dflt = p.default !== undefined ? `, default ${JSON.stringify(p.default)}` : '';
    out.push(`    ${name} (${typeOf(p)}${dflt})${typeof p.description === 'string' ? `: ${p.description}` : ''}`);
  }
  return out;
}

async function scaffold(args: PluginsArgs, ctx: CommandContext): Promise<number> {
  const name = args.name;
  if (!name) throw new BrainsmithError('E_USAGE', 'plugins new needs a name, e.g. plugins new RemoveRedundantOps --kind transform', { kind: 'usage' });
  const path = await import('node:path');
  const { scaffoldPlugin } = await import('../../plugins/scaffold.js');
  const { findProjectDir, PROJECT_PLUGIN_DIR } = await import('../../plugins/config.js');
  const dir = args.dir ? path.resolve(args.dir) : path.join(findProjectDir(), PROJECT_PLUGIN_DIR);
  const r = scaffoldPlugin(name, args.kind ?? 'transform', dir);
  if (args.watch) {
    // The playground on the new file: its registration is the first thing the view shows.
    if (!args.json) ctx.out(`created ${r.files.join(' and ')}`);
    const { runWatch } = await import('./plugins-watch.js');
    return runWatch([r.files[0]!], args.json === true, ctx);
  }
  if (args.json) ctx.outJson(r);
  else ctx.out(`created ${r.files.join(' and ')}\ncheck it with: brainsmith plugins check ${r.files[0]}`);
  return 0;
}

async function check(args: PluginsArgs, ctx: CommandContext): Promise<number> {
  const { checkPlugins } = await import('../../plugins/check.js');
  const { formatDiagnostic } = await import('../../plugins/diagnostics.js');
  const report = await checkPlugins({ targets: args.targets ?? [], all: args.all, log: ctx.log });
  const failed = report.errors > 0 || (args.strict === true && report.warnings > 0);
  if (args.json) ctx.outJson({ ...report, ok: !failed });
  else {
    const lines = report.diagnostics.filter((d) => d.severity !== 'info').map(formatDiagnostic);
    lines.push(`checked ${report.plugins.length} plugin(s): ${report.errors} error(s), ${report.warnings} warning(s)`);
    ctx.out(lines.join('\n'));
  }
  return failed ? 1 : 0;
}

const jsonOption = { type: 'boolean', describe: 'print JSON on stdout' } as const;

const listSub = defineCommand<PluginsArgs>({
  command: 'list',
  describe: 'Plugin sources with their paths, each plugin with its status, and counts per kind',
  builder: (y) =>
    y
      .option('json', jsonOption)
      .example('$0 plugins list', 'sources, plugins with status (ok / failed: reason / disabled / unmet dependency), counts')
      .example('$0 plugins list --json', 'the same as one JSON document'),
  run: (args, ctx) => list(args, ctx),
});

const dirPositional = (y: Argv, verb: string): Argv =>
  y.positional('dir', { type: 'string', demandOption: true, describe: `plugin folder to ${verb} (kept relative to the project when given relative)` });

const addSub = defineCommand<PluginsArgs>({
  command: 'add <dir>',
  describe: 'Record a plugin folder in plugins.paths of brainsmith.config.json (created if absent)',
  builder: (y) =>
    dirPositional(y, 'add')
      .option('json', jsonOption)
      .example('$0 plugins add ./vendor/acme-plugins', 'its plugins are listed from now on; adding twice changes nothing')
      .example('$0 plugins add /opt/brainsmith/plugins', 'absolute paths stay absolute'),
  run: (args, ctx) => addOrRemove(args, ctx, true),
});

const removeSub = defineCommand<PluginsArgs>({
  command: 'remove <dir>',
  describe: 'Remove a plugin folder from plugins.paths of brainsmith.config.json',
  builder: (y) =>
    dirPositional(y, 'remove')
      .option('json', jsonOption)
      .example('$0 plugins remove ./vendor/acme-plugins', 'forget a folder added with plugins add'),
  run: (args, ctx) => addOrRemove(args, ctx, false),
});

const infoSub = defineCommand<PluginsArgs>({
  command: 'info <name>',
  describe: 'Metadata, file, namespace, options schema and docs of a component or plugin',
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true, describe: 'a component name (short or namespace:name) or a plugin id' })
      .option('json', jsonOption)
      .example('$0 plugins info RemoveIdentityOps', 'a built-in transform')
      .example('$0 plugins info brainsmith:RemoveIdentityOps --json', 'by qualified name, as JSON')
      .example('$0 plugins info project/my_cleanup', 'a plugin by id: status, capabilities, components'),
  run: (args, ctx) => info(args, ctx),
});

const newSub = defineCommand<PluginsArgs>({
  command: 'new <name>',
  describe: 'Write a working plugin template and its test',
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true, describe: 'component name in PascalCase, e.g. FoldMyOps' })
      .option('kind', { choices: ['transform', 'kernel', 'backend', 'step'] as const, demandOption: true, describe: 'the kind of component' })
      .option('dir', { type: 'string', describe: 'folder to write to (default: brainsmith_plugins of the project)' })
      .option('watch', { type: 'boolean', describe: 'then open the playground (plugins watch) on the new file' })
      .option('json', jsonOption)
      .example('$0 plugins new FoldMyOps --kind transform', 'write brainsmith_plugins/fold-my-ops.ts and fold-my-ops.test.ts')
      .example('$0 plugins new MyAdder --kind kernel --dir vendor/acme', 'a kernel template in another folder')
      .example('$0 plugins new FoldMyOps --kind transform --watch', 'write it and watch it register as you edit'),
  run: (args, ctx) => scaffold(args, ctx),
});

const checkSub = defineCommand<PluginsArgs>({
  command: 'check [targets..]',
  describe: 'Load plugins in isolation (no cache) and report diagnostics with stable codes; exit 1 on errors',
  builder: (y) =>
    y
      .positional('targets', { type: 'string', array: true, describe: 'plugin files, folders or component/plugin names (default: every project, user and env plugin)' })
      .option('all', { type: 'boolean', describe: 'include the built-in plugins' })
      .option('strict', { type: 'boolean', describe: 'exit 1 on warnings too' })
      .option('json', jsonOption)
      .example('$0 plugins check', 'check every project, user and env plugin')
      .example('$0 plugins check --all --strict', 'built-ins too; warnings fail')
      .example('$0 plugins check brainsmith_plugins/opt.ts --json', 'one file, diagnostics as JSON'),
  run: (args, ctx) => check(args, ctx),
});

export const pluginsCommand = defineCommandGroup({
  command: 'plugins',
  describe: 'List, add, remove, inspect, create, check and watch plugins',
  subcommands: [listSub, addSub, removeSub, infoSub, newSub, checkSub, watchSub],
  examples: [
    ['$0 plugins list', 'where plugins come from and whether each loaded'],
    ['$0 plugins info SetFolding', 'what a component does and its options'],
    ['$0 plugins new FoldMyOps --kind transform', 'a working template with a test'],
    ['$0 plugins check brainsmith_plugins/fold-my-ops.ts', 'load it in isolation and report problems'],
    ['$0 plugins watch', 'the live playground: see each saved plugin file register'],
  ],
});
