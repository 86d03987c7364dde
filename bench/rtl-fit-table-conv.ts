/**
 * The convolution, pooling and stream kernels' rows of the RTL estimate fit (docs/RTL-ESTIMATES.md, "Convolution,
 * pooling and stream kernels"): the foldings, datatypes and shapes that change what Yosys makes of their RTL
 * (GTSRB's sliding windows, depthwise, parallel windows, wide channels, LUTRAM against block RAM buffers).
 * Constant inputs (ChannelwiseOp parameters, Lookup tables) are seeded random values.
 */
import { datatype } from '../src/estimate/index.js';
import { ElemType, makeTensor } from '../src/index.js';
import { smallestDataType } from '../src/datatype/smallest.js';
import { seededInts } from '../src/util/prng.js';
import { convOut } from '../kernels/ConvolutionInputGenerator/_model.js';
import type { FitConfig } from './rtl-fit-table.js';

type Ints = (lo: number, hi: number) => number;

function randomOf(dt: string, r: Ints): number {
  if (dt === 'BIPOLAR') return r(0, 1) ? 1 : -1;
  const t = datatype(dt);
  return r(Math.max(t.min(), -1e6), Math.min(t.max(), 1e6));
}

interface SwgRow {
  img: [number, number]; C: number; SIMD: number; k: [number, number]; s?: [number, number]; d?: [number, number];
  dt: string; dw?: 1; par?: 1; ram?: 'distributed' | 'block' | 'auto';
}

function swgConfig(c: SwgRow): FitConfig {
  const s = c.s ?? [1, 1];
  const d = c.d ?? [1, 1];
  const ram = c.ram ?? 'distributed';
  const shape = `${c.img[0]}x${c.img[1]}x${c.C} S${c.SIMD} k${c.k[0]}x${c.k[1]}${s[0] > 1 || s[1] > 1 ? ` s${s[0]}x${s[1]}` : ''}${d[0] > 1 || d[1] > 1 ? ` d${d[0]}x${d[1]}` : ''}`;
  return {
    kernel: 'ConvolutionInputGenerator',
    label: `SWG ${shape} ${c.dt}${c.dw ? ' dw' : ''}${c.par ? ' par' : ''}${ram === 'distributed' ? '' : ` ${ram}`}`,
    attrs: {
      ConvKernelDim: c.k, IFMChannels: c.C, IFMDim: c.img, OFMDim: [convOut(c.img[0], c.k[0], s[0], d[0]), convOut(c.img[1], c.k[1], s[1], d[1])],
      SIMD: c.SIMD, Stride: s, Dilation: d, inputDataType: c.dt, outputDataType: c.dt, depthwise: c.dw ?? 0, parallel_window: c.par ?? 0, ram_style: ram,
    },
  };
}

const SWG_ROWS: SwgRow[] = [
  // The five SWG nodes of labs/gtsrb_12x12_w2a3_c12x24x36 with its custom folding.
  { img: [14, 14], C: 3, SIMD: 3, k: [3, 3], par: 1, dt: 'INT8' },
  { img: [12, 12], C: 12, SIMD: 12, k: [2, 2], s: [2, 2], dw: 1, dt: 'UINT3' },
  { img: [8, 8], C: 12, SIMD: 12, k: [3, 3], par: 1, dt: 'UINT3' },
  { img: [6, 6], C: 24, SIMD: 12, k: [2, 2], s: [2, 2], dw: 1, dt: 'UINT3' },
  { img: [5, 5], C: 24, SIMD: 24, k: [3, 3], dt: 'UINT3' },
  // Deep buffers: LUTRAM banks, then block RAM.
  { img: [32, 32], C: 16, SIMD: 4, k: [3, 3], dt: 'UINT4' },
  { img: [32, 32], C: 32, SIMD: 8, k: [3, 3], dt: 'UINT4', ram: 'block' },
  { img: [16, 16], C: 64, SIMD: 16, k: [3, 3], s: [2, 2], dt: 'INT2', dw: 1, ram: 'auto' },
  // 1D, dilation, parallel depthwise
  { img: [1, 64], C: 8, SIMD: 8, k: [1, 5], s: [1, 2], d: [1, 2], dt: 'INT4' },
  { img: [10, 10], C: 16, SIMD: 8, k: [3, 3], par: 1, dw: 1, dt: 'UINT4' },
];

