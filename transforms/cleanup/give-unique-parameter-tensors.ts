import { defineTransform, type TensorProto } from '../../src/index.js';

/** A copy of an initializer under a new name; the bytes are copied so later in-place edits stay local. */
function copyOf(t: TensorProto, name: string): TensorProto {
  const c: TensorProto = { ...t, name };
  if (t.raw_data) c.raw_data = t.raw_data.slice();
  for (const f of ['float_data', 'int32_data', 'int64_data', 'double_data', 'uint64_data', 'string_data'] as const) {
    const v = t[f];
    if (v && v.length) (c as Record<string, unknown>)[f] = [...v];
  }
  return c;
}

/**
 * FINN GiveUniqueParameterTensors: an initializer read by several node inputs gets one copy per further use,
 * so transforms may rewrite one node's weights without touching another's. Annotations are copied too.
 */
export default defineTransform({
  name: 'GiveUniqueParameterTensors',
  stage: 'cleanup',
  description: 'Give every use of a shared initializer its own copy',
  apply(model, ctx) {
    const graph = model.graph;
    let copies = 0;
    for (const name of graph.initializerNames()) {
      if (graph.isGraphInput(name) || graph.isGraphOutput(name)) continue;
      const uses = graph.consumers(name);
      if (uses.length < 2) continue;
      const init = graph.getInitializer(name)!;
      const notes = graph.annotationsOf(name);
      for (const use of uses.slice(1)) {
        const fresh = graph.uniqueTensorName(name);
        graph.setInitializer(copyOf(init, fresh));
        for (const [k, v] of notes ?? []) graph.setAnnotation(fresh, k, v);
        graph.setInput(use.node, use.index, fresh);
        copies++;
      }
    }
    if (copies) ctx.log.debug({ copies }, 'copied shared initializers');
    return copies > 0;
  },
});
