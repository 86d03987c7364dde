import { defineCommand } from '../command.js';

interface SynthArgs {
  dir: string;
  jobs?: number;
  yosys?: 'native' | 'wasm';
  json: boolean;
}

export const synthCommand = defineCommand<SynthArgs>({
  command: 'synth <dir>',
  describe: 'Synthesize the hardware of a build folder (compile --generate) with Yosys: report/post_synth_resources.json, per node and the top',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', describe: 'Build folder written by `brainsmith compile --generate`', demandOption: true })
      .option('jobs', { alias: 'j', type: 'number', describe: 'Yosys runs in parallel (default: the number of cores)' })
      .option('yosys', { type: 'string', choices: ['native', 'wasm'], describe: 'Native yosys on PATH, or the WebAssembly build of @yowasp/yosys (default: native when installed)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the result as JSON on stdout (progress stays off)' })
      .example('$0 synth out', 'Synthesize every node and the stitched top; print them beside the estimates')
      .example('$0 synth out --jobs 1', 'One Yosys run at a time')
      .example('$0 synth out --yosys wasm --json', 'With the WebAssembly Yosys; the result as JSON'),
  async run(args, ctx) {
    const { synthesizeBuild } = await import('../../synth/synth-build.js');
    const { formatSynthTable } = await import('../../synth/format.js');
    const { openCliRegistry } = await import('./plugin-cli.js');
    const live = !args.json && process.stderr.isTTY === true;
    const progress = live ? (text: string) => process.stderr.write(`\r\x1b[K${text.slice(0, Math.max(20, (process.stderr.columns || 100) - 1))}`) : undefined;
    const reg = await openCliRegistry(ctx.log, { strict: args.strictPlugins });
    let r;
    try {
      r = await synthesizeBuild({ dir: args.dir, jobs: args.jobs, yosys: args.yosys, registry: reg, progress });
    } finally {
      if (live) process.stderr.write('\r\x1b[K');
    }
    const html = await regenerateReport(r.dir, reg, ctx.log);
    if (args.json) {
      ctx.outJson({ ...r, html });
      return;
    }
    ctx.out(formatSynthTable(r));
    for (const w of r.warnings) ctx.log.warn(w);
    ctx.out('');
    ctx.out(`report       ${r.report}${html ? `, ${html}` : ''}`);
    ctx.out(`logs         ${r.dir}/synth/<node>.log (${(r.ms / 1000).toFixed(1)} s, ${[r.top, ...r.nodes].filter((n) => n.cached).length} of ${r.nodes.length + 1} from the cache)`);
  },
});

/** Writes report/index.html again so it shows the synthesis; undefined for a folder without a compile summary. */
async function regenerateReport(dir: string, reg: Parameters<typeof import('../../report/write.js').writeReport>[2], log: { warn(text: string): void }): Promise<string | undefined> {
  const { existsSync, readFileSync } = await import('node:fs');
  const path = await import('node:path');
  const summaryFile = path.join(dir, 'report', 'compile_summary.json');
  if (!existsSync(summaryFile)) return undefined;
  try {
    const { loadModel } = await import('../../onnx/load.js');
    const { writeReport } = await import('../../report/write.js');
    return await writeReport(dir, await loadModel(path.join(dir, 'model.onnx')), reg, JSON.parse(readFileSync(summaryFile, 'utf8')));
  } catch (e) {
    log.warn(`report/index.html not rewritten: ${(e as Error).message}`);
    return undefined;
  }
}
