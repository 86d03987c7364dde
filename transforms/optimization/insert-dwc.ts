import { defineTransform, makeNode, z, type AttributeProto } from '../../src/index.js';
import { hwEdges, insertIntoEdge, uniqueNodeName } from '../../src/rewrite.js';

const HW_DOMAIN = 'finn.custom_op.fpgadataflow';
const DWC = 'StreamingDataWidthConverter';

const int = (name: string, i: number): AttributeProto => ({ name, type: 2, i });
const ints = (name: string, v: readonly number[]): AttributeProto => ({ name, type: 7, ints: [...v] });
const str = (name: string, s: string): AttributeProto => ({ name, type: 3, s: new TextEncoder().encode(s) });

/**
 * FINN's InsertDWC: a StreamingDataWidthConverter (not yet specialized) on every stream between two
 * kernels whose widths differ, as the kernels' streamWidths hooks declare them. Streams whose width a
 * kernel does not declare are left alone and listed at debug level.
 */
export default defineTransform({
  name: 'InsertDWC',
  stage: 'optimization',
  description: 'Insert data width converters where producer and consumer stream widths differ',
  options: z.object({}),
  async apply(model, ctx) {
    const edges = await hwEdges(model, ctx.hw);
    const unknown: string[] = [];
    let changed = false;
    for (const e of edges) {
      if (e.outWidth === undefined || e.inWidth === undefined) {
        unknown.push(`${e.producer.name} → ${e.consumer.name}`);
        continue;
      }
      if (e.outWidth === e.inWidth) continue;
      const g = model.graph;
      const shape = (g.getShape(e.tensor) ?? []).map((d) => (typeof d === 'number' ? d : 0));
      const dt = g.getDatatypeName(e.tensor) ?? '';
      const name = uniqueNodeName(model, DWC);
      insertIntoEdge(model, e, (input, output) => makeNode({
        opType: DWC, domain: HW_DOMAIN, name, inputs: [input], outputs: [output],
        attributes: [
          int('inWidth', e.outWidth!), int('outWidth', e.inWidth!), ints('in_shape', shape), ints('out_shape', shape),
          str('dataType', dt), str('backend', 'fpgadataflow'), str('preferred_impl_style', ''),
        ],
      }), 'dwc');
      ctx.log.debug(`InsertDWC: ${name} ${e.outWidth} → ${e.inWidth} bits between ${e.producer.name} and ${e.consumer.name}`);
      changed = true;
    }
    if (unknown.length) ctx.log.debug(`InsertDWC: stream widths not declared for ${unknown.join(', ')}`);
    return changed;
  },
});
