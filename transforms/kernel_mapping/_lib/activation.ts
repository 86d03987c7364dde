// MultiThreshold activation as FINN kernels carry it: out = #{t ≤ x} + ActVal, or BIPOLAR (scale 2, bias −1).
import { getFloat, getString, type Graph, type Node } from '../../../src/index.js';
import { constOf, datatypeOf, type Const } from '../../../src/rewrite.js';

export interface Activation {
  thresholds: Const;
  outputDataType: string;
  actVal: number;
}

/** The MultiThreshold's activation, or why it cannot go into a kernel. */
export function activationOf(graph: Graph, mt: Node): Activation | string {
  const t = constOf(graph, mt.inputs[1] ?? '');
  if (!t || t.dims.length !== 2) return 'thresholds are not a 2-D initializer';
  const scale = getFloat(mt, 'out_scale', 1);
  const bias = getFloat(mt, 'out_bias', 0);
  const odt = graph.getDatatypeName(mt.outputs[0]!) ?? getString(mt, 'out_dtype', 'FLOAT32');
  const bipolar = odt === 'BIPOLAR' && scale === 2 && bias === -1;
  if (!bipolar && scale !== 1) return `out_scale ${scale} is not 1`;
  if (!Number.isInteger(bias)) return `out_bias ${bias} is not an integer`;
  if (!datatypeOf(graph, mt.outputs[0]!).isInteger()) return `output datatype ${odt} is not an integer type`;
  return { thresholds: t, outputDataType: odt, actVal: bipolar ? 0 : bias };
}
