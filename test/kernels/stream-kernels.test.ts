import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElemType, makeTensor, tensorToNumbers, type TensorValue } from '../../src/index.js';
import { seededRandom } from '../../src/util/prng.js';
import pool, { poolAttributes } from '../../kernels/Pool/kernel.js';
import addStreams, { addStreamsAttributes } from '../../kernels/AddStreams/kernel.js';
import channelwise, { channelwiseOpAttributes } from '../../kernels/ChannelwiseOp/kernel.js';
import duplicate, { duplicateStreamsAttributes } from '../../kernels/DuplicateStreams/kernel.js';
import gap, { globalAccPoolAttributes } from '../../kernels/GlobalAccPool/kernel.js';
import concat, { streamingConcatAttributes } from '../../kernels/StreamingConcat/kernel.js';
import eltwise, { streamingEltwiseAttributes } from '../../kernels/StreamingEltwise/kernel.js';
import lookup, { lookupAttributes } from '../../kernels/Lookup/kernel.js';
import upsample, { upsampleAttributes } from '../../kernels/UpsampleNearestNeighbour/kernel.js';
import downsampler, { downSamplerAttributes } from '../../kernels/DownSampler/kernel.js';
import poolHls from '../../kernels/Pool/hls.js';
import { ctx, view } from './support.js';

const f32 = (dims: number[], data: number[]): TensorValue => makeTensor(ElemType.FLOAT, dims, Float32Array.from(data));
const ints = (rand: () => number, n: number, lo: number, hi: number) => Array.from({ length: n }, () => lo + Math.floor(rand() * (hi - lo + 1)));
const vals = (t: TensorValue | undefined) => [...tensorToNumbers(t!)];
const rand = seededRandom(3);

test('Pool: MaxPool and QuantAvgPool on Im2Col-ordered windows; cycles; zero resources', async () => {
  const C = 3, K = 4; // 2×2 window
  const x = ints(rand, 2 * K * C, 0, 15);
  const win = (p: number, c: number) => Array.from({ length: K }, (_, k) => x[(p * K + k) * C + c]!);
  const base = { Channels: C, KernelSize: [2, 2], OutImgDims: [1, 2], InputDataType: 'UINT4', OutputDataType: 'UINT4' };
  const [m] = await pool.execute!([f32([1, 1, 2, K * C], x)], { ...base, Function: 'MaxPool' }, ctx);
  assert.deepEqual(vals(m), [0, 1].flatMap((p) => [0, 1, 2].map((c) => Math.max(...win(p, c)))));
  // shift = bitlength(15·4 = 60) − 4 = 6 − 4 = 2
  const [q] = await pool.execute!([f32([1, 1, 2, K * C], x)], { ...base, Function: 'QuantAvgPool' }, ctx);
  assert.deepEqual(vals(q), [0, 1].flatMap((p) => [0, 1, 2].map((c) => Math.floor(win(p, c).reduce((a, b) => a + b) / 4))));
  // (C·k²/PE)·prod(odims)·batch = (4·4/2)·9 = 72
  const v = view(poolAttributes, { Channels: 4, PE: 2, KernelSize: [2, 2], OutImgDims: [3, 3], Function: 'MaxPool', InputDataType: 'INT4', OutputDataType: 'INT4' });
  assert.equal(pool.cycles!(v, ctx), 72);
  assert.deepEqual(pool.parallelism!(v, ctx), { PE: { dimension: 'Channels', size: 4, drivesProducer: 'SIMD' } });
  assert.deepEqual(poolHls.estimate!(v, ctx), { BRAM_18K: 0, BRAM_efficiency: 1, LUT: 0, URAM: 0, URAM_efficiency: 1, DSP: 0 });
});

