/**
 * The configurations the RTL estimates are held to (docs/RTL-ESTIMATES.md): per kernel, a builder from a few
 * numbers to a node (attributes and seeded random constant inputs: weights, thresholds). To add a kernel: a
 * builder returning { kernel, label, attrs, consts } and its rows in FIT_TABLE.
 */
import { datatype } from '../src/estimate/index.js';
import { ElemType, makeTensor, type TensorValue } from '../src/index.js';
import { seededInts } from '../src/util/prng.js';
import { CONV_FIT_TABLE } from './rtl-fit-table-conv.js';

export interface FitConfig {
  /** Kernel folder under kernels/ (its kernel.ts schema and rtl.ts backend are used). */
  kernel: string;
  /** Short description, unique in the table. */
  label: string;
  attrs: Record<string, unknown>;
  /** Constant inputs by input index (weights, thresholds). */
  consts?: Record<number, TensorValue>;
}


function hashLabel(label: string): number {
  let h = 2166136261;
  for (const c of label) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

function randomOf(dt: string, r: (lo: number, hi: number) => number): number {
  if (dt === 'BIPOLAR') return r(0, 1) ? 1 : -1;
  const t = datatype(dt);
  return r(t.min(), t.max());
}

/** Rows of `steps` sorted random thresholds in [lo, hi]. */
function thresholdTensor(rows: number, steps: number, lo: number, hi: number, r: (lo: number, hi: number) => number): TensorValue {
  const t = new Float32Array(rows * steps);
  for (let k = 0; k < rows; k++) {
    const row = Array.from({ length: steps }, () => r(lo, hi)).sort((p, q) => p - q);
    t.set(row, k * steps);
  }
  return makeTensor(ElemType.FLOAT, [rows, steps], t);
}

export interface MvauRow {
  MW: number; MH: number; SIMD: number; PE: number;
  idt: string; wdt: string;
  /** Output datatype: with thresholds its width sets the steps (2^bits − 1); without, the accumulator's. */
  odt: string;
  xnor?: boolean;
  noActivation?: boolean;
}

export function mvauConfig(c: MvauRow): FitConfig {
  const label = `MVAU ${c.MW}x${c.MH} S${c.SIMD} P${c.PE} ${c.idt}x${c.wdt}${c.xnor ? ' xnor' : ''} -> ${c.odt}${c.noActivation ? ' noact' : ''}`;
  const r = seededInts(hashLabel(label));
  const weights = makeTensor(ElemType.FLOAT, [c.MW, c.MH], Float32Array.from({ length: c.MW * c.MH }, () => randomOf(c.wdt, r)));
  const attrs = {
    MW: c.MW, MH: c.MH, SIMD: c.SIMD, PE: c.PE, inputDataType: c.idt, weightDataType: c.wdt, outputDataType: c.odt,
    binaryXnorMode: c.xnor ? 1 : 0, noActivation: c.noActivation ? 1 : 0, ActVal: 0, numInputVectors: [1], mem_mode: 'internal_embedded',
  };
  if (c.noActivation) return { kernel: 'MVAU', label, attrs, consts: { 1: weights } };
  const x = datatype(c.idt);
  const w = datatype(c.wdt);
  const mag = c.xnor ? c.MW : c.MW * Math.max(Math.abs(x.min()), Math.abs(x.max())) * Math.max(Math.abs(w.min()), Math.abs(w.max()));
  const lo = c.xnor ? 0 : -mag;
  const steps = 2 ** datatype(c.odt).bitwidth() - 1;
  // Thresholds where accumulators mostly fall (within a few standard deviations of a random dot product).
  const spread = Math.max(2, Math.round(Math.sqrt(c.MW) * (mag / c.MW) * 2));
  const mid = c.xnor ? Math.round(c.MW / 2) : 0;
  return { kernel: 'MVAU', label, attrs, consts: { 1: weights, 2: thresholdTensor(c.MH, steps, Math.max(lo, mid - spread), Math.min(mag, mid + spread), r) } };
}

/**
 * The thresholds of a float quantizer (a network's first Quant, streamlined): per channel, output o + 1 from
 * x ≥ (o + 0.5)·s + b. `scale` 'pow2': s = 2^−e, b = 0, and round-half-to-even, so a midpoint below an even
 * output is exclusive (the threshold one float32 step up); 'random': a folded batch norm's arbitrary s and b.
 */
function quantizerThresholds(rows: number, odt: string, scale: 'pow2' | 'random', r: (lo: number, hi: number) => number): TensorValue {
  const o = datatype(odt);
  const steps = 2 ** o.bitwidth() - 1;
  const t = new Float32Array(rows * steps);
  for (let k = 0; k < rows; k++) {
    const s = scale === 'pow2' ? 2 ** -r(2, 6) : Math.fround(r(1, 1 << 20) / (1 << 24));
    const b = scale === 'pow2' ? 0 : Math.fround((r(-(1 << 20), 1 << 20) / (1 << 20)) * s * steps);
    for (let i = 0; i < steps; i++) {
      const out = o.min() + i;
      const mid = Math.fround((out + 0.5) * s + b);
      const up = scale === 'pow2' && out % 2 === 0;
      const bits = new Uint32Array(new Float32Array([mid]).buffer)[0]!;
      t[k * steps + i] = up ? new Float32Array(new Uint32Array([mid < 0 ? bits - 1 : mid === 0 ? 1 : bits + 1]).buffer)[0]! : mid;
    }
  }
  return makeTensor(ElemType.FLOAT, [rows, steps], t);
}

export function thresholdingConfig(c: { C: number; PE: number; idt: string; odt: string; scale?: 'pow2' | 'random' }): FitConfig {
  const label = `Thresholding C${c.C} P${c.PE} ${c.idt} -> ${c.odt}${c.scale ? ` ${c.scale} scale` : ''}`;
  const r = seededInts(hashLabel(label));
  const x = datatype(c.idt);
  const steps = 2 ** datatype(c.odt).bitwidth() - 1;
  const attrs = { NumChannels: c.C, PE: c.PE, inputDataType: c.idt, outputDataType: c.odt, numSteps: steps, ActVal: datatype(c.odt).signed() ? datatype(c.odt).min() : 0, numInputVectors: [1] };
  const thresholds = c.scale ? quantizerThresholds(c.C, c.odt, c.scale, r) : thresholdTensor(c.C, steps, x.min(), x.max(), r);
  return { kernel: 'Thresholding', label, attrs, consts: { 1: thresholds } };
}

export interface VvauRow {
  C: number; k: number; SIMD: number; PE: number;
  idt: string; wdt: string;
  /** Output datatype: with thresholds its width sets the steps (2^bits − 1); without, the accumulator's. */
  odt: string;
  noActivation?: boolean;
}

/** A depthwise k×k VVAU on a 4×4 output (the image size does not change the hardware). */
export function vvauConfig(c: VvauRow): FitConfig {
  const label = `VVAU C${c.C} k${c.k} S${c.SIMD} P${c.PE} ${c.idt}x${c.wdt} -> ${c.odt}${c.noActivation ? ' noact' : ''}`;
  const r = seededInts(hashLabel(label));
  const K = c.k * c.k;
  const weights = makeTensor(ElemType.FLOAT, [c.C, 1, c.k, c.k], Float32Array.from({ length: c.C * K }, () => randomOf(c.wdt, r)));
  const attrs = {
    Channels: c.C, Kernel: [c.k, c.k], Dim: [4, 4], SIMD: c.SIMD, PE: c.PE, inputDataType: c.idt, weightDataType: c.wdt, outputDataType: c.odt,
    noActivation: c.noActivation ? 1 : 0, ActVal: 0, mem_mode: 'internal_embedded',
  };
  if (c.noActivation) return { kernel: 'VVAU', label, attrs, consts: { 1: weights } };
  const x = datatype(c.idt);
  const w = datatype(c.wdt);
  const mag = K * Math.max(Math.abs(x.min()), Math.abs(x.max())) * Math.max(Math.abs(w.min()), Math.abs(w.max()));
  const steps = 2 ** datatype(c.odt).bitwidth() - 1;
  // As for the MVAU: thresholds within a few standard deviations of a random dot product.
  const spread = Math.max(2, Math.round(Math.sqrt(K) * (mag / K) * 2));
  return { kernel: 'VVAU', label, attrs, consts: { 1: weights, 2: thresholdTensor(c.C, steps, Math.max(-mag, -spread), Math.min(mag, spread), r) } };
}

export function dwcConfig(c: { inWidth: number; outWidth: number; dt?: string }): FitConfig {
  const dt = c.dt ?? 'UINT2';
  const bits = datatype(dt).bitwidth();
  const lcm = (a: number, b: number): number => { let x = a; let y = b; while (y) [x, y] = [y, x % y]; return (a * b) / x; };
  const elems = lcm(c.inWidth, c.outWidth) / bits;
  return { kernel: 'StreamingDataWidthConverter', label: `DWC ${c.inWidth} -> ${c.outWidth}`, attrs: { inWidth: c.inWidth, outWidth: c.outWidth, dataType: dt, shape: [1, elems * 4] } };
}

export function fifoConfig(c: { depth: number; width: number; dt?: string }): FitConfig {
  const dt = c.dt ?? 'UINT8';
  const per = c.width / datatype(dt).bitwidth();
  return { kernel: 'StreamingFIFO', label: `FIFO depth ${c.depth} x ${c.width} bits`, attrs: { depth: c.depth, folded_shape: [1, 16, per], dataType: dt } };
}

export function labelSelectConfig(c: { labels: number; PE: number; K: number; idt: string }): FitConfig {
  return { kernel: 'LabelSelect', label: `LabelSelect L${c.labels} P${c.PE} K${c.K} ${c.idt}`, attrs: { Labels: c.labels, PE: c.PE, K: c.K, inputDataType: c.idt } };
}

// Small enough that the whole table synthesizes in minutes (Yosys takes 10–150 s per MVAU on a loaded 2-core machine).
const MVAU_ROWS: MvauRow[] = [
  // XNOR-popcount (binary weights and inputs) with one threshold
  ...[[64, 16, 8, 1], [64, 16, 16, 2], [128, 32, 16, 4], [64, 32, 32, 4], [64, 64, 64, 1], [256, 16, 32, 2], [32, 16, 8, 1], [32, 8, 4, 2], [16, 16, 16, 1]].map(([MW, MH, SIMD, PE]) => ({ MW: MW!, MH: MH!, SIMD: SIMD!, PE: PE!, idt: 'BINARY', wdt: 'BINARY', odt: 'BINARY', xnor: true })),
  // XNOR with deep LUT weight ROMs (256 and 512 words, TFC's hidden layers' shape 64x64 S8 P1): read without the reset gate
  ...[[64, 64, 8, 1], [64, 32, 4, 2], [128, 32, 8, 2]].map(([MW, MH, SIMD, PE]) => ({ MW: MW!, MH: MH!, SIMD: SIMD!, PE: PE!, idt: 'BINARY', wdt: 'BINARY', odt: 'BINARY', xnor: true })),
  // XNOR with one- and two-bit lanes behind deep folds (TFC's last layer is 64x10 S1 P1): the fold counters dominate
  ...[[64, 10, 1, 1], [32, 32, 1, 1], [128, 8, 2, 1]].map(([MW, MH, SIMD, PE]) => ({ MW: MW!, MH: MH!, SIMD: SIMD!, PE: PE!, idt: 'BINARY', wdt: 'BINARY', odt: 'INT8', xnor: true, noActivation: true })),
  ...[[64, 16, 2, 1], [128, 16, 1, 2]].map(([MW, MH, SIMD, PE]) => ({ MW: MW!, MH: MH!, SIMD: SIMD!, PE: PE!, idt: 'BINARY', wdt: 'BINARY', odt: 'BINARY', xnor: true })),
  // Bipolar x bipolar, no activation
  { MW: 16, MH: 8, SIMD: 4, PE: 2, idt: 'BIPOLAR', wdt: 'BIPOLAR', odt: 'INT8', noActivation: true },
  { MW: 32, MH: 8, SIMD: 8, PE: 1, idt: 'BIPOLAR', wdt: 'BIPOLAR', odt: 'INT8', noActivation: true },
  // Narrow integer multipliers, with thresholds and without
  ...[[16, 8, 2, 2], [32, 8, 4, 2], [16, 16, 8, 1], [32, 16, 4, 4], [8, 8, 8, 2]].flatMap(([MW, MH, SIMD, PE]) => [
    { MW: MW!, MH: MH!, SIMD: SIMD!, PE: PE!, idt: 'UINT2', wdt: 'INT2', odt: 'UINT2' },
    { MW: MW!, MH: MH!, SIMD: SIMD!, PE: PE!, idt: 'INT2', wdt: 'INT2', odt: 'INT16', noActivation: true },
  ]),
  ...[[16, 8, 4, 2], [32, 8, 4, 1], [16, 16, 2, 4]].flatMap(([MW, MH, SIMD, PE]) => [
    { MW: MW!, MH: MH!, SIMD: SIMD!, PE: PE!, idt: 'UINT3', wdt: 'INT3', odt: 'UINT3' },
    { MW: MW!, MH: MH!, SIMD: SIMD!, PE: PE!, idt: 'UINT4', wdt: 'INT4', odt: 'INT16', noActivation: true },
    { MW: MW!, MH: MH!, SIMD: SIMD!, PE: PE!, idt: 'INT4', wdt: 'INT4', odt: 'UINT2' },
  ]),
  // Mixed and wide
  { MW: 32, MH: 8, SIMD: 8, PE: 2, idt: 'BINARY', wdt: 'INT2', odt: 'UINT2' },
  { MW: 32, MH: 8, SIMD: 4, PE: 2, idt: 'UINT4', wdt: 'BIPOLAR', odt: 'INT16', noActivation: true },
  { MW: 16, MH: 8, SIMD: 4, PE: 2, idt: 'UINT8', wdt: 'INT8', odt: 'INT32', noActivation: true },
  { MW: 8, MH: 8, SIMD: 2, PE: 2, idt: 'INT8', wdt: 'INT8', odt: 'INT32', noActivation: true },
  { MW: 16, MH: 4, SIMD: 4, PE: 1, idt: 'UINT8', wdt: 'INT4', odt: 'UINT4' },
  // Deep weight memories (BRAM candidates)
  { MW: 512, MH: 64, SIMD: 8, PE: 4, idt: 'BINARY', wdt: 'BINARY', odt: 'BINARY', xnor: true },
  { MW: 256, MH: 64, SIMD: 4, PE: 4, idt: 'UINT2', wdt: 'INT2', odt: 'UINT2' },
  // PE = MH: one threshold word, folded into the compares (cmpConst)
  { MW: 16, MH: 8, SIMD: 4, PE: 8, idt: 'UINT2', wdt: 'INT2', odt: 'UINT2' },
  // SF = NF = 1 with DSP products: constant weights and thresholds (GTSRB's first layer is 27x12 S27 P12)
  { MW: 27, MH: 12, SIMD: 27, PE: 12, idt: 'INT8', wdt: 'INT2', odt: 'UINT3' },
  { MW: 9, MH: 4, SIMD: 9, PE: 4, idt: 'INT8', wdt: 'INT2', odt: 'UINT3' },
  { MW: 16, MH: 8, SIMD: 16, PE: 8, idt: 'UINT8', wdt: 'INT2', odt: 'UINT2' },
  { MW: 12, MH: 6, SIMD: 12, PE: 6, idt: 'INT8', wdt: 'INT4', odt: 'UINT4' },
];

const THRESHOLDING_ROWS = [
  ...[[16, 1], [16, 4], [64, 2], [64, 8]].flatMap(([C, PE]) => [
    { C: C!, PE: PE!, idt: 'INT8', odt: 'UINT2' },
    { C: C!, PE: PE!, idt: 'INT16', odt: 'UINT4' },
  ]),
  ...[[16, 2], [64, 4], [128, 8], [784, 1]].flatMap(([C, PE]) => [
    { C: C!, PE: PE!, idt: 'UINT8', odt: 'BINARY' },
    { C: C!, PE: PE!, idt: 'INT12', odt: 'INT3' },
  ]),
  { C: 256, PE: 4, idt: 'INT8', odt: 'UINT2' },
  { C: 512, PE: 4, idt: 'INT8', odt: 'UINT4' },
  // PE = C: one threshold word, constants folded into the compares (cmpConst)
  { C: 16, PE: 16, idt: 'INT8', odt: 'UINT2' },
  { C: 8, PE: 8, idt: 'INT12', odt: 'INT3' },
  // FLOAT32 inputs (a network's first quantizer) with one threshold word: GTSRB's is C3 P3 -> INT8
  { C: 3, PE: 3, idt: 'FLOAT32', odt: 'INT8', scale: 'pow2' as const },
  { C: 1, PE: 1, idt: 'FLOAT32', odt: 'UINT8', scale: 'random' as const },
  { C: 4, PE: 4, idt: 'FLOAT32', odt: 'INT4', scale: 'pow2' as const },
  { C: 8, PE: 8, idt: 'FLOAT32', odt: 'UINT4', scale: 'random' as const },
  { C: 2, PE: 2, idt: 'FLOAT32', odt: 'UINT6', scale: 'pow2' as const },
];

const VVAU_ROWS: VvauRow[] = [
  // Thresholded narrow multipliers (MobileNet-like depthwise layers), across PE / SIMD folding
  ...[[16, 1, 1], [16, 3, 2], [32, 9, 4], [128, 1, 2]].map(([C, SIMD, PE]) => ({ C: C!, k: 3, SIMD: SIMD!, PE: PE!, idt: 'UINT4', wdt: 'INT4', odt: 'UINT4' })),
  ...[[32, 3, 8], [64, 1, 4]].map(([C, SIMD, PE]) => ({ C: C!, k: 3, SIMD: SIMD!, PE: PE!, idt: 'INT2', wdt: 'INT2', odt: 'UINT2' })),
  { C: 32, k: 3, SIMD: 1, PE: 8, idt: 'INT3', wdt: 'INT3', odt: 'UINT3' },
  { C: 128, k: 3, SIMD: 3, PE: 8, idt: 'INT4', wdt: 'INT4', odt: 'UINT2' },
  // One threshold word (PE = C) and one weight word (PE = C, SIMD = k²): constant ROMs
  { C: 16, k: 3, SIMD: 1, PE: 16, idt: 'UINT4', wdt: 'INT4', odt: 'UINT4' },
  { C: 16, k: 3, SIMD: 9, PE: 16, idt: 'INT2', wdt: 'INT2', odt: 'UINT2' },
  // No activation: LUT multipliers, DSPs (products of 9 bits or more), BIPOLAR and BINARY operands
  { C: 16, k: 3, SIMD: 9, PE: 4, idt: 'INT2', wdt: 'INT2', odt: 'INT8', noActivation: true },
  { C: 64, k: 3, SIMD: 3, PE: 2, idt: 'UINT8', wdt: 'INT8', odt: 'INT24', noActivation: true },
  { C: 32, k: 3, SIMD: 9, PE: 2, idt: 'UINT8', wdt: 'INT8', odt: 'INT24', noActivation: true },
  { C: 64, k: 5, SIMD: 5, PE: 4, idt: 'UINT4', wdt: 'INT4', odt: 'INT16', noActivation: true },
  { C: 32, k: 3, SIMD: 3, PE: 2, idt: 'BIPOLAR', wdt: 'BIPOLAR', odt: 'INT8', noActivation: true },
  { C: 32, k: 3, SIMD: 3, PE: 4, idt: 'UINT2', wdt: 'BIPOLAR', odt: 'INT8', noActivation: true },
  { C: 8, k: 3, SIMD: 9, PE: 1, idt: 'BINARY', wdt: 'INT3', odt: 'INT8', noActivation: true },
  // Deep weight memory (576 words): block RAM
  { C: 256, k: 3, SIMD: 1, PE: 4, idt: 'INT4', wdt: 'INT4', odt: 'INT16', noActivation: true },
];

const DWC_ROWS = [
  [8, 16], [8, 64], [8, 256], [16, 8], [64, 8], [256, 8], [6, 4], [4, 6], [12, 8], [24, 40], [98, 14], [14, 98], [32, 32], [2, 784], [784, 2], [48, 12], [8, 24], [40, 8],
  // GTSRB (custom fold) converters: ratio 6 at 324 bits, 72 -> 54 through 216 bits (ratio 4); ratios 3, 12 and 16 apart
  [324, 54], [72, 54], [24, 8], [96, 8], [128, 8],
].map(([inWidth, outWidth]) => ({ inWidth: inWidth!, outWidth: outWidth! }));

const FIFO_ROWS = [
  [2, 8], [2, 64], [3, 8], [4, 8], [8, 16], [16, 8], [32, 8], [32, 32], [64, 16], [64, 64], [128, 8], [256, 8], [256, 32], [512, 8], [1024, 16], [100, 24], [2048, 8], [24, 128], [16, 128],
].map(([depth, width]) => ({ depth: depth!, width: width! }));

const LABELSELECT_ROWS = [
  { labels: 10, PE: 1, K: 1, idt: 'INT16' },
  { labels: 10, PE: 2, K: 1, idt: 'INT16' },
  { labels: 10, PE: 1, K: 3, idt: 'INT8' },
  { labels: 64, PE: 4, K: 5, idt: 'INT12' },
  { labels: 100, PE: 10, K: 1, idt: 'UINT8' },
  { labels: 1000, PE: 8, K: 5, idt: 'INT16' },
  { labels: 16, PE: 16, K: 2, idt: 'INT8' },
  { labels: 43, PE: 1, K: 1, idt: 'INT24' },
];

/** Every configuration of the fit (>= 100 nodes). */
export const FIT_TABLE: FitConfig[] = [
  ...MVAU_ROWS.map(mvauConfig),
  ...THRESHOLDING_ROWS.map(thresholdingConfig),
  ...VVAU_ROWS.map(vvauConfig),
  ...DWC_ROWS.map(dwcConfig),
  ...FIFO_ROWS.map(fifoConfig),
  ...LABELSELECT_ROWS.map(labelSelectConfig),
  ...CONV_FIT_TABLE,
];

/** A few configurations of the table (the test of estimates against Yosys): one per kernel, above 100 LUT where the kernel has such. */
export const FIT_SMOKE: FitConfig[] = [
  fifoConfig({ depth: 64, width: 64 }),
  dwcConfig({ inWidth: 64, outWidth: 8 }),
  labelSelectConfig({ labels: 100, PE: 10, K: 1, idt: 'UINT8' }),
  mvauConfig({ MW: 8, MH: 8, SIMD: 2, PE: 2, idt: 'INT8', wdt: 'INT8', odt: 'INT32', noActivation: true }),
  // Constant weights and thresholds (SF = NF = 1): the products still in DSP48E1s
  mvauConfig({ MW: 9, MH: 4, SIMD: 9, PE: 4, idt: 'INT8', wdt: 'INT2', odt: 'UINT3' }),
  thresholdingConfig({ C: 16, PE: 2, idt: 'UINT8', odt: 'BINARY' }),
  vvauConfig({ C: 64, k: 3, SIMD: 3, PE: 2, idt: 'UINT8', wdt: 'INT8', odt: 'INT24', noActivation: true }),
];
