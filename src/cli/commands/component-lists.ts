/**
 * `transforms list`, `kernels list`, `backends list`, `steps list`: what the registry holds, from the
 * cache when it is warm (nothing is imported).
 */
import type { Argv } from 'yargs';
import { BrainsmithError } from '../../errors.js';
import { defineCommand, defineCommandGroup } from '../command.js';
import type { ComponentEntry } from '../../plugins/entry.js';
import type { ComponentKind } from '../../plugins/schemas.js';
import { failedJson, failedNote, openCliRegistry, textTable } from './plugin-cli.js';

interface ListArgs {
  strictPlugins?: boolean;
  stage?: string;
  source?: string;
  kernel?: string;
  language?: 'hls' | 'rtl';
  order?: 'pipeline' | 'name';
  json?: boolean;
}

/** Each transform's first place in the default blueprint (the order a compile runs them), for sorting. */
async function pipelineRank(): Promise<Map<string, number>> {
  const rank = new Map<string, number>();
  try {
    const { loadBlueprint } = await import('../../pipeline/blueprint-load.js');
    const { STAGES } = await import('../../plugins/schemas.js');
    const bp = loadBlueprint('default');
    for (const st of STAGES) for (const e of bp.stages[st]) {
      const name = typeof e.ref === 'string' ? e.ref : e.ref.name;
      if (!rank.has(name)) rank.set(name, rank.size);
    }
  } catch {
    // no default blueprint: names only
  }
  return rank;
}

function shadowNote(e: ComponentEntry): string {
  if (e.shadowedBy) return `[shadowed by ${e.shadowedBy.qualifiedName}]`;
  if (e.shadows.length) {
    const ann = e.unannouncedShadows();
    return `[wins over ${e.shadows.map((s) => s.qualifiedName).join(', ')}${ann.length ? '' : ', declared overrides'}]`;
  }
  return '';
}

function row(e: ComponentEntry, extra: string[] = []): string[] {
  const status = shadowNote(e);
  return [e.name, e.namespace, ...extra, [e.description ?? '', status].filter(Boolean).join(' ')];
}

const PLURAL: Record<ComponentKind, string> = { transform: 'transforms', kernel: 'kernels', backend: 'backends', step: 'steps' };

function listCommand(kind: ComponentKind, describe: string, extraOptions: (y: Argv) => Argv, examples: [string, string][]) {
  const plural = PLURAL[kind];
  const listSub = defineCommand<ListArgs>({
    command: 'list',
    describe,
    builder: (y) => {
      let b: Argv = y
        .option('source', { type: 'string', describe: 'only this namespace or source (project, user, env, npm, builtin, or a plugin id)' })
        .option('json', { type: 'boolean', describe: 'print JSON on stdout' });
      b = extraOptions(b);
      for (const [cmd, text] of examples) b = b.example(cmd, text);
      return b;
    },
    async run(args, ctx) {
      const { normalizeStage, STAGES } = await import('../../plugins/schemas.js');
      const reg = await openCliRegistry(ctx.log, { strict: args.strictPlugins });
      const table = reg.table(kind);
      let stage: string | undefined;
      if (args.stage !== undefined) {
        stage = normalizeStage(args.stage);
        if (!stage) throw new BrainsmithError('E_USAGE', `unknown stage '${args.stage}': expected one of ${STAGES.join(', ')}`, { kind: 'usage' });
      }
      const entries = table.find({ stage, source: args.source, language: args.language, kernel: args.kernel });
      if (args.json) {
        ctx.outJson({ [plural]: entries.map((e) => e.toJSON()), failed: failedJson(reg) });
        return;
      }
      const lines: string[] = [];
      if (kind === 'transform') {
        const rank = args.order === 'pipeline' ? await pipelineRank() : undefined;
        const at = (e: ComponentEntry): number => rank?.get(e.name) ?? rank?.get(e.qualifiedName) ?? Number.MAX_SAFE_INTEGER;
        for (const st of STAGES) {
          const group = entries.filter((e) => e.meta.stage === st);
          // Stable: transforms the default blueprint does not run keep the table's order after the others.
          if (rank) group.sort((a, b) => at(a) - at(b));
          if (!group.length) continue;
          lines.push(`${st}:`, textTable(group.map((e) => row(e))));
        }
      } else if (kind === 'backend') {
        lines.push(textTable([['NAME', 'NAMESPACE', 'KERNEL', 'LANG', 'DESCRIPTION'], ...entries.map((e) => row(e, [e.meta.kernel ?? '', e.meta.language ?? '']))], ''));
      } else {
        lines.push(textTable([['NAME', 'NAMESPACE', 'DESCRIPTION'], ...entries.map((e) => row(e))], ''));
      }
      if (!entries.length) lines.length = 0;
      lines.push(`${entries.length} ${entries.length === 1 ? kind : plural}`);
      if (kind === 'step' && !entries.length) {
        lines.push("A step is a plugin (defineStep: run(model, ctx)) that a blueprint's steps: list runs before, after or in place of a transform; none is installed. brainsmith plugins new MyStep --kind step writes one.");
      }
      const note = failedNote(reg);
      if (note) lines.push(note);
      ctx.out(lines.join('\n'));
    },
  });
  return defineCommandGroup({ command: plural, describe: `${describe} (${plural} list)`, subcommands: [listSub], examples });
}

export const transformsCommand = listCommand(
  'transform',
  'List transforms by pipeline stage: name, namespace, description and shadowing',
  (y) =>
    y
      .option('stage', { type: 'string', describe: 'only this stage (cleanup, topology, kernel_mapping, optimization, or an alias)' })
      .option('order', { choices: ['name', 'pipeline'] as const, default: 'name', describe: 'within a stage: by name, or in the order the default blueprint runs them (the others after, by name)' }),
  [
    ['$0 transforms list', 'every transform, grouped by stage'],
    ['$0 transforms list --order pipeline', 'within each stage in the order a default compile runs them'],
    ['$0 transforms list --stage cleanup --source project', "the project's cleanup transforms"],
    ['$0 transforms list --json', 'as JSON'],
  ],
);

export const kernelsCommand = listCommand('kernel', 'List hardware kernels', (y) => y, [
  ['$0 kernels list', 'every kernel'],
  ['$0 kernels list --json', 'as JSON'],
]);

export const backendsCommand = listCommand(
  'backend',
  'List kernel backends (HLS or RTL implementations)',
  (y) =>
    y
      .option('kernel', { type: 'string', describe: 'only backends of this kernel' })
      .option('language', { choices: ['hls', 'rtl'] as const, describe: 'only this language' }),
  [
    ['$0 backends list', 'every backend'],
    ['$0 backends list --kernel MVAU --language rtl', 'RTL backends of MVAU'],
  ],
);

export const stepsCommand = listCommand('step', 'List pipeline steps', (y) => y, [
  ['$0 steps list', 'every step'],
  ['$0 steps list --json', 'as JSON'],
]);