test('AddStreams / StreamingEltwise / DuplicateStreams / ChannelwiseOp execute, cycles, datatypes', async () => {
  const a = ints(rand, 2 * 3 * 4, -8, 7);
  const b = ints(rand, 2 * 3 * 4, 0, 15);
  const [s] = await addStreams.execute!([f32([2, 3, 4], a), f32([2, 3, 4], b)], { NumChannels: 4, PE: 2, inputDataTypes: ['INT4', 'UINT4'] }, ctx);
  assert.deepEqual(vals(s), a.map((v, i) => v + b[i]!));
  const av = view(addStreamsAttributes, { NumChannels: 4, PE: 2, inputDataTypes: ['INT4', 'UINT4'], numInputVectors: [2, 3] });
  assert.equal(addStreams.cycles!(av, ctx), 12); // 2·3·4/2
  assert.deepEqual(addStreams.inferDatatypes!(av, ctx), ['INT6']); // [−8, 22]
  assert.throws(() => addStreams.cycles!(view(addStreamsAttributes, { NumChannels: 4, PE: 3, inputDataType: 'INT4' }), ctx), /PE=3 does not divide NumChannels=4/);

  const e = { NumChannels: 4, inputDataType0: 'INT4', inputDataType1: 'UINT4' };
  const [d] = await eltwise.execute!([f32([2, 3, 4], a), f32([2, 3, 4], b)], { ...e, eltwiseOp: 'AbsDiff' }, ctx);
  assert.deepEqual(vals(d), a.map((v, i) => Math.abs(v - b[i]!)));
  assert.deepEqual(eltwise.inferDatatypes!(view(streamingEltwiseAttributes, { ...e, eltwiseOp: 'Sub' }), ctx), ['INT6']); // [−23, 7]
  assert.deepEqual(eltwise.inferDatatypes!(view(streamingEltwiseAttributes, { ...e, eltwiseOp: 'AbsDiff' }), ctx), ['UINT5']); // [0, 23]
  assert.equal(eltwise.cycles!(view(streamingEltwiseAttributes, { ...e, PE: 4, numInputVectors: [1, 5, 5] }), ctx), 25); // 25·4/4

  const outs = await duplicate.execute!([f32([2, 3, 4], a)], { NumChannels: 4, NumOutputStreams: 3, inputDataType: 'INT4' }, ctx);
  assert.equal(outs.length, 3);
  for (const o of outs) assert.deepEqual(vals(o), a);
  assert.equal(duplicate.cycles!(view(duplicateStreamsAttributes, { NumChannels: 4, PE: 1, inputDataType: 'INT4', numInputVectors: [1, 2, 2] }), ctx), 16); // 4·4/1

  const params = [1, -2, 3, 0];
  const cw = { NumChannels: 4, inputDataType: 'INT4', paramDataType: 'INT4', outputDataType: 'INT8' };
  for (const [Func, f] of [['add', (x: number, p: number) => x + p], ['mul', (x: number, p: number) => x * p], ['cmp_le', (x: number, p: number) => +(x <= p)], ['cmp_ge', (x: number, p: number) => +(x >= p)]] as const) {
    const [y] = await channelwise.execute!([f32([2, 3, 4], a), f32([4], params)], { ...cw, Func }, ctx);
    assert.deepEqual(vals(y), a.map((v, i) => f(v, params[i % 4]!)), Func);
  }
  assert.equal(channelwise.cycles!(view(channelwiseOpAttributes, { ...cw, PE: 2, numInputVectors: [1, 4, 4] }), ctx), 32); // 16·4/2
});

test('GlobalAccPool sums every pixel per channel; cycles = prod(vecs)·C/PE + C/PE', async () => {
  const x = ints(rand, 2 * 2 * 3 * 4, -8, 7);
  const [y] = await gap.execute!([f32([2, 2, 3, 4], x)], { NumChannels: 4, inputDataType: 'INT4', numInputVectors: [2, 2, 3] }, ctx);
  const ref = [0, 1].flatMap((n) => [0, 1, 2, 3].map((c) => x.filter((_, i) => i % 4 === c && Math.floor(i / 24) === n).reduce((s, v) => s + v, 0)));
  assert.deepEqual(y!.dims, [2, 1, 1, 4]);
  assert.deepEqual(vals(y), ref);
  const v = view(globalAccPoolAttributes, { NumChannels: 8, PE: 2, inputDataType: 'UINT4', numInputVectors: [1, 4, 4] });
  assert.equal(gap.cycles!(v, ctx), 68); // 16·8/2 + 8/2 = 64 + 4
  assert.deepEqual(gap.inferDatatypes!(v, ctx), ['UINT8']); // 16·15 = 240
});

