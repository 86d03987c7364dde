/** streamWidths of every kernel, from its folded shape (PE/SIMD × element bits), against hand-computed values. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KernelNodeView, StreamWidths } from '../../src/index.js';
import mvau from '../../kernels/MVAU/kernel.js';
import { mvauAttributes } from '../../kernels/MVAU/_model.js';
import vvau from '../../kernels/VVAU/kernel.js';
import { vvauAttributes } from '../../kernels/VVAU/_model.js';
import thr from '../../kernels/Thresholding/kernel.js';
import { thresholdingAttributes } from '../../kernels/Thresholding/_model.js';
import fmpadding from '../../kernels/FMPadding/kernel.js';
import { fmpaddingAttributes } from '../../kernels/FMPadding/_model.js';
import dwc from '../../kernels/StreamingDataWidthConverter/kernel.js';
import { dwcAttributes } from '../../kernels/StreamingDataWidthConverter/_model.js';
import fifo from '../../kernels/StreamingFIFO/kernel.js';
import { fifoAttributes } from '../../kernels/StreamingFIFO/_model.js';
import pool, { poolAttributes } from '../../kernels/Pool/kernel.js';
import addStreams, { addStreamsAttributes } from '../../kernels/AddStreams/kernel.js';
import channelwise, { channelwiseOpAttributes } from '../../kernels/ChannelwiseOp/kernel.js';
import duplicate, { duplicateStreamsAttributes } from '../../kernels/DuplicateStreams/kernel.js';
import concat, { streamingConcatAttributes } from '../../kernels/StreamingConcat/kernel.js';
import eltwise, { streamingEltwiseAttributes } from '../../kernels/StreamingEltwise/kernel.js';
import lookup, { lookupAttributes } from '../../kernels/Lookup/kernel.js';
import upsample, { upsampleAttributes } from '../../kernels/UpsampleNearestNeighbour/kernel.js';
import downsampler, { downSamplerAttributes } from '../../kernels/DownSampler/kernel.js';
import maxpool, { streamingMaxPoolAttributes } from '../../kernels/StreamingMaxPool/kernel.js';
import labelSelect, { labelSelectAttributes } from '../../kernels/LabelSelect/kernel.js';
import gap, { globalAccPoolAttributes } from '../../kernels/GlobalAccPool/kernel.js';
import { ctx, view } from './support.js';

type WithWidths = { streamWidths?(node: KernelNodeView, c: never): StreamWidths };
const widths = (k: WithWidths, v: KernelNodeView): StreamWidths => k.streamWidths!(v, ctx);

test('MVAU: in SIMD·A, weights PE·SIMD·W unless embedded, out PE·B', () => {
  const a = { PE: 4, SIMD: 8, MW: 64, MH: 32, inputDataType: 'UINT3', weightDataType: 'INT2', outputDataType: 'UINT4' };
  assert.deepEqual(widths(mvau, view(mvauAttributes, a)), { inputs: [24, 64], outputs: [16] });
  assert.deepEqual(widths(mvau, view(mvauAttributes, { ...a, mem_mode: 'internal_embedded' })), { inputs: [24], outputs: [16] });
  // XNOR mode: BINARY in and weights, one bit each.
  const x = { ...a, inputDataType: 'BINARY', weightDataType: 'BINARY', binaryXnorMode: 1, mem_mode: 'internal_embedded' };
  assert.deepEqual(widths(mvau, view(mvauAttributes, x)), { inputs: [8], outputs: [16] });
});

test('VVAU, Thresholding, FMPadding, DownSampler, Upsample, StreamingMaxPool', () => {
  const vv = { PE: 4, SIMD: 3, Dim: [4, 4], Channels: 8, Kernel: [3, 3], inputDataType: 'UINT4', weightDataType: 'INT4', outputDataType: 'UINT2' };
  assert.deepEqual(widths(vvau, view(vvauAttributes, vv)), { inputs: [48], outputs: [8] }); // 3·4·4, 4·2
  const t = { PE: 4, NumChannels: 16, inputDataType: 'INT16', outputDataType: 'UINT2' };
  assert.deepEqual(widths(thr, view(thresholdingAttributes, t)), { inputs: [64], outputs: [8] });
  const fp = { ImgDim: [4, 4], Padding: [1, 1, 1, 1], NumChannels: 6, SIMD: 3, inputDataType: 'INT5' };
  assert.deepEqual(widths(fmpadding, view(fmpaddingAttributes, fp)), { inputs: [15], outputs: [15] });
  const ds = { ImgDim: 8, NumChannels: 6, SIMD: 2, Stride: 2, inputDataType: 'UINT8' };
  assert.deepEqual(widths(downsampler, view(downSamplerAttributes, ds)), { inputs: [16], outputs: [16] });
  const up = { OFMDim: 8, IFMDim: 4, NumChannels: 6, inputDataType: 'UINT3' };
  assert.deepEqual(widths(upsample, view(upsampleAttributes, up)), { inputs: [18], outputs: [18] });
  const mp = { ImgDim: [4, 4], PoolDim: [2, 2], NumChannels: 8, PE: 2, dataType: 'UINT4' };
  assert.deepEqual(widths(maxpool, view(streamingMaxPoolAttributes, mp)), { inputs: [32], outputs: [32] }); // 2D: all channels
  const mp1 = { ImgDim: [1, 8], PoolDim: [1, 2], NumChannels: 8, PE: 2, dataType: 'UINT4' };
  assert.deepEqual(widths(maxpool, view(streamingMaxPoolAttributes, mp1)), { inputs: [8], outputs: [8] }); // 1D: PE
});

test('per-channel kernels: AddStreams, ChannelwiseOp, DuplicateStreams, StreamingEltwise, GlobalAccPool, Pool, LabelSelect', () => {
  const add = { NumChannels: 8, PE: 2, inputDataTypes: ['UINT4', 'INT3'] };
  // sum range [0 − 4, 15 + 3] = [−4, 18] → INT6
  assert.deepEqual(widths(addStreams, view(addStreamsAttributes, add)), { inputs: [8, 6], outputs: [12] });
  const cw = { NumChannels: 8, PE: 4, inputDataType: 'UINT4', paramDataType: 'INT8', outputDataType: 'UINT5', Func: 'add' };
  assert.deepEqual(widths(channelwise, view(channelwiseOpAttributes, cw)), { inputs: [16], outputs: [20] });
  const dup = { NumChannels: 8, PE: 2, NumOutputStreams: 3, inputDataType: 'INT4' };
  assert.deepEqual(widths(duplicate, view(duplicateStreamsAttributes, dup)), { inputs: [8], outputs: [8, 8, 8] });
  const el = { NumChannels: 8, PE: 2, inputDataType0: 'UINT4', inputDataType1: 'UINT4', eltwiseOp: 'Sub' };
  // [0 − 15, 15 − 0] → INT5
  assert.deepEqual(widths(eltwise, view(streamingEltwiseAttributes, el)), { inputs: [8, 8], outputs: [10] });
  const g = { NumChannels: 8, PE: 2, inputDataType: 'UINT4', numInputVectors: [1, 4, 4] };
  // 16 pixels of [0, 15] → [0, 240] → UINT8
  assert.deepEqual(widths(gap, view(globalAccPoolAttributes, g)), { inputs: [8], outputs: [16] });
  const p = { Channels: 4, PE: 2, KernelSize: [2, 2], Function: 'QuantAvgPool', OutImgDims: [2, 2], InputDataType: 'UINT4', OutputDataType: 'UINT6' };
  assert.deepEqual(widths(pool, view(poolAttributes, p)), { inputs: [8], outputs: [12] });
  assert.deepEqual(widths(pool, view(poolAttributes, { ...p, Function: 'MaxPool' })), { inputs: [8], outputs: [8] });
  const ls = { Labels: 10, PE: 5, K: 1, inputDataType: 'INT8' };
  assert.deepEqual(widths(labelSelect, view(labelSelectAttributes, ls)), { inputs: [40], outputs: [8] }); // labels 0..9: UINT4, FINN rounds it up to UINT8
});

test('StreamingConcat, Lookup, StreamingDataWidthConverter, StreamingFIFO', () => {
  const c = { ChannelsPerStream: [4, 6], SIMD: 2, inputDataType: 'UINT3' };
  assert.deepEqual(widths(concat, view(streamingConcatAttributes, c)), { inputs: [6, 6], outputs: [6] });
  const l = { NumEmbeddings: 100, EmbeddingDim: 16, EmbeddingType: 'INT8', InputType: 'UINT7', InputShape: [1, 10] };
  assert.deepEqual(widths(lookup, view(lookupAttributes, l)), { inputs: [7], outputs: [128] });
  assert.deepEqual(widths(lookup, view(lookupAttributes, { ...l, mem_mode: 'external', ext_mem_width: 64 })), { inputs: [7], outputs: [64] });
  const d = { in_shape: [1, 64], out_shape: [1, 64], inWidth: 4, outWidth: 16, dataType: 'UINT2' };
  assert.deepEqual(widths(dwc, view(dwcAttributes, d)), { inputs: [4], outputs: [16] });
  const f = { depth: 2, folded_shape: [1, 16, 4], normal_shape: [1, 64], dataType: 'UINT2' };
  assert.deepEqual(widths(fifo, view(fifoAttributes, f)), { inputs: [8], outputs: [8] });
});
