// Shared by InferQuantizedMatrixVectorActivation and InferBinaryMatrixVectorActivation: a matrix product
// with constant weights becomes an MVAU, absorbing a following MultiThreshold when it can.
import { getString, type DataType, type Graph, type Node } from '../../../src/index.js';
import { activationOf } from './activation.js';
import { constOf, datatypeOf, freshName, hwNode, isQonnxOp, setFloatInit, staticShape, thresholdDatatype, thresholdRows } from './hw-node.js';

/** Rewrites one product node into an MVAU; false when the pattern does not fit (the node stays). */
export function toMvau(graph: Graph, mm: Node, binary: boolean, check: (idt: DataType, wdt: DataType) => boolean): boolean {
  const x = mm.inputs[0]!;
  const wName = mm.inputs[1]!;
  const out = mm.outputs[0]!;
  if (graph.isInitializer(x)) return false;
  const w = constOf(graph, wName);
  if (!w || w.dims.length !== 2) return false;
  // Depthwise (sparse) weights are VVAU's.
  if (graph.getAnnotation(wName, 'sparsity') !== undefined) return false;
  const idt = datatypeOf(graph, x);
  const wdt = datatypeOf(graph, wName);
  if (!check(idt, wdt)) return false;
  const shape = staticShape(graph, x);
  const [MW, MH] = w.dims as [number, number];
  if (!shape || shape[shape.length - 1] !== MW) return false;
  const vectors = shape.length > 1 ? shape.slice(0, -1) : [1];
  const accDataType = datatypeOf(graph, out).name;
  const attrs = {
    PE: 1, SIMD: 1, MW, MH,
    inputDataType: idt.name,
    weightDataType: wdt.name,
    accDataType,
    binaryXnorMode: binary ? 1 : 0,
    numInputVectors: vectors,
    mem_mode: 'internal_decoupled',
  };
  const name = freshName(graph, `MVAU_${mm.name}`);
  const uses = graph.consumers(out);
  const mt = uses.length === 1 && !graph.isGraphOutput(out) ? uses[0]!.node : undefined;
  if (mt && isQonnxOp(mt, 'MultiThreshold') && uses[0]!.index === 0) {
    const act = activationOf(graph, mt);
    const rank = shape.length;
    const layout = getString(mt, 'data_layout', 'NCHW');
    const channelsLastOk = rank <= 2 || layout === 'NHWC';
    const rows = typeof act === 'string' ? undefined : thresholdRows(act.thresholds, MH);
    if (typeof act !== 'string' && channelsLastOk && rows && rows.every((v) => Number.isInteger(v))) {
      const tName = graph.uniqueTensorName(`${mt.name || 'MVAU'}_thresholds`);
      const tdt = thresholdDatatype(rows);
      setFloatInit(graph, tName, [MH, act.thresholds.dims[1]!], rows, tdt);
      const y = mt.outputs[0]!;
      graph.insertBefore(mm, hwNode('MVAU', [x, wName, tName], [y], { ...attrs, outputDataType: act.outputDataType, ActVal: act.actVal, noActivation: 0 }, name));
      const oldT = mt.inputs[1]!;
      graph.removeNode(mm);
      graph.removeNode(mt);
      graph.removeValueInfo(out);
      graph.setDatatypeName(out, undefined);
      if (!graph.hasConsumers(oldT)) graph.removeInitializer(oldT);
      return true;
    }
  }
  graph.insertBefore(mm, hwNode('MVAU', [x, wName], [out], { ...attrs, outputDataType: accDataType, ActVal: 0, noActivation: 1 }, name));
  graph.removeNode(mm);
  return true;
}
