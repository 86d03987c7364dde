import { statSync } from 'node:fs';
import { BrainsmithError } from '../../errors.js';
import { defineCommand } from '../command.js';

interface InspectArgs {
  model: string;
}

export const inspectCommand = defineCommand<InspectArgs>({
  command: 'inspect <model>',
  describe: 'Show a model: IR and opsets, inputs and outputs with shapes and datatypes, ops by domain, initializers, verifier findings',
  builder: (y) =>
    y
      .positional('model', { type: 'string', describe: 'ONNX, QONNX or FINN model file', demandOption: true })
      .option('json', { type: 'boolean', default: false, describe: 'Print the summary as JSON on stdout' })
      .example('$0 inspect fixtures/tfc-mlp-w2a2.onnx', 'Summarize the quick-start model')
      .example('$0 inspect model.onnx --json | jq .ops', 'Op-type histogram for a script'),
  async run(args, ctx) {
    const { loadModel } = await import('../../onnx/load.js');
    const { summarizeModel } = await import('../../inspect/summary.js');
    const model = await loadModel(args.model);
    const summary = summarizeModel(model, { path: args.model, bytes: statSync(args.model).size });
    if (args.json) ctx.outJson(summary);
    else ctx.out((await import('../../util/escape.js')).escapeControl((await import('../../inspect/format.js')).formatSummary(summary), true));
    // A broken graph is a finding to show, and also a failure a script must be able to see.
    if (!summary.verifier.ok) {
      const first = summary.verifier.findings.find((f) => f.severity === 'error')!;
      throw new BrainsmithError('E_GRAPH_INVALID', `${args.model}: the graph is invalid: ${first.message}`, { kind: 'input', file: args.model });
    }
  },
});
