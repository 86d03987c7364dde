import { statSync } from 'node:fs';
import path from 'node:path';
import { defineCommand } from '../command.js';

interface ConvertArgs {
  input: string;
  output: string;
  externalData?: boolean;
  externalDataLocation?: string;
  verify: boolean;
}

export const convertCommand = defineCommand<ConvertArgs>({
  command: 'convert <input> <output>',
  describe: 'Load a model and save it again: the lossless path, optionally moving initializers to an external data file',
  builder: (y) =>
    y
      .positional('input', { type: 'string', describe: 'ONNX model to read', demandOption: true })
      .positional('output', { type: 'string', describe: 'Where to write the model (written atomically)', demandOption: true })
      .option('external-data', {
        type: 'boolean',
        default: false,
        describe: 'Write initializers to an external data file beside the output (automatic past 2 GB)',
      })
      .option('external-data-location', {
        type: 'string',
        describe: 'File name of the external data, relative to the output folder (default <output>.data)',
      })
      .option('verify', {
        type: 'boolean',
        default: true,
        describe: 'Refuse a model whose graph is broken (--no-verify writes it anyway)',
      })
      .option('json', { type: 'boolean', default: false, describe: 'Print a JSON summary on stdout' })
      .example('$0 convert model.onnx copy.onnx', 'Round-trip a model (every field kept)')
      .example('$0 convert big.onnx out/big.onnx --external-data', 'Move the weights to an external file beside out/big.onnx')
      .example('$0 convert broken.onnx copy.onnx --no-verify', 'Copy a model even though its graph is broken'),
  async run(args, ctx) {
    const { loadModel } = await import('../../onnx/load.js');
    const { saveModel } = await import('../../onnx/save.js');
    const t0 = performance.now();
    ctx.log.debug({ input: args.input }, 'loading');
    const model = await loadModel(args.input);
    if (args.verify) {
      const { assertGraphValid } = await import('../../ir/verify.js');
      assertGraphValid(model.graph, `${args.input}: the graph is invalid`);
    }
    const externalData = args.externalDataLocation
      ? { location: args.externalDataLocation }
      : args.externalData;
    // The output's folder is created, as `compile -o` does.
    const { mkdirSync } = await import('node:fs');
    const { dirname } = await import('node:path');
    mkdirSync(dirname(args.output), { recursive: true });
    await saveModel(model, args.output, { externalData });
    const bytes = statSync(args.output).size;
    const summary = {
      input: path.resolve(args.input),
      output: path.resolve(args.output),
      bytes,
      externalData: Boolean(externalData),
      ms: Math.round(performance.now() - t0),
    };
    if (args.json) ctx.outJson(summary);
    else ctx.out(`wrote ${args.output} (${bytes} bytes${externalData ? ', with external data' : ''}) in ${summary.ms} ms`);
  },
});
