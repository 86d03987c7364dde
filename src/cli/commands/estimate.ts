import path from 'node:path';
import { BrainsmithError } from '../../errors.js';
import { defineCommand } from '../command.js';

interface EstimateArgs {
  model: string;
  clockNs: number;
  board?: string;
  part?: string;
  output?: string;
}

export const estimateCommand = defineCommand<EstimateArgs>({
  command: 'estimate <model>',
  describe: "Estimate cycles, resources and throughput of a model's hardware nodes (FINN-compatible reports)",
  builder: (y) =>
    y
      .positional('model', { type: 'string', describe: 'Model holding hardware nodes (e.g. MVAU_hls)', demandOption: true })
      .option('clock-ns', { type: 'number', default: 10, describe: 'Clock period in ns' })
      .option('board', { type: 'string', describe: 'Target board (Pynq-Z1, Pynq-Z2, Ultra96, ZCU102, ZCU104, KV260_SOM, U50, U200, U250, U280, U55C, VCK190, VEK280)' })
      .option('part', { type: 'string', describe: 'Target FPGA part, instead of --board' })
      .option('output', { alias: 'o', type: 'string', describe: 'Output folder (default ./estimates/<model basename>/); reports go to its report/' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the estimate as JSON on stdout' })
      .conflicts('board', 'part')
      .example('$0 estimate cybsec_PE_SIMD.onnx --clock-ns 10', 'Cycles, LUT/BRAM/DSP and fps of each MVAU')
      .example('$0 estimate model.onnx --board ZCU104 -o out --json', 'Estimate for a ZCU104, JSON on stdout'),
  async run(args, ctx) {
    if (typeof args.clockNs !== 'number' || !Number.isFinite(args.clockNs) || args.clockNs <= 0) {
      throw new BrainsmithError('E_USAGE', `--clock-ns must be a positive number of nanoseconds, got '${String(args.clockNs)}'`, { kind: 'usage' });
    }
    const { resolveTarget, estimateModel, writeEstimateReports, formatEstimateSummary } = await import('../../estimate/index.js');
    const target = resolveTarget({ board: args.board, part: args.part });
    const { loadModel } = await import('../../onnx/load.js');
    const { openCliRegistry } = await import('./plugin-cli.js');
    const model = await loadModel(args.model);
    const reg = await openCliRegistry(ctx.log, { strict: args.strictPlugins });
    const est = await estimateModel(model, reg.hw, { target, clockNs: args.clockNs, file: args.model });
    const base = path.basename(args.model).replace(/\.onnx$/i, '');
    const outDir = args.output ?? path.join('estimates', base);
    const files = writeEstimateReports(outDir, est);
    for (const n of est.nodes) for (const w of n.warnings) ctx.log.warn({ node: n.name }, w);
    if (args.json) {
      ctx.outJson({
        model: args.model,
        target: est.target,
        clockNs: est.clockNs,
        nodes: est.nodes,
        total: est.resources.total,
        performance: est.performance,
        hostNodes: est.hostNodes,
        files,
      });
    } else {
      ctx.out(formatEstimateSummary(est));
      ctx.out(`reports      ${path.join(outDir, 'report')}/`);
    }
  },
});
