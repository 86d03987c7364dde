import { defineCommand } from '../command.js';

interface ReportArgs {
  dir: string;
  open: boolean;
}

export const reportCommand = defineCommand<ReportArgs>({
  command: 'report <dir>',
  describe: "Write a build folder's report/index.html again (every compile writes it): graph, cycles, resources, folding, results",
  builder: (y) =>
    y
      .positional('dir', { type: 'string', describe: 'Build folder written by brainsmith compile', demandOption: true })
      .option('open', { type: 'boolean', default: false, describe: 'Open the report in the default browser' })
      .option('json', { type: 'boolean', default: false, describe: 'Print {"report": path} on stdout' })
      .example('$0 report build/tfc', 'Regenerate build/tfc/report/index.html (after a simulation or synthesis added its results)')
      .example('$0 report build/tfc --open', 'and open it'),
  async run(args, ctx) {
    const { existsSync, readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const { BrainsmithError } = await import('../../errors.js');
    const dir = path.resolve(args.dir);
    const summaryFile = path.join(dir, 'report', 'compile_summary.json');
    if (!existsSync(summaryFile)) {
      throw new BrainsmithError('E_REPORT_NOT_BUILD', `${dir}: not a finished brainsmith build (no report/compile_summary.json): run brainsmith compile first`, { kind: 'input', file: dir });
    }
    let summary;
    try {
      summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    } catch (e) {
      throw new BrainsmithError('E_REPORT_SUMMARY', `${summaryFile}: cannot read the compile summary: ${(e as Error).message}`, { kind: 'input', file: summaryFile });
    }
    const { loadModel } = await import('../../onnx/load.js');
    const { openCliRegistry } = await import('./plugin-cli.js');
    const { writeReport } = await import('../../report/write.js');
    const model = await loadModel(path.join(dir, 'model.onnx'));
    const reg = await openCliRegistry(ctx.log, { strict: args.strictPlugins });
    const file = await writeReport(dir, model, reg, summary);
    if (args.json) ctx.outJson({ report: file });
    else ctx.out(`report       ${file}`);
    if (args.open) {
      const { openInBrowser } = await import('../../report/open.js');
      if (!(await openInBrowser(file))) ctx.log.warn(`no program to open it with here (xdg-open); open ${file} in a browser`);
    }
  },
});
