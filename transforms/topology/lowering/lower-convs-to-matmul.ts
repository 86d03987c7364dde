import { QONNX_GENERAL_DOMAIN, TENSOR_SPARSITY_KEY, defineTransform, getInt, getInts, getString } from '../../../src/index.js';
import { addConst, constOf, floatTypeOf } from '../../../src/rewrite.js';
import { annotateAccumulator, dropIfUnused, ensureQonnxOpset, isOnnxOp } from '../../../src/rewrite.js';
import { TO_NCHW, TO_NHWC, addTranspose } from '../../../src/rewrite.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/**
 * 2-D Conv (group 1, or depthwise) with constant weights → Transpose to NHWC, Im2Col (patches ordered kh, kw, c),
 * MatMul by the weights as a (kh·kw·C, Co) matrix (block-diagonal for depthwise), optional bias Add, Transpose
 * back to NCHW. 1×1 kernels with unit stride and no padding need no Im2Col. A depthwise MatMul's weights carry
 * FINN's sparsity annotation {"dw": {"kernel_shape": [kh, kw]}}, so kernel mapping makes it a VVAU (the
 * block-diagonal matrix keeps the model executable as plain ONNX).
 */
export default defineTransform({
  name: 'LowerConvsToMatMul',
  stage: 'topology',
  description: 'Lower 2-D convolutions to Im2Col + MatMul in NHWC between Transposes',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const conv of quantizedNodes(graph, 'Conv')) {
      if (!isOnnxOp(conv, 'Conv')) continue;
      const x = conv.inputs[0]!;
      const w = constOf(graph, conv.inputs[1] ?? '');
      const bias = conv.inputs[2] ? constOf(graph, conv.inputs[2]) : undefined;
      const shape = graph.getShape(x);
      if (!w || w.dims.length !== 4 || (conv.inputs[2] && !bias) || !shape || shape.length !== 4 || shape.some((d) => typeof d !== 'number')) continue;
      if (getString(conv, 'auto_pad', 'NOTSET') !== 'NOTSET') continue;
      const [, c, h, wd] = shape as number[];
      const [co, cig, kh, kw] = w.dims as [number, number, number, number];
      const group = getInt(conv, 'group', 1);
      const depthwise = group > 1 && group === c && cig === 1 && co === c;
      if (group !== 1 && !depthwise) continue;
      const pads = getInts(conv, 'pads', [0, 0, 0, 0]);
      const strides = getInts(conv, 'strides', [1, 1]);
      const dil = getInts(conv, 'dilations', [1, 1]);
      const k = kh * kw * c;
      const mat = new Float64Array(k * co);
      for (let o = 0; o < co; o++) {
        for (let p = 0; p < kh; p++) for (let q = 0; q < kw; q++) {
          if (depthwise) mat[((p * kw + q) * c + o) * co + o] = w.data[(o * kh + p) * kw + q]!;
          else for (let i = 0; i < c; i++) mat[((p * kw + q) * c + i) * co + o] = w.data[((o * c + i) * kh + p) * kw + q]!;
        }
      }
      const base = conv.name || 'Conv';
      const out = conv.outputs[0]!;
      const outShape = graph.getShape(out);
      const xT = addTranspose(graph, conv, x, TO_NHWC, `${base}_to_nhwc`);
      let patches = xT;
      const needIm2Col = kh !== 1 || kw !== 1 || pads.some((v) => v !== 0) || strides.some((v) => v !== 1);
      if (needIm2Col) {
        patches = graph.uniqueTensorName(`${base}_im2col`);
        graph.insertBefore(conv, {
          op_type: 'Im2Col', domain: QONNX_GENERAL_DOMAIN, name: `${base}_im2col`, input: [xT], output: [patches],
          attribute: [
            { name: 'stride', type: 7, ints: strides }, { name: 'kernel_size', type: 7, ints: [kh, kw] },
            { name: 'input_shape', type: 3, s: new TextEncoder().encode(`(1, ${h}, ${wd}, ${c})`) },
            { name: 'pad_amount', type: 7, ints: pads }, { name: 'pad_value', type: 2, i: 0 },
            { name: 'depthwise', type: 2, i: depthwise ? 1 : 0 }, { name: 'dilations', type: 7, ints: dil },
          ],
        });
        if (outShape) graph.setShape(patches, [outShape[0]!, outShape[2]!, outShape[3]!, k], graph.getElemType(x));
        const dt = graph.getDatatypeName(x);
        if (dt) graph.setDatatypeName(patches, dt);
      }
      const wName = addConst(graph, `${base}_weights`, { dims: [k, co], data: mat }, floatTypeOf(graph, conv.inputs[1]!));
      const wdt = graph.getDatatypeName(conv.inputs[1]!);
      if (wdt) graph.setDatatypeName(wName, wdt);
      if (depthwise) graph.setAnnotation(wName, TENSOR_SPARSITY_KEY, JSON.stringify({ dw: { kernel_shape: [kh, kw] } }));
      const nhwcShape = outShape ? [outShape[0]!, outShape[2]!, outShape[3]!, outShape[1]!] : undefined;
      let y = graph.uniqueTensorName(`${base}_matmul`);
      const mm = graph.insertBefore(conv, { op_type: 'MatMul', name: `${base}_matmul`, input: [patches, wName], output: [y] });
      if (nhwcShape) graph.setShape(y, nhwcShape, graph.getElemType(out));
      annotateAccumulator(graph, mm);
      if (bias) {
        const b = addConst(graph, `${base}_bias`, { dims: [co], data: bias.data }, floatTypeOf(graph, conv.inputs[2]!));
        const biased = graph.uniqueTensorName(`${base}_biased`);
        graph.insertBefore(conv, { op_type: 'Add', name: `${base}_bias`, input: [y, b], output: [biased] });
        if (nhwcShape) graph.setShape(biased, nhwcShape, graph.getElemType(out));
        y = biased;
      }
      const odt = graph.getDatatypeName(out);
      const params = conv.inputs.slice(1);
      graph.replaceNode(conv, {
        op_type: 'Transpose', name: `${base}_to_nchw`, input: [y], output: [out], attribute: [{ name: 'perm', type: 7, ints: TO_NCHW }],
      });
      if (odt && !bias) graph.setDatatypeName(y, odt);
      dropIfUnused(graph, ...params);
      ensureQonnxOpset(model);
      changed = true;
    }
    return changed;
  },
});
