import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nativeOp } from '../../src/exec/registry.js';
import { setFloat, setInt, setInts, setString } from '../../src/ir/attributes.js';
import { Model } from '../../src/ir/model.js';
import { makeNode, Node } from '../../src/ir/node.js';
import { ElemType } from '../../src/tensor/element-type.js';
import type { TensorValue } from '../../src/tensor/tensor-value.js';
import path from 'node:path';
import { executeModel } from '../../src/exec/execute.js';
import { readNpy } from '../../src/exec/npy.js';
import { loadModel } from '../../src/onnx/load.js';
import { readNpz } from '../helpers/npz.js';
import { shared, skipNoShared } from '../helpers/paths.js';

/** QONNX ops against values worked out by hand from finn-qonnx reference §5. */

type Attr = number | string | number[] | { f: number };

function f32(dims: number[], values: number[]): TensorValue {
  return { elemType: ElemType.FLOAT, dims, data: Float32Array.from(values) };
}

const scalar = (v: number): TensorValue => f32([], [v]);

async function run(opType: string, inputs: TensorValue[], attrs: Record<string, Attr> = {}, domain = 'qonnx.custom_op.general'): Promise<TensorValue> {
  const p = makeNode({ opType, domain, inputs: inputs.map((_, i) => `in${i}`), outputs: ['y'] });
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'string') setString(p, k, v);
    else if (Array.isArray(v)) setInts(p, k, v);
    else if (typeof v === 'object') setFloat(p, k, v.f);
    else setInt(p, k, v);
  }
  const impl = nativeOp(domain, opType);
  assert.ok(impl, `${domain}:${opType} is native`);
  const [y] = await impl(inputs, { node: new Node(p), model: new Model({}), opset: 1 });
  return y!;
}

const values = (t: TensorValue): number[] => Array.from(t.data as Float32Array, (v) => v + 0);

describe('Quant / IntQuant', () => {
  test('ROUND is half-to-even, and values are clamped to the signed range', async () => {
    const y = await run('Quant', [f32([6], [-2.6, -0.5, 0.5, 1.5, 2.5, 7.9]), scalar(1), scalar(0), scalar(3)], { signed: 1, narrow: 0, rounding_mode: 'ROUND' });
    assert.deepEqual(values(y), [-3, 0, 0, 2, 2, 3]);
  });

  test('narrow drops the most negative code', async () => {
    const y = await run('IntQuant', [f32([2], [-5, -3.4]), scalar(1), scalar(0), scalar(3)], { signed: 1, narrow: 1 });
    assert.deepEqual(values(y), [-3, -3]);
    const u = await run('Quant', [f32([2], [9, 2.4]), scalar(1), scalar(0), scalar(3)], { signed: 0, narrow: 1 });
    assert.deepEqual(values(u), [6, 2]);
  });

  test('every rounding mode on halves', async () => {
    const x = f32([6], [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5]);
    const expected: Record<string, number[]> = {
      ROUND: [-2, -2, 0, 0, 2, 2],
      CEIL: [-2, -1, 0, 1, 2, 3],
      FLOOR: [-3, -2, -1, 0, 1, 2],
      UP: [-3, -2, -1, 1, 2, 3],
      DOWN: [-2, -1, 0, 0, 1, 2],
      HALF_UP: [-3, -2, -1, 1, 2, 3],
      HALF_DOWN: [-2, -1, 0, 0, 1, 2],
    };
    for (const [mode, want] of Object.entries(expected)) {
      const y = await run('Quant', [x, scalar(1), scalar(0), scalar(8)], { signed: 1, narrow: 0, rounding_mode: mode });
      assert.deepEqual(values(y), want, mode);
    }
  });

  test('scale and zero point: y = clamp(x/s + z) rounded, out = (y - z)·s; per-channel scale broadcasts', async () => {
    // x/s + z = [1.6, 3, 9.4] → clamp to [0, 3] (unsigned 2 bits) → round → [2, 3, 3] → minus z, times s.
    const y = await run('Quant', [f32([3], [0.3, 1, 4.2]), scalar(0.5), scalar(1), scalar(2)], { signed: 0, narrow: 0 });
    assert.deepEqual(values(y), [0.5, 1, 1]);
    const pc = await run('Quant', [f32([2, 2], [1, 2, 3, 4]), f32([2, 1], [2, 1]), scalar(0), scalar(4)], { signed: 1, narrow: 0 });
    assert.deepEqual(values(pc), [0, 2, 3, 4]); // 0.5 → 0 (half-even), 1 → 1 (·2 = 2); second row scale 1
  });

  test('a 1-bit signed Quant is bipolar', async () => {
    const y = await run('Quant', [f32([3], [-0.1, 0, 2]), scalar(0.5), scalar(0), scalar(1)], { signed: 1, narrow: 0 });
    assert.deepEqual(values(y), [-0.5, 0.5, 0.5]);
  });

  test('an unknown rounding mode is an error naming it', async () => {
    await assert.rejects(run('Quant', [f32([1], [1]), scalar(1), scalar(0), scalar(4)], { rounding_mode: 'STOCHASTIC' }), /unknown rounding_mode 'STOCHASTIC'/);
  });

  test('legacy domains resolve to the same ops', () => {
    for (const d of ['onnx.brevitas', 'finn.custom_op.general', 'qonnx.custom_op.general']) assert.equal(nativeOp(d, 'Quant'), nativeOp('qonnx.custom_op.general', 'Quant'));
  });
});