function fmpaddingConfig(c: { img: [number, number]; pad: [number, number, number, number]; C: number; SIMD: number; dt: string }): FitConfig {
  return {
    kernel: 'FMPadding', label: `FMPadding ${c.img[0]}x${c.img[1]}x${c.C} pad ${c.pad.join(',')} S${c.SIMD} ${c.dt}`,
    attrs: { ImgDim: c.img, Padding: c.pad, NumChannels: c.C, SIMD: c.SIMD, inputDataType: c.dt },
  };
}

const FMPADDING_ROWS: Parameters<typeof fmpaddingConfig>[0][] = [
  { img: [12, 12], pad: [1, 1, 1, 1], C: 3, SIMD: 3, dt: 'INT8' },
  { img: [32, 32], pad: [2, 2, 2, 2], C: 64, SIMD: 8, dt: 'UINT4' },
  { img: [7, 7], pad: [1, 1, 1, 1], C: 256, SIMD: 32, dt: 'UINT2' },
  { img: [1, 100], pad: [0, 3, 0, 2], C: 16, SIMD: 16, dt: 'INT8' },
  { img: [28, 20], pad: [0, 1, 2, 0], C: 1, SIMD: 1, dt: 'BIPOLAR' },
  { img: [16, 16], pad: [1, 1, 1, 1], C: 128, SIMD: 16, dt: 'INT8' },
  { img: [56, 56], pad: [3, 3, 3, 3], C: 64, SIMD: 32, dt: 'UINT4' },
];

function maxPoolConfig(c: { img: [number, number]; pool: [number, number]; C: number; PE?: number; dt: string; ceil?: 1 }): FitConfig {
  return {
    kernel: 'StreamingMaxPool', label: `StreamingMaxPool ${c.img[0]}x${c.img[1]}x${c.C} pool ${c.pool[0]}x${c.pool[1]} P${c.PE ?? 1} ${c.dt}${c.ceil ? ' ceil' : ''}`,
    attrs: { ImgDim: c.img, PoolDim: c.pool, NumChannels: c.C, PE: c.PE ?? 1, dataType: c.dt, CeilMode: c.ceil ?? 0 },
  };
}

const MAXPOOL_ROWS: Parameters<typeof maxPoolConfig>[0][] = [
  { img: [16, 16], pool: [2, 2], C: 16, dt: 'INT4' },
  { img: [32, 32], pool: [2, 2], C: 64, dt: 'UINT4' },
  { img: [24, 24], pool: [3, 3], C: 32, dt: 'UINT3', ceil: 1 },
  { img: [8, 8], pool: [2, 2], C: 128, dt: 'INT8' },
  { img: [1, 64], pool: [1, 4], C: 32, PE: 8, dt: 'UINT8' },
  { img: [1, 32], pool: [1, 2], C: 64, PE: 64, dt: 'INT2' },
];

function poolConfig(c: { C: number; PE: number; k: [number, number]; fn: 'MaxPool' | 'QuantAvgPool'; out: [number, number]; idt: string; odt: string }): FitConfig {
  return {
    kernel: 'Pool', label: `Pool ${c.fn} C${c.C} P${c.PE} k${c.k[0]}x${c.k[1]} ${c.idt} -> ${c.odt}`,
    attrs: { Channels: c.C, PE: c.PE, KernelSize: c.k, Function: c.fn, OutImgDims: c.out, InputDataType: c.idt, OutputDataType: c.odt },
  };
}

const POOL_ROWS: Parameters<typeof poolConfig>[0][] = [
  { C: 16, PE: 16, k: [3, 3], fn: 'MaxPool', out: [2, 2], idt: 'INT4', odt: 'INT4' },
  { C: 64, PE: 8, k: [2, 2], fn: 'MaxPool', out: [8, 8], idt: 'UINT3', odt: 'UINT3' },
  { C: 32, PE: 32, k: [2, 2], fn: 'MaxPool', out: [4, 4], idt: 'UINT8', odt: 'UINT8' },
  { C: 128, PE: 16, k: [3, 3], fn: 'MaxPool', out: [4, 4], idt: 'INT8', odt: 'INT8' },
  { C: 32, PE: 4, k: [2, 2], fn: 'QuantAvgPool', out: [8, 8], idt: 'UINT4', odt: 'UINT4' },
  { C: 64, PE: 16, k: [3, 3], fn: 'QuantAvgPool', out: [4, 4], idt: 'INT4', odt: 'INT8' },
  { C: 16, PE: 16, k: [4, 4], fn: 'QuantAvgPool', out: [2, 2], idt: 'UINT8', odt: 'UINT8' },
];

