import { defineTransform, ElemType, makeNode, makeTensor, makeValueInfo, tensorToProto } from '../../src/index.js';
import { z } from 'zod';
import { attributesOf, staticShape } from '../../src/rewrite.js';

const options = z.strictObject({
  k: z.number().int().min(1).default(1),
  /** Off unless asked for (`compile --insert-topk`, or a blueprint option): FINN's build inserts no TopK. */
  enabled: z.boolean().default(false),
});

/**
 * Classifier head as FINN's InsertTopK: a float graph output of shape [N, classes] is replaced by the indices
 * of its k largest values (INT64 [N, k]). This changes the model's outputs (logits → labels), so it is opt-in
 * (`enabled`, which the default blueprint takes from `compile --insert-topk`, as FINN's classifier examples
 * do in a custom step);
 * AbsorbScalarMulAddIntoTopK and InferLabelSelectLayer then fold the scale and map the TopK to LabelSelect.
 */
export default defineTransform({
  name: 'InsertTopK',
  stage: 'kernel_mapping',
  description: 'Replace a [N, classes] output by its top-k indices (opt-in: changes outputs)',
  options,
  apply(model, ctx) {
    if (!ctx.options.enabled) return false;
    const graph = model.graph;
    let changed = false;
    for (const out of graph.outputNames()) {
      const shape = staticShape(graph, out);
      const p = graph.producer(out);
      // One class is not a classifier head: its top-1 index would always be 0 (e.g. a single-logit detector).
      if (!shape || shape.length !== 2 || shape[1]! < 2 || !p || p.opType === 'TopK' || graph.getElemType(out) !== ElemType.FLOAT) continue;
      const k = Math.min(ctx.options.k, shape[1]!);
      const logits = graph.uniqueTensorName(`${out}_logits`);
      const kName = graph.uniqueTensorName(`${out}_k`);
      const values = graph.uniqueTensorName(`${out}_values`);
      graph.renameTensor(out, logits);
      // The renamed output's value info is the graph output entry: drop that first, or the shape set here
      // would go with it and leave the logits without a shape for the rules that map the head.
      graph.removeOutput(logits);
      graph.setShape(logits, shape, ElemType.FLOAT);
      // TopK's signature follows the model's opset: k is an attribute before opset 10, an input from 10 on;
      // largest and sorted exist from opset 11.
      const opset = model.opsets.get('') ?? 0;
      const name = `TopK_${out}`;
      if (opset < 10) {
        graph.addNode(makeNode({ opType: 'TopK', inputs: [logits], outputs: [values, out], name, attributes: attributesOf({ axis: -1, k }) }));
      } else {
        graph.setInitializer(tensorToProto(makeTensor(ElemType.INT64, [1], BigInt64Array.from([BigInt(k)])), kName));
        const attrs: Record<string, number> = opset < 11 ? { axis: -1 } : { axis: -1, largest: 1, sorted: 1 };
        graph.addNode(makeNode({ opType: 'TopK', inputs: [logits, kName], outputs: [values, out], name, attributes: attributesOf(attrs) }));
      }
      graph.addOutput(makeValueInfo(out, ElemType.INT64, [shape[0]!, k]));
      graph.setDatatypeName(out, 'INT64');
      changed = true;
    }
    return changed;
  },
});