test('BipolarQuant: sign (0 counts as +1) times scale', async () => {
  const y = await run('BipolarQuant', [f32([3], [-3, 0, 4]), scalar(2)]);
  assert.deepEqual(values(y), [-2, 2, 2]);
});

describe('Trunc', () => {
  test('v1 drops in_bw - out_bw low bits with the rounding mode', async () => {
    const y = await run('Trunc', [f32([3], [7, 13, -5]), scalar(1), scalar(0), scalar(8), scalar(6)], { rounding_mode: 'FLOOR' });
    assert.deepEqual(values(y), [1, 3, -2]);
  });

  test('v2 scales by 2^round(log2(out_scale/scale)), clamps to out_bw, outputs in out_scale', async () => {
    // trunc_scale = 4: [7, 13, 40]/4 = [1.75, 3.25, 10] → clamp to [-8, 7] (signed 4 bits) → floor → ·8.
    const y = await run('Trunc', [f32([3], [7, 13, 40]), scalar(1), scalar(0), scalar(8), scalar(4), scalar(4)], { rounding_mode: 'FLOOR', signed: 1, narrow: 0 });
    assert.deepEqual(values(y), [4, 12, 28]);
  });
});

describe('MultiThreshold', () => {
  const thresholds = f32([2, 3], [0, 1, 2, 1, 2, 3]);
  test('NCHW: channel axis 1; x ≥ t counts; out_scale and out_bias', async () => {
    const x = f32([1, 2, 1, 2], [0.5, 2.5, 0.5, 2.5]);
    const y = await run('MultiThreshold', [x, thresholds], { out_scale: { f: 2 }, out_bias: { f: -1 } });
    assert.deepEqual(values(y), [1, 5, -1, 3]);
    const eq = await run('MultiThreshold', [f32([1, 2], [1, 1]), thresholds]);
    assert.deepEqual(values(eq), [2, 1]); // a value equal to a threshold counts it
  });

  test('NHWC: channel axis last; one threshold row is shared by all channels', async () => {
    const x = f32([1, 1, 2, 2], [0.5, 0.5, 2.5, 2.5]);
    assert.deepEqual(values(await run('MultiThreshold', [x, thresholds], { data_layout: 'NHWC' })), [1, 0, 3, 2]);
    assert.deepEqual(values(await run('MultiThreshold', [x, f32([1, 2], [1, 2])], { data_layout: 'NHWC' })), [0, 0, 2, 2]);
  });

  test('a threshold table for the wrong channel count is an error', async () => {
    await assert.rejects(run('MultiThreshold', [f32([1, 3], [0, 0, 0]), thresholds]), /thresholds have 2 channels, input has 3/);
  });
});

test('XnorPopcountMatMul counts agreeing bits', async () => {
  const y = await run('XnorPopcountMatMul', [f32([1, 3], [1, 0, 1]), f32([3, 2], [1, 0, 0, 0, 1, 1])]);
  assert.deepEqual(values(y), [3, 2]);
});