function accPoolConfig(c: { C: number; PE: number; dt: string; img: [number, number] }): FitConfig {
  return {
    kernel: 'GlobalAccPool', label: `GlobalAccPool ${c.img[0]}x${c.img[1]}x${c.C} P${c.PE} ${c.dt}`,
    attrs: { NumChannels: c.C, PE: c.PE, inputDataType: c.dt, numInputVectors: [1, ...c.img] },
  };
}

const ACCPOOL_ROWS: Parameters<typeof accPoolConfig>[0][] = [
  { C: 512, PE: 4, dt: 'INT8', img: [7, 7] },
  { C: 64, PE: 64, dt: 'UINT4', img: [4, 4] },
  { C: 128, PE: 1, dt: 'INT8', img: [8, 8] },
  { C: 256, PE: 2, dt: 'UINT2', img: [16, 16] },
  { C: 32, PE: 8, dt: 'INT4', img: [3, 3] },
  { C: 1024, PE: 16, dt: 'UINT8', img: [7, 7] },
];

function upsampleConfig(c: { I: number; O: number; C: number; dt: string; oneD?: 1 }): FitConfig {
  return {
    kernel: 'UpsampleNearestNeighbour', label: `Upsample ${c.I} -> ${c.O} C${c.C} ${c.dt}${c.oneD ? ' 1D' : ''}`,
    attrs: { IFMDim: c.I, OFMDim: c.O, NumChannels: c.C, inputDataType: c.dt, DimMode: c.oneD ?? 0 },
  };
}

const UPSAMPLE_ROWS: Parameters<typeof upsampleConfig>[0][] = [
  { I: 8, O: 16, C: 16, dt: 'INT4' },
  { I: 4, O: 8, C: 64, dt: 'UINT8' },
  { I: 16, O: 32, C: 128, dt: 'INT8' },
  { I: 7, O: 15, C: 3, dt: 'UINT8' },
  { I: 32, O: 64, C: 8, dt: 'UINT4' },
  { I: 10, O: 25, C: 32, dt: 'INT2', oneD: 1 },
];

function downSamplerConfig(c: { img: number; C: number; SIMD: number; stride: number; dt: string; oneD?: 1 }): FitConfig {
  return {
    kernel: 'DownSampler', label: `DownSampler ${c.img} C${c.C} S${c.SIMD} stride ${c.stride} ${c.dt}${c.oneD ? ' 1D' : ''}`,
    attrs: { ImgDim: c.img, NumChannels: c.C, SIMD: c.SIMD, Stride: c.stride, inputDataType: c.dt, is1D: c.oneD ?? 0 },
  };
}

const DOWNSAMPLER_ROWS: Parameters<typeof downSamplerConfig>[0][] = [
  { img: 32, C: 64, SIMD: 8, stride: 2, dt: 'INT8' },
  { img: 16, C: 16, SIMD: 1, stride: 2, dt: 'UINT4' },
  { img: 27, C: 32, SIMD: 32, stride: 3, dt: 'UINT8' },
  { img: 100, C: 8, SIMD: 4, stride: 4, dt: 'INT4', oneD: 1 },
  { img: 56, C: 128, SIMD: 16, stride: 2, dt: 'UINT2' },
];

type Func = 'add' | 'mul' | 'cmp_le' | 'cmp_ge';

/** ChannelwiseOp with seeded parameters in [lo, hi]; the output datatype the mapping gives (compares: BINARY). */
function channelwiseConfig(c: { f: Func; C: number; PE: number; idt: string; p: [number, number] }, seed: number): FitConfig {
  const r = seededInts(seed);
  const params = Array.from({ length: c.C }, () => r(c.p[0], c.p[1]));
  const lo = Math.min(...params);
  const hi = Math.max(...params);
  const t = datatype(c.idt);
  const ends = c.f === 'add' ? [t.min() + lo, t.max() + hi] : [t.min() * lo, t.min() * hi, t.max() * lo, t.max() * hi];
  const odt = c.f === 'cmp_le' || c.f === 'cmp_ge' ? 'BINARY' : smallestDataType(Math.min(...ends), Math.max(...ends)).name;
  return {
    kernel: 'ChannelwiseOp', label: `ChannelwiseOp ${c.f} C${c.C} P${c.PE} ${c.idt} p[${c.p[0]},${c.p[1]}] -> ${odt}`,
    attrs: { Func: c.f, PE: c.PE, NumChannels: c.C, inputDataType: c.idt, paramDataType: smallestDataType(lo, hi).name, outputDataType: odt },
    consts: { 1: makeTensor(ElemType.FLOAT, [c.C], Float32Array.from(params)) },
  };
}

