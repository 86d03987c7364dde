import { defineTransform, makeNode, z, type AttributeProto } from '../../src/index.js';
import { parseDataType } from '../../src/index.js';
import { foldedShape, hwEdges, insertIntoEdge, uniqueNodeName } from '../../src/rewrite.js';

const HW_DOMAIN = 'finn.custom_op.fpgadataflow';
const FIFO = 'StreamingFIFO';

const int = (name: string, i: number): AttributeProto => ({ name, type: 2, i });
const ints = (name: string, v: readonly number[]): AttributeProto => ({ name, type: 7, ints: [...v] });
const str = (name: string, s: string): AttributeProto => ({ name, type: 3, s: new TextEncoder().encode(s) });

const options = z.object({
  /** Depth of a FIFO whose neighbours ask for none deeper (FINN's shallow FIFO). */
  depth: z.number().int().min(1).default(2),
  /** Insert FIFOs of the default depth too (FINN's create_shallow_fifos); false: only deeper ones. */
  create_shallow_fifos: z.boolean().default(true),
  impl_style: z.enum(['rtl', 'vivado']).default('rtl'),
  ram_style: z.enum(['auto', 'block', 'distributed', 'ultra']).default('auto'),
});

function depthAttr(v: unknown, i: number): number | undefined {
  return Array.isArray(v) && typeof v[i] === 'number' ? (v[i] as number) : undefined;
}

/**
 * FINN's InsertFIFO: a StreamingFIFO on every stream between two kernels; its depth is the larger of the
 * producer's outFIFODepths and the consumer's inFIFODepths entry (default `depth`). Streams that already
 * start or end at a FIFO are left alone, so applying it twice changes nothing.
 */
export default defineTransform({
  name: 'InsertFIFO',
  stage: 'optimization',
  description: 'Insert StreamingFIFOs between kernels (depth 2 by default; sizing comes later)',
  options,
  async apply(model, ctx) {
    const o = ctx.options as z.infer<typeof options>;
    const edges = await hwEdges(model, ctx.hw);
    let changed = false;
    for (const e of edges) {
      if (e.producer.node.opType.startsWith(FIFO) || e.consumer.node.opType.startsWith(FIFO)) continue;
      const depth = Math.max(o.depth, depthAttr(e.producer.view.attrs.outFIFODepths, e.outIndex) ?? 0, depthAttr(e.consumer.view.attrs.inFIFODepths, e.inIndex) ?? 0);
      if (depth <= 2 && !o.create_shallow_fifos) continue;
      const g = model.graph;
      const normal = (g.getShape(e.tensor) ?? []).map((d) => (typeof d === 'number' ? d : 0));
      const dt = g.getDatatypeName(e.tensor) ?? '';
      const width = e.outWidth ?? e.inWidth;
      const folded = width !== undefined && dt ? foldedShape(normal, width, parseDataType(dt).bitwidth()) : undefined;
      if (!folded) ctx.log.debug(`InsertFIFO: stream width of ${e.tensor} unknown; folded_shape left as the normal shape`);
      const name = uniqueNodeName(model, FIFO);
      insertIntoEdge(model, e, (input, output) => makeNode({
        opType: FIFO, domain: HW_DOMAIN, name, inputs: [input], outputs: [output],
        attributes: [
          int('depth', depth), ints('folded_shape', folded ?? normal), ints('normal_shape', normal), str('dataType', dt),
          str('impl_style', o.impl_style), str('ram_style', o.ram_style), str('backend', 'fpgadataflow'),
        ],
      }), 'fifo');
      changed = true;
    }
    return changed;
  },
});