describe('Im2Col', () => {
  const x = f32([1, 3, 3, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  test('patches ordered (kh, kw, c), NHWC output', async () => {
    const y = await run('Im2Col', [x], { kernel_size: [2, 2], stride: [1, 1], input_shape: '(1, 3, 3, 1)' });
    assert.deepEqual(y.dims, [1, 2, 2, 4]);
    assert.deepEqual(values(y), [1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9]);
  });
  test('padding with pad_value and stride', async () => {
    const y = await run('Im2Col', [x], { kernel_size: [2, 2], stride: [2, 2], pad_amount: [1, 1, 0, 0], pad_value: 0 });
    assert.deepEqual(values(y), [0, 0, 0, 1, 0, 0, 2, 3, 0, 4, 0, 7, 5, 6, 8, 9]);
  });
});

test('MaxPoolNHWC pools each channel of a channels-last tensor', async () => {
  const x = f32([1, 2, 2, 2], [1, -1, 5, -2, 3, -7, 2, -3]);
  const y = await run('MaxPoolNHWC', [x], { kernel_shape: [2, 2], strides: [2, 2] });
  assert.deepEqual(y.dims, [1, 1, 1, 2]);
  assert.deepEqual(values(y), [5, -1]);
});

test('QuantAvgPool2d: sum pooling, then a shift from the sum\'s width down to obits', async () => {
  // UINT2 inputs, 2x2 kernel: sums fit 4 bits; obits 2 → shift by 2: floor(11 / 4) = 2.
  const y = await run('QuantAvgPool2d', [f32([1, 1, 2, 2], [3, 3, 3, 2])], { kernel: 2, stride: 2, ibits: 2, obits: 2, signed: 0 });
  assert.deepEqual(values(y), [2]);
});

describe('FloatQuant', () => {
  // OCP fp8 e4m3: 4 exponent bits, 3 mantissa bits, bias 7, max 448 (saturating, NaN but no infinity).
  const e4m3 = (x: TensorValue, attrs: Record<string, Attr> = {}): Promise<TensorValue> =>
    run('FloatQuant', [x, scalar(1), scalar(4), scalar(3), scalar(7), scalar(448)], { has_inf: 0, has_nan: 1, has_subnormal: 1, saturation: 1, rounding_mode: 'round', ...attrs });

  test('normal values round to 3 mantissa bits, halves to even; out of range saturates', async () => {
    // 0.3 = 9.6 steps of 2^-5 → 10 → 0.3125; 0.296875 = 9.5 steps → 10; 0.265625 = 8.5 steps → 8 → 0.25.
    const y = await e4m3(f32([6], [0.3, -0.3, 0.296875, 0.265625, 1000, -1000]));
    assert.deepEqual(values(y), [0.3125, -0.3125, 0.3125, 0.25, 448, -448]);
  });

  test('subnormals share the smallest normal exponent\'s step (2^-9); zero stays zero', async () => {
    // 0.001 = 0.512 steps → 1 → 2^-9; 0.0009 = 0.46 steps → 0.
    const y = await e4m3(f32([3], [0.001, 0.0009, 0]));
    assert.deepEqual(values(y), [2 ** -9, 0, 0]);
  });

  test('without saturation an overflow is NaN (no infinity in e4m3) or ±inf where the format has it; a scale divides and multiplies back', async () => {
    assert.ok(Number.isNaN(values(await e4m3(f32([1], [1000]), { saturation: 0 }))[0]!));
    assert.deepEqual(values(await e4m3(f32([2], [1000, -1000]), { saturation: 0, has_inf: 1 })), [Infinity, -Infinity]);
    const scaled = await run('FloatQuant', [f32([1], [0.6]), scalar(2), scalar(4), scalar(3), scalar(7), scalar(448)], { has_subnormal: 1 });
    assert.deepEqual(values(scaled), [0.625]); // 0.3 → 0.3125, times 2
  });

  test('a format without subnormals is refused with the node named, not guessed at', async () => {
    await assert.rejects(e4m3(f32([1], [0.3]), { has_subnormal: 0 }), /has_subnormal=0 .* not supported/);
  });

  test('Brevitas fp8 export (qonnx floatquant_exec): each FloatQuant equals Brevitas\' own values bit for bit; the Gemm output matches', { skip: skipNoShared }, async () => {
    const dir = shared('qonnx', 'floatquant_exec');
    const model = await loadModel(path.join(dir, 'qonnx_act_weight_fp8.onnx'));
    const x = readNpy(path.join(dir, 'test_data', 'input.npy'));
    const r = await executeModel(model, new Map([[model.graph.inputNames()[0]!, x]]), { fallback: 'none', keepIntermediates: true });
    const golden = readNpz(path.join(dir, 'test_data', 'activation.npz'));
    for (const [name, tensor] of [['input_quant', '/input_quant/export_handler/FloatQuant_output_0'], ['weight_quant', '/weight_quant/export_handler/FloatQuant_output_0']] as const) {
      assert.deepEqual(Array.from(r.intermediates!.get(tensor)!.data as Float32Array), Array.from(golden.get(name)!.data as Float32Array), name);
    }
    const want = Array.from(readNpy(path.join(dir, 'test_data', 'output.npy')).data as Float32Array);
    const got = Array.from([...r.outputs.values()][0]!.data as Float32Array);
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= 1e-6, `output ${i}: ${v} vs ${want[i]}`));
  });
});