const CHANNELWISE_ROWS: Parameters<typeof channelwiseConfig>[0][] = [
  { f: 'add', C: 64, PE: 8, idt: 'INT8', p: [-100, 100] },
  { f: 'add', C: 256, PE: 4, idt: 'INT5', p: [-1000, 1000] },
  { f: 'add', C: 16, PE: 16, idt: 'UINT4', p: [-8, 7] },
  { f: 'mul', C: 64, PE: 8, idt: 'UINT3', p: [-1, 1] },
  { f: 'mul', C: 32, PE: 4, idt: 'INT8', p: [-100, 100] },
  { f: 'mul', C: 16, PE: 16, idt: 'UINT4', p: [0, 15] },
  { f: 'cmp_le', C: 128, PE: 16, idt: 'INT8', p: [-128, 127] },
  { f: 'cmp_ge', C: 64, PE: 4, idt: 'UINT8', p: [0, 255] },
  { f: 'cmp_le', C: 32, PE: 8, idt: 'INT4', p: [-8, 7] },
  { f: 'cmp_le', C: 64, PE: 4, idt: 'INT8', p: [-128, 127] },
  { f: 'cmp_ge', C: 256, PE: 8, idt: 'UINT4', p: [0, 15] },
  { f: 'add', C: 128, PE: 8, idt: 'INT8', p: [-100, 100] },
  { f: 'add', C: 512, PE: 8, idt: 'UINT8', p: [-255, 0] },
  { f: 'mul', C: 128, PE: 16, idt: 'UINT2', p: [-3, 3] },
  { f: 'add', C: 128, PE: 4, idt: 'INT8', p: [-100, 100] },
  { f: 'cmp_ge', C: 128, PE: 2, idt: 'INT8', p: [-128, 127] },
  { f: 'mul', C: 64, PE: 4, idt: 'UINT4', p: [-7, 7] },
  { f: 'cmp_ge', C: 64, PE: 4, idt: 'UINT4', p: [0, 15] },
  { f: 'add', C: 256, PE: 8, idt: 'UINT4', p: [-8, 7] },
  { f: 'cmp_le', C: 256, PE: 4, idt: 'INT8', p: [-128, 127] },
  { f: 'add', C: 16, PE: 1, idt: 'INT8', p: [-100, 100] },
  { f: 'cmp_le', C: 2048, PE: 4, idt: 'INT8', p: [-128, 127] },
];

/** Lookup with a seeded table of N rows of D elements. */
function lookupConfig(c: { N: number; D: number; et: string; it: string }, seed: number): FitConfig {
  const r = seededInts(seed);
  return {
    kernel: 'Lookup', label: `Lookup ${c.N}x${c.D} ${c.et} by ${c.it}`,
    attrs: { NumEmbeddings: c.N, EmbeddingDim: c.D, EmbeddingType: c.et, InputType: c.it, InputShape: [1, 4], mem_mode: 'internal_embedded' },
    consts: { 1: makeTensor(ElemType.FLOAT, [c.N, c.D], Float32Array.from({ length: c.N * c.D }, () => randomOf(c.et, r))) },
  };
}

const LOOKUP_ROWS: Parameters<typeof lookupConfig>[0][] = [
  { N: 10, D: 4, et: 'INT8', it: 'UINT4' },
  { N: 100, D: 16, et: 'INT2', it: 'UINT8' },
  { N: 256, D: 2, et: 'INT16', it: 'UINT8' },
  { N: 128, D: 64, et: 'INT2', it: 'UINT7' },
  { N: 1000, D: 4, et: 'INT4', it: 'UINT10' },
  { N: 512, D: 16, et: 'INT8', it: 'UINT9' },
  { N: 64, D: 32, et: 'INT4', it: 'UINT6' },
  { N: 300, D: 8, et: 'INT8', it: 'UINT9' },
];

function addStreamsConfig(c: { C: number; PE: number; dts: [string, string] }): FitConfig {
  return {
    kernel: 'AddStreams', label: `AddStreams C${c.C} P${c.PE} ${c.dts.join('+')}`,
    attrs: { NumChannels: c.C, PE: c.PE, inputDataTypes: c.dts },
  };
}

