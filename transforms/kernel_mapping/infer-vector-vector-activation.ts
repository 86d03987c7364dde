import { BrainsmithError, classifyNodeDomain, defineTransform, getInt, type Graph, type Node } from '../../src/index.js';
import { constOf, datatypeOf, freshName, hwNode, isOnnxOp, isQonnxOp, setFloatInit, staticShape, type Const } from '../../src/rewrite.js';
import { fusibleActivation, replaceFused } from './_lib/mvau.js';
import { depthwiseKernelOf } from './_lib/sparsity.js';

/** The window generator feeding a depthwise product: a depthwise Im2Col or ConvolutionInputGenerator (any backend). */
function isDepthwiseWindow(node: Node | undefined): boolean {
  if (!node) return false;
  const window = isQonnxOp(node, 'Im2Col') || (node.opType.startsWith('ConvolutionInputGenerator') && classifyNodeDomain(node) === 'finn-hw');
  return window && getInt(node, 'depthwise', 0) === 1;
}

/**
 * The (C, 1, kh, kw) weights on the diagonal of the block-diagonal (kh·kw·C, C) matrix LowerConvsToMatMul
 * writes; an input error when an entry off the diagonal is not zero (the annotation does not fit the weights).
 */
function depthwiseWeights(mm: Node, w: Const, k: number, c: number): Float64Array {
  const out = new Float64Array(c * k);
  for (let p = 0; p < k; p++)
    for (let i = 0; i < c; i++)
      for (let o = 0; o < c; o++) {
        const v = w.data[(p * c + i) * c + o]!;
        if (i === o) out[o * k + p] = v;
        else if (v !== 0) {
          throw new BrainsmithError('E_ANNOTATION_INVALID', `MatMul '${mm.name}': weights '${mm.inputs[1]}' are annotated depthwise but entry [${p * c + i}, ${o}] off the channel diagonal is ${v}`, { kind: 'input' });
        }
      }
  return out;
}

/** Rewrites one annotated MatMul into a VVAU; false when the pattern does not fit (the node stays). */
function toVvau(graph: Graph, mm: Node): boolean {
  const x = mm.inputs[0]!;
  const wName = mm.inputs[1] ?? '';
  const out = mm.outputs[0]!;
  const kernel = depthwiseKernelOf(graph, wName);
  if (!kernel || graph.isInitializer(x)) return false;
  const w = constOf(graph, wName);
  if (!w || w.dims.length !== 2) return false;
  const idt = datatypeOf(graph, x);
  const wdt = datatypeOf(graph, wName);
  if (!idt.isInteger() || !wdt.isInteger()) return false;
  const shape = staticShape(graph, x);
  if (!shape || shape.length !== 4) return false;
  const [kh, kw] = kernel;
  const k = kh * kw;
  const [rows, C] = w.dims as [number, number];
  if (rows !== k * C || shape[3] !== rows) {
    throw new BrainsmithError('E_ANNOTATION_INVALID', `MatMul '${mm.name}': weights '${wName}' of shape [${rows}, ${C}] with input [${shape.join(', ')}] do not fit the depthwise kernel_shape [${kh}, ${kw}] (expected [${k}·C, C])`, { kind: 'input' });
  }
  // A window larger than 1×1 must come from a depthwise sliding window (its hardware streams channels in
  // the order the VVAU reads); a 1×1 kernel reads the image directly.
  if (k > 1 && !isDepthwiseWindow(graph.producer(x))) return false;
  const dw = depthwiseWeights(mm, w, k, C);
  // The VVAU reads (C, 1, kh, kw); the tensor keeps its name and annotations when nothing else reads it.
  let wOut = wName;
  if (graph.consumers(wName).length === 1) graph.removeValueInfo(wName);
  else wOut = graph.uniqueTensorName(`${wName}_dw`);
  setFloatInit(graph, wOut, [C, 1, kh, kw], dw, wdt.name);
  const accDataType = datatypeOf(graph, out).name;
  const attrs = {
    PE: 1, SIMD: 1, Dim: [shape[1]!, shape[2]!], Channels: C, Kernel: [kh, kw],
    inputDataType: idt.name, weightDataType: wdt.name, accDataType, mem_mode: 'internal_decoupled',
  };
  const name = freshName(graph, `VVAU_${mm.name}`);
  const act = fusibleActivation(graph, out, C, shape.length);
  if (act) {
    replaceFused(graph, mm, act, C, (t, y) =>
      hwNode('VVAU', [x, wOut, t], [y], { ...attrs, outputDataType: act.outputDataType, ActVal: act.actVal, noActivation: 0 }, name));
  } else {
    graph.insertBefore(mm, hwNode('VVAU', [x, wOut], [out], { ...attrs, outputDataType: accDataType, ActVal: 0, noActivation: 1 }, name));
    graph.removeNode(mm);
  }
  if (wOut !== wName && !graph.hasConsumers(wName)) graph.removeInitializer(wName);
  return true;
}

/**
 * MatMul with integer input and integer constant weights annotated depthwise (tensor_sparsity
 * {"dw": {"kernel_shape": [kh, kw]}}, from LowerConvsToMatMul), fed by a depthwise sliding window → VVAU
 * (PE = SIMD = 1) with weights (C, 1, kh, kw); a following MultiThreshold is absorbed as for MVAU, otherwise
 * noActivation = 1 (FINN's InferVectorVectorActivation).
 */
export default defineTransform({
  name: 'InferVectorVectorActivation',
  stage: 'kernel_mapping',
  description: 'Depthwise integer MatMul (sparsity-annotated) [+ MultiThreshold] → VVAU',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const mm of graph.nodeList()) {
      if (!mm.graph || !isOnnxOp(mm, 'MatMul')) continue;
      if (toVvau(graph, mm)) changed = true;
    }
    return changed;
  },
});
