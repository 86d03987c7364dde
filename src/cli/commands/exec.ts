import { defineCommand } from '../command.js';

interface ExecArgs {
  model: string;
  input?: string[];
  output?: string[];
  expected?: string[];
  fallback: string;
}

const PREVIEW = 8;

export const execCommand = defineCommand<ExecArgs>({
  command: 'exec <model>',
  describe: 'Run a model on .npy/.pb inputs with the reference executor (native ops, QONNX ops, onnxruntime for the rest)',
  builder: (y) =>
    y
      .positional('model', { type: 'string', describe: 'ONNX, QONNX or FINN model file', demandOption: true })
      .option('input', {
        alias: 'i', type: 'string', array: true,
        describe: 'Input tensor file (.npy or .pb), in model input order or as name=file; a batch is run sample by sample when the model\'s first dimension is 1',
      })
      .option('output', {
        alias: 'o', type: 'string', array: true,
        describe: 'Write outputs (.npy or .pb), in model output order or as name=file (written atomically)',
      })
      .option('expected', {
        type: 'string', array: true,
        describe: 'Golden output file(s) (.npy or .pb), in output order or as name=file: integers must match exactly, floats within rtol 1e-3, atol 1e-5; exit 1 on a mismatch. Shapes may differ in axes of size 1 (a FINN golden [4] for an output [4, 1])',
      })
      .option('fallback', {
        type: 'string', choices: ['onnxruntime', 'none'], default: 'onnxruntime',
        describe: 'How ops without a native implementation run: through onnxruntime in a child process, or not at all',
      })
      .option('json', { type: 'boolean', default: false, describe: 'Print the outputs summary as JSON on stdout' })
      .example('$0 exec model.onnx --input x.npy', 'Run a model and print its outputs')
      .example('$0 exec model.onnx --input global_in=x.npy --output y.npy', 'Name the input and save the output')
      .example('$0 exec model.onnx -i x.npy --json', 'Outputs summary for a script')
      .example('$0 exec tfc.onnx -i input.npy --expected expected_output.npy', 'Check a golden input/output pair'),
  async run(args, ctx) {
    const { BrainsmithError } = await import('../../errors.js');
    const { loadModel } = await import('../../onnx/load.js');
    const { bindInputs, executeBatched, parseTensorArg, readTensorFile } = await import('../../exec/bind-inputs.js');
    const { writeNpy } = await import('../../exec/npy.js');
    const { writeTensorPb } = await import('../../exec/pb.js');
    const { elemTypeName } = await import('../../tensor/element-type.js');
    const { assertGraphValid } = await import('../../ir/verify.js');
    const model = await loadModel(args.model);
    const { existsSync } = await import('node:fs');
    // As inspect, convert and compile do: a graph the verifier refuses (two producers of a tensor, …) is not run.
    assertGraphValid(model.graph, `${args.model}: the graph is invalid`);
    const given = (args.input ?? []).map((a) => {
      const { name, path } = parseTensorArg(a);
      if (!existsSync(path)) {
        throw new BrainsmithError('E_FILE_NOT_FOUND', `${path}: no such input file (to run a model without an input at hand, brainsmith compile --verify executes it on seeded random inputs within each input's datatype; numpy.save writes a .npy)`, { kind: 'input', file: path });
      }
      return { name, value: readTensorFile(path), source: path };
    });
    const bound = bindInputs(model, given);
    const outputNames = model.graph.outputNames();
    // Output files are matched to outputs before running, so a typo does not cost a whole run.
    const byOutput = (flag: string, given: string[] | undefined): Map<string, string> => {
      const out = new Map<string, string>();
      let k = 0;
      for (const a of given ?? []) {
        const { name, path } = parseTensorArg(a);
        const target = name ?? outputNames[k++];
        if (target === undefined || !outputNames.includes(target)) {
          throw new BrainsmithError('E_USAGE', `--${flag} ${a}: the model has no ${name === undefined ? 'further' : `'${name}'`} output (outputs: ${outputNames.join(', ')})`, { kind: 'usage' });
        }
        out.set(target, path);
      }
      return out;
    };
    const targets = byOutput('output', args.output);
    const expected = new Map([...byOutput('expected', args.expected)].map(([name, file]) => [name, { file, value: readTensorFile(file) }]));
    // Hardware nodes (a compiled model, or FINN's) run through their kernel plugins' `execute`; the registry
    // is opened only then, so plain models start fast.
    const { classifyNodeDomain } = await import('../../ir/domains.js');
    const resolvers = [];
    if (model.graph.nodeList().some((n) => classifyNodeDomain(n) === 'finn-hw')) {
      const { openCliRegistry } = await import('./plugin-cli.js');
      const reg = await openCliRegistry(ctx.log, { strict: args.strictPlugins });
      resolvers.push(await reg.hw.opResolver(model));
    }
    const t0 = performance.now();
    const result = await executeBatched(model, bound, { fallback: args.fallback as 'onnxruntime' | 'none', resolvers });
    const ms = performance.now() - t0;
    for (const [name, file] of targets) {
      const v = result.outputs.get(name)!;
      if (file.toLowerCase().endsWith('.pb')) writeTensorPb(file, v, name);
      else writeNpy(file, v);
    }
    const { compareOutputs, describeMismatch, DEFAULT_TOLERANCE } = await import('../../pipeline/compare.js');
    const checks = [...expected].map(([name, e]) => {
      const got = result.outputs.get(name)!;
      const c = compareOutputs([[name, e.value]], [got], DEFAULT_TOLERANCE);
      const o = c.outputs[0]!;
      // Axes of size 1 may differ (FINN saves a batch of labels as [4] for an output [4, 1]); others may not.
      const squeeze = (d: readonly number[]) => d.filter((x) => x !== 1).join(',');
      const sameShape = squeeze(got.dims) === squeeze(e.value.dims);
      const ok = c.ok && sameShape;
      const message = sameShape ? describeMismatch(c) : `output '${name}' has shape [${got.dims.join(', ')}], the expected tensor [${e.value.dims.join(', ')}]`;
      return { name, file: e.file, ok, exact: o.exact, elements: o.elements, mismatches: o.mismatches, maxAbsDiff: o.maxAbsDiff, shape: got.dims, expectedShape: e.value.dims, message };
    });
    const summary = {
      model: args.model,
      batch: bound.batch,
      ms: Math.round(ms * 10) / 10,
      delegated: result.delegated,
      outputs: [...result.outputs].map(([name, v]) => ({
        name,
        dtype: elemTypeName(v.elemType),
        shape: v.dims,
        values: Array.from((v.data as ArrayLike<number | bigint | string>), (x) => (typeof x === 'bigint' ? Number(x) : x)).slice(0, args.json ? 64 : PREVIEW),
        file: targets.get(name),
      })),
      ...(checks.length ? { expected: checks } : {}),
    };
    const failed = checks.filter((c) => !c.ok);
    // A mismatch is a failure of the run (exit 1); with --json the summary still comes first on stdout.
    const mismatchError = () =>
      new BrainsmithError('E_EXPECTED_MISMATCH', `${failed.map((c) => `${c.file}: ${c.message}`).join('; ')}`, { kind: 'work', file: failed[0]!.file });
    if (args.json) {
      ctx.outJson(summary);
      if (failed.length) throw mismatchError();
      return;
    }
    for (const o of summary.outputs) {
      const n = o.shape.reduce((a, b) => a * b, 1);
      const more = n > o.values.length ? ', …' : '';
      ctx.out(`${o.name}: ${o.dtype} [${o.shape.join(', ')}] = [${o.values.join(', ')}${more}]${o.file ? ` → ${o.file}` : ''}`);
    }
    const via = result.delegated.length ? `; via onnxruntime: ${result.delegated.join(', ')}` : '';
    ctx.out(`ran ${bound.batch > 1 ? `${bound.batch} samples` : 'once'} in ${summary.ms} ms${via}`);
    for (const c of checks.filter((x) => x.ok)) {
      const shapes = c.shape.join(',') === c.expectedShape.join(',') ? '' : ` (shape [${c.shape.join(', ')}] against [${c.expectedShape.join(', ')}])`;
      ctx.out(`${c.name} matches ${c.file}${c.exact ? ' exactly' : ` within tolerance (max |diff| ${c.maxAbsDiff})`}: ${c.elements} elements${shapes}`);
    }
    if (failed.length) throw mismatchError();
  },
});