const ADDSTREAMS_ROWS: Parameters<typeof addStreamsConfig>[0][] = [
  { C: 64, PE: 8, dts: ['INT8', 'INT8'] },
  { C: 16, PE: 16, dts: ['UINT4', 'UINT4'] },
  { C: 128, PE: 32, dts: ['INT4', 'INT4'] },
  { C: 64, PE: 16, dts: ['UINT4', 'INT8'] },
  { C: 256, PE: 64, dts: ['UINT2', 'UINT2'] },
  { C: 64, PE: 64, dts: ['INT8', 'INT8'] },
];

function eltwiseConfig(c: { C: number; PE: number; op: 'Add' | 'Sub' | 'AbsDiff'; dts: [string, string] }): FitConfig {
  return {
    kernel: 'StreamingEltwise', label: `StreamingEltwise ${c.op} C${c.C} P${c.PE} ${c.dts.join(',')}`,
    attrs: { NumChannels: c.C, PE: c.PE, eltwiseOp: c.op, inputDataType0: c.dts[0], inputDataType1: c.dts[1] },
  };
}

const ELTWISE_ROWS: Parameters<typeof eltwiseConfig>[0][] = [
  { C: 64, PE: 16, op: 'Add', dts: ['INT8', 'INT8'] },
  { C: 64, PE: 16, op: 'Sub', dts: ['UINT4', 'UINT4'] },
  { C: 32, PE: 8, op: 'AbsDiff', dts: ['INT8', 'INT8'] },
  { C: 128, PE: 32, op: 'AbsDiff', dts: ['UINT4', 'UINT4'] },
  { C: 32, PE: 32, op: 'Sub', dts: ['INT4', 'UINT8'] },
];

function duplicateConfig(c: { C: number; PE: number; outs: number; dt: string }): FitConfig {
  return {
    kernel: 'DuplicateStreams', label: `DuplicateStreams C${c.C} P${c.PE} x${c.outs} ${c.dt}`,
    attrs: { NumChannels: c.C, PE: c.PE, NumOutputStreams: c.outs, inputDataType: c.dt },
  };
}

const DUPLICATE_ROWS: Parameters<typeof duplicateConfig>[0][] = [
  { C: 64, PE: 8, outs: 2, dt: 'INT8' },
  { C: 256, PE: 64, outs: 2, dt: 'UINT4' },
  { C: 32, PE: 32, outs: 3, dt: 'INT8' },
  { C: 16, PE: 4, outs: 4, dt: 'UINT2' },
];

function concatConfig(c: { chans: number[]; SIMD: number; dt: string }): FitConfig {
  return {
    kernel: 'StreamingConcat', label: `StreamingConcat ${c.chans.join('+')} S${c.SIMD} ${c.dt}`,
    attrs: { ChannelsPerStream: c.chans, SIMD: c.SIMD, inputDataType: c.dt },
  };
}

const CONCAT_ROWS: Parameters<typeof concatConfig>[0][] = [
  { chans: [64, 64], SIMD: 8, dt: 'INT8' },
  { chans: [32, 64, 32], SIMD: 16, dt: 'UINT4' },
  { chans: [16, 16, 16, 16], SIMD: 16, dt: 'INT8' },
  { chans: [8, 16, 8, 24, 8, 8], SIMD: 8, dt: 'UINT4' },
  { chans: [128, 256], SIMD: 32, dt: 'UINT2' },
  { chans: [16, 32, 16, 48, 16], SIMD: 16, dt: 'INT4' },
  { chans: [24, 8, 16, 16], SIMD: 8, dt: 'UINT8' },
];

/** The convolution, pooling and stream kernels' configurations of the fit table. */
export const CONV_FIT_TABLE: FitConfig[] = [
  ...SWG_ROWS.map(swgConfig),
  ...FMPADDING_ROWS.map(fmpaddingConfig),
  ...MAXPOOL_ROWS.map(maxPoolConfig),
  ...POOL_ROWS.map(poolConfig),
  ...ACCPOOL_ROWS.map(accPoolConfig),
  ...UPSAMPLE_ROWS.map(upsampleConfig),
  ...DOWNSAMPLER_ROWS.map(downSamplerConfig),
  ...CHANNELWISE_ROWS.map((c, i) => channelwiseConfig(c, 7100 + i)),
  ...LOOKUP_ROWS.map((c, i) => lookupConfig(c, 7200 + i)),
  ...ADDSTREAMS_ROWS.map(addStreamsConfig),
  ...ELTWISE_ROWS.map(eltwiseConfig),
  ...DUPLICATE_ROWS.map(duplicateConfig),
  ...CONCAT_ROWS.map(concatConfig),
];
