import { defineTransform, makeNode, parseDataType, z, type AttributeProto } from '../../src/index.js';
import { hwEdges, insertIntoEdge, uniqueNodeName } from '../../src/rewrite.js';

const HW_DOMAIN = 'finn.custom_op.fpgadataflow';
const DWC = 'StreamingDataWidthConverter';

const int = (name: string, i: number): AttributeProto => ({ name, type: 2, i });
const ints = (name: string, v: readonly number[]): AttributeProto => ({ name, type: 7, ints: [...v] });
const str = (name: string, s: string): AttributeProto => ({ name, type: 3, s: new TextEncoder().encode(s) });

/**
 * The stream shape the consumer reads: the tensor's shape, or, when the consumer's word does not divide the
 * last axis but divides a frame (an MVAU reading [1, H, W, C] as one vector after a removed flatten), the
 * frame flattened to [N, H·W·C], so that the converter's output and the FIFO after it fold by that vector.
 */
function consumerShape(shape: number[], width: number, dt: string): number[] {
  const bits = dt ? parseDataType(dt).bitwidth() : 0;
  const last = shape.at(-1) ?? 0;
  if (shape.length < 3 || !(bits > 0) || width % bits !== 0 || last % (width / bits) === 0) return shape;
  const frame = shape.slice(1).reduce((x, y) => x * y, 1);
  return frame % (width / bits) === 0 ? [shape[0]!, frame] : shape;
}

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
      const outShape = consumerShape(shape, e.inWidth, dt);
      const name = uniqueNodeName(model, DWC);
      const out = insertIntoEdge(model, e, (input, output) => makeNode({
        opType: DWC, domain: HW_DOMAIN, name, inputs: [input], outputs: [output],
        attributes: [
          int('inWidth', e.outWidth!), int('outWidth', e.inWidth!), ints('in_shape', shape), ints('out_shape', outShape),
          str('dataType', dt), str('backend', 'fpgadataflow'), str('preferred_impl_style', ''),
        ],
      }), 'dwc');
      if (outShape !== shape) g.setShape(out, outShape, g.getElemType(e.tensor));
      ctx.log.debug(`InsertDWC: ${name} ${e.outWidth} → ${e.inWidth} bits between ${e.producer.name} and ${e.consumer.name}`);
      changed = true;
    }
    if (unknown.length) ctx.log.debug(`InsertDWC: stream widths not declared for ${unknown.join(', ')}`);
    return changed;
  },
});
