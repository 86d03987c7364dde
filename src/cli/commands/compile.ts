import path from 'node:path';
import { defineCommand } from '../command.js';

interface CompileArgs {
  model: string;
  output?: string;
  config?: string;
  stopAfter?: string;
  startFrom?: string;
  verify: boolean;
  input?: string[];
  expected?: string;
  force: boolean;
  board?: string;
  part?: string;
  clockNs?: number;
  targetFps?: number;
  foldingConfig?: string;
  insertTopk: boolean;
  prefer?: 'rtl' | 'hls';
  generate: boolean;
  topName?: string;
  fifoSizing?: string;
  timeLimit?: number;
}

export const compileCommand = defineCommand<CompileArgs>({
  command: 'compile <model>',
  describe: 'Run the compile pipeline (cleanup, topology, kernel_mapping, optimization) described by a blueprint',
  builder: (y) =>
    y
      .positional('model', { type: 'string', describe: 'ONNX/QONNX model to compile', demandOption: true })
      .option('output', { alias: 'o', type: 'string', describe: 'Build folder (default build/<model name>); written atomically' })
      .option('config', { type: 'string', describe: 'Blueprint file (.yaml or .json) or built-in blueprint name (default: default)' })
      .option('stop-after', { type: 'string', describe: 'Stop after this stage or transform' })
      .option('start-from', { type: 'string', describe: 'Start at this stage (the model is taken as the output of the stages before it)' })
      .option('verify', { type: 'boolean', default: false, describe: 'Execute the input model and the model after every stage and compare the outputs' })
      .option('input', { type: 'string', array: true, describe: 'Input .npy for --verify, one per graph input (default: seeded random inputs)' })
      .option('expected', { type: 'string', describe: 'With --verify: golden output .npy the final model must reproduce' })
      .option('force', { type: 'boolean', default: false, describe: 'Replace an existing output folder that is not a brainsmith build' })
      .option('board', { type: 'string', describe: "Target board (Pynq-Z1, Pynq-Z2, Ultra96, ZCU102, ZCU104, KV260_SOM, U50, U200, U250, U280, U55C, VCK190, VEK280); default: the blueprint's target, else Pynq-Z1" })
      .option('part', { type: 'string', describe: 'Target FPGA part, instead of --board' })
      .option('clock-ns', { type: 'number', describe: "Clock period in ns for folding and estimates (default: the blueprint's target, else 10)" })
      .option('target-fps', { type: 'number', describe: 'Fold the kernels (PE/SIMD) to reach this many frames per second (FINN SetFolding)' })
      .option('folding-config', { type: 'string', describe: 'Apply a FINN folding config (Defaults plus per-node PE/SIMD/…); overrides --target-fps as in FINN' })
      .option('insert-topk', { type: 'boolean', default: false, describe: 'Replace a classifier output [N, classes] by its top-1 label (a LabelSelect kernel); FINN\'s build does not' })
      .option('prefer', { type: 'string', choices: ['rtl', 'hls'], describe: 'Backend preference for every kernel (a blueprint\'s per-kernel SpecializeLayers preferences refine it; a backend that is not viable for a node falls back to the other, with a warning)' })
      .option('generate', { type: 'boolean', default: false, describe: 'Generate the hardware after the last stage: hw/ with a Verilog module per node, the stitched top, filelist.f and vivado/create_project.tcl' })
      .option('top-name', { type: 'string', describe: 'Name of the stitched top module (default brainsmith_top); with --generate' })
      .option('fifo-sizing', { type: 'string', describe: "Size the FIFOs (FINN's set_fifo_depths): sim = every FIFO deep, simulate with Verilator, set each to its peak (needs --generate); model = the same from the kernels' stream behaviour, no simulator (also without --generate: depths in model.onnx only); auto (or no value) = sim when possible, else model. Writes report/fifo_sizing.json" })
      .option('time-limit', { type: 'number', describe: 'Stop the compile when one transform application takes longer than this many seconds (default: no limit)' })
      .conflicts('board', 'part')
      .option('json', { type: 'boolean', default: false, describe: 'Print a JSON summary on stdout (progress and logs stay on stderr)' })
      .example('$0 compile model.onnx', 'Compile with the default blueprint into build/model')
      .example('$0 compile tfc.onnx -o out --stop-after topology --verify', 'Clean up and streamline, checking outputs after every stage')
      .example('$0 compile tfc.onnx --verify --input x.npy --expected y.npy', 'Verify on a golden input/output pair')
      .example('$0 compile tfc.onnx -o out --board Pynq-Z2 --clock-ns 10 --target-fps 100000', 'Map to kernels, fold to 100k fps and write FINN-style estimate reports')
      .example('$0 compile tfc.onnx -o out --folding-config folding.json', 'Apply a FINN folding config instead of a target')
      .example('$0 compile TFC_2W2A.onnx --target-fps 100000 --insert-topk', 'Also turn the class scores into a top-1 label (a LabelSelect kernel)')
      .example('$0 compile tfc.onnx --config optimized --target-fps 100000', 'Compile with brainsmith\'s improvements and report the gains over the default')
      .example('$0 compile model.onnx --config blueprint.yaml --json', 'Use a blueprint and print a JSON summary')
      .example('$0 compile tfc.onnx -o out --board Pynq-Z2 --target-fps 100000 --prefer rtl --generate', 'Generate Verilog (out/hw/) for the rtl backends; then `brainsmith sim out`')
      .example('$0 compile tfc.onnx -o out --target-fps 100000 --prefer rtl --generate --fifo-sizing sim', 'Also size the FIFOs by simulation (FINN\'s largefifo_rtlsim); report/fifo_sizing.json'),
  async run(args, ctx) {
    const { compile } = await import('../../pipeline/compile.js');
    const { createCompileLogger } = await import('../../pipeline/compile-log.js');
    const { createProgress } = await import('../../pipeline/progress.js');
    const { readTensorFile } = await import('../../exec/bind-inputs.js');
    const { formatBuildEstimate } = await import('../../pipeline/compile-estimate.js');
    const { formatComparison } = await import('../../pipeline/compile-baseline.js');
    const quiet = ['warn', 'error', 'fatal', 'silent'].includes(args.logLevel);
    const progress = createProgress(process.stderr, !quiet);
    const logger = await createCompileLogger(args.logLevel, () => progress.clear());
    try {
      const summary = await compile({
        model: args.model,
        output: args.output,
        config: args.config,
        stopAfter: args.stopAfter,
        startFrom: args.startFrom,
        verify: args.verify,
        inputs: args.input,
        expected: args.expected,
        force: args.force,
        board: args.board,
        part: args.part,
        clockNs: args.clockNs,
        targetFps: args.targetFps,
        foldingConfig: args.foldingConfig,
        insertTopK: args.insertTopk,
        prefer: args.prefer,
        generate: args.generate,
        topName: args.topName,
        fifoSizing: args.fifoSizing,
        timeLimit: args.timeLimit,
        strictPlugins: args.strictPlugins,
        log: logger.log,
        progress,
        attachLog: (f) => logger.attachFile(f),
        readTensor: readTensorFile,
      });
      if (args.json) ctx.outJson(summary);
      else {
        const left = summary.leftAlone.length ? `; op types left alone: ${summary.leftAlone.map((l) => l.opType).join(', ')}` : '';
        const v = summary.verification;
        const exp = v?.expected === undefined ? '' : v.expected ? `, final output matches ${args.expected}` : `, final output differs from ${args.expected}`;
        const ver = v ? `; verification ${v.ok ? 'passed' : 'FAILED'} (${v.stages} stage${v.stages === 1 ? '' : 's'}${exp})` : '';
        ctx.out(`compiled ${args.model} -> ${summary.output} (${summary.nodes.before} -> ${summary.nodes.after} nodes, ${summary.stages.map((s) => s.stage).join(', ')}${summary.stoppedAfter ? `, stopped after ${summary.stoppedAfter}` : ''}) in ${Math.round(summary.ms)} ms${ver}${left}`);
        if (summary.report) ctx.out(`report       ${summary.output}/${summary.report}`);
        if (summary.estimate) {
          ctx.out(`reports      ${summary.estimate.reports.join(', ')}`);
          ctx.out('');
          ctx.out(formatBuildEstimate(summary.estimate));
        }
        if (summary.comparison) {
          ctx.out('');
          ctx.out(formatComparison(summary.comparison, summary.blueprint));
        }
        const h = summary.hardware;
        if (h) {
          ctx.out('');
          ctx.out(`hardware     ${path.join(summary.output, h.dir)}: top ${h.top} (${h.nodes} node modules, ${h.sources} sources, ${h.memoryFiles} memory files; ${h.inputs.map((p) => `${p.port} ${p.width} bits`).concat(h.outputs.map((p) => `${p.port} ${p.width} bits`)).join(', ')}), filelist.f, vivado/create_project.tcl in ${Math.round(h.ms)} ms`);
          ctx.out(`             simulate with: brainsmith sim ${path.relative(process.cwd(), summary.output) || '.'}`);
        }
        const fs = summary.fifoSizing;
        const fpsText = (v?: number) => (v === undefined ? 'deadlock' : `${v.toLocaleString('en-US')} fps`);
        if (fs) ctx.out(`fifo sizing  ${fs.method}: ${fs.fifos} FIFOs, ${fs.bits.before} -> ${fs.bits.after} bits, ${fpsText(fs.fps.before)} -> ${fpsText(fs.fps.after)}${fs.ratio !== undefined ? ` (${(fs.ratio * 100).toFixed(1)}% of deep FIFOs)` : ''} in ${Math.round(fs.ms)} ms (${fs.file})`);
      }
    } finally {
      logger.close();
    }
  },
});