test('StreamingConcat joins channels; SIMD must divide every stream', async () => {
  const p = ints(rand, 3 * 2, 0, 9);
  const q = ints(rand, 3 * 4, 0, 9);
  const [y] = await concat.execute!([f32([1, 3, 2], p), f32([1, 3, 4], q)], { ChannelsPerStream: [2, 4], inputDataType: 'UINT4' }, ctx);
  assert.deepEqual(vals(y), [0, 1, 2].flatMap((r) => [...p.slice(r * 2, r * 2 + 2), ...q.slice(r * 4, r * 4 + 4)]));
  const v = view(streamingConcatAttributes, { ChannelsPerStream: [2, 4], SIMD: 2, inputDataType: 'UINT4', numInputVectors: [1, 3] });
  assert.equal(concat.cycles!(v, ctx), 9); // 3·6/2
  assert.deepEqual(concat.parallelism!(v, ctx), { SIMD: { dimension: 'gcd(ChannelsPerStream)', size: 2, fold: 'keep' } });
  assert.throws(() => concat.cycles!(view(streamingConcatAttributes, { ChannelsPerStream: [2, 4], SIMD: 4, inputDataType: 'UINT4' }), ctx), /SIMD=4 does not divide ChannelsPerStream\[0\]=2/);
});

test('Lookup, UpsampleNearestNeighbour, DownSampler', async () => {
  const emb = ints(rand, 5 * 3, -4, 4);
  const idx = [4, 0, 2, 2];
  const la = { NumEmbeddings: 5, EmbeddingDim: 3, EmbeddingType: 'INT4', InputType: 'UINT3', InputShape: [1, 4] };
  const [l] = await lookup.execute!([f32([1, 4], idx), f32([5, 3], emb)], la, ctx);
  assert.deepEqual(l!.dims, [1, 4, 3]);
  assert.deepEqual(vals(l), idx.flatMap((i) => emb.slice(i * 3, i * 3 + 3)));
  await assert.rejects(async () => lookup.execute!([f32([1, 1], [5]), f32([5, 3], emb)], la, ctx), /outside \[0, 5\)/);
  assert.equal(lookup.cycles!(view(lookupAttributes, la), ctx), 4);

  const img = ints(rand, 2 * 2 * 2, 0, 9); // 2×2, C=2
  const [u] = await upsample.execute!([f32([1, 2, 2, 2], img)], { IFMDim: 2, OFMDim: 4, NumChannels: 2, inputDataType: 'UINT4' }, ctx);
  const up: number[] = [];
  for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) up.push(...img.slice(((y >> 1) * 2 + (x >> 1)) * 2, ((y >> 1) * 2 + (x >> 1)) * 2 + 2));
  assert.deepEqual(vals(u), up);
  assert.equal(upsample.cycles!(view(upsampleAttributes, { IFMDim: 2, OFMDim: 4, NumChannels: 2, inputDataType: 'UINT4', numInputVectors: 2 }), ctx), 32); // 4²·2

  const big = ints(rand, 5 * 5 * 2, 0, 9);
  const [d] = await downsampler.execute!([f32([1, 5, 5, 2], big)], { ImgDim: 5, NumChannels: 2, Stride: 2, inputDataType: 'UINT4' }, ctx);
  const ds: number[] = [];
  for (const y of [0, 2, 4]) for (const x of [0, 2, 4]) ds.push(...big.slice((y * 5 + x) * 2, (y * 5 + x) * 2 + 2));
  assert.deepEqual(d!.dims, [1, 3, 3, 2]); // floor(4/2) + 1
  assert.deepEqual(vals(d), ds);
  const dv = view(downSamplerAttributes, { ImgDim: 5, NumChannels: 4, SIMD: 2, Stride: 2, inputDataType: 'UINT4' });
  assert.equal(downsampler.cycles!(dv, ctx), 50); // 4/2·1·5²
  assert.deepEqual(downsampler.parallelism!(dv, ctx), { SIMD: { dimension: 'NumChannels', size: 4 } });
});
