import { defineCommand } from '../command.js';

interface SimArgs {
  dir: string;
  input?: string[];
  expected?: string;
  frames?: number;
  simulator?: 'verilator' | 'icarus';
  stall: number;
  seed: number;
  node?: string;
}

const fmt = (v: number, digits = 1): string => v.toLocaleString('en-US', { maximumFractionDigits: digits });

export const simCommand = defineCommand<SimArgs>({
  command: 'sim <dir>',
  describe: 'Simulate the hardware of a build folder (compile --generate) and check it bit-exactly against the reference executor',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', describe: 'Build folder written by `brainsmith compile --generate`', demandOption: true })
      .option('input', { alias: 'i', type: 'string', array: true, describe: 'Input .npy, one per model input (a batch of frames); default: seeded random frames within each input\'s datatype' })
      .option('expected', { type: 'string', describe: 'Golden output .npy for the model\'s output: compared as `exec --expected` does' })
      .option('frames', { type: 'number', describe: 'Random frames to simulate (default 16); with --input, the first N frames of the file' })
      .option('simulator', { type: 'string', choices: ['verilator', 'icarus'], describe: 'Simulator (default: Verilator when installed, else Icarus Verilog)' })
      .option('stall', { type: 'number', default: 0, describe: 'Probability (0 ≤ P < 1) that each input\'s TVALID and each output\'s TREADY is held low in a cycle; results must not change' })
      .option('seed', { type: 'number', default: 1, describe: 'Seed of the random frames and of the stalls' })
      .option('node', { type: 'string', describe: 'Simulate this node alone against its kernel\'s execute (e.g. MVAU_rtl_0)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the result as JSON on stdout (progress stays off)' })
      .example('$0 sim out --input x.npy --expected y.npy', 'Simulate the stitched design on x.npy; compare with the executor and with y.npy')
      .example('$0 sim out --frames 1000', 'Throughput on 1000 random frames (report/rtlsim_performance.json)')
      .example('$0 sim out --stall 0.3 --simulator icarus', 'Random backpressure, with Icarus Verilog')
      .example('$0 sim out --node MVAU_rtl_0 --frames 4', 'One node alone against its kernel\'s execute'),
  async run(args, ctx) {
    const { simulateBuild } = await import('../../sim/simulate-build.js');
    const { readTensorFile } = await import('../../exec/bind-inputs.js');
    const { openCliRegistry } = await import('./plugin-cli.js');
    const { BrainsmithError } = await import('../../errors.js');
    const live = !args.json && process.stderr.isTTY === true;
    const progress = live ? (text: string) => process.stderr.write(`\r\x1b[K${text.slice(0, Math.max(20, (process.stderr.columns || 100) - 1))}`) : undefined;
    const reg = await openCliRegistry(ctx.log, { strict: args.strictPlugins });
    let r;
    try {
      r = await simulateBuild({
        dir: args.dir,
        inputs: args.input,
        expected: args.expected,
        frames: args.frames,
        simulator: args.simulator,
        stall: args.stall,
        seed: args.seed,
        node: args.node,
        registry: reg,
        readTensor: readTensorFile,
        progress,
      });
    } finally {
      if (live) process.stderr.write('\r\x1b[K');
    }
    const failure = () => {
      const why = [r.reference.ok ? undefined : r.reference.message, r.firstDifferingNode?.message, r.expected && !r.expected.ok ? `${r.expected.file}: ${r.expected.message}` : undefined].filter(Boolean).join('; ');
      return new BrainsmithError('E_SIM_MISMATCH', `the simulated hardware does not match: ${why}`, { kind: 'work' });
    };
    if (args.json) {
      ctx.outJson(r);
      if (!r.ok) throw failure();
      return;
    }
    const build = r.build.cached ? 'cached build' : `built in ${fmt(r.build.ms / 1000)} s`;
    ctx.out(`simulated ${r.scope === 'node' ? `node ${r.module} alone` : r.module} with ${r.simulator} (${build}): ${r.frames} frame${r.frames === 1 ? '' : 's'}, ${fmt(r.run.cycles, 0)} cycles in ${fmt(r.run.ms / 1000, 2)} s (${fmt(r.run.cyclesPerSecond / 1e6, 2)} M cycles/s)${r.stall ? `, stall ${r.stall}` : ''}`);
    ctx.out(`reference    ${r.reference.ok ? r.reference.message : `MISMATCH: ${r.reference.message}`}`);
    if (r.firstDifferingNode) ctx.out(`first node   ${r.firstDifferingNode.message}`);
    if (r.expected) ctx.out(`expected     ${r.expected.ok ? r.expected.message : `MISMATCH: ${r.expected.message}`}`);
    const p = r.performance;
    if (p) {
      const est = r.estimate ? ` vs estimated ${fmt(r.estimate['throughput[images/s]'])} fps (ratio ${fmt(r.estimate.ratio, 3)})` : '';
      ctx.out(`throughput   simulated ${fmt(p['throughput[images/s]'])} fps${est}; stable ${fmt(p['stable_throughput[images/s]'])} fps; latency ${fmt(p.latency_cycles, 0)} cycles at ${fmt(p['fclk[mhz]'])} MHz${r.stall ? ' (with stalls)' : ''}`);
      ctx.out(`report       ${r.report}`);
    }
    if (!r.ok) throw failure();
  },
});
