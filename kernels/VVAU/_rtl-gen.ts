/**
 * Verilog for a VVAU node (depthwise product, reference §2.2): every integer datatype the mapping produces
 * (INTn/UINTn, BINARY, BIPOLAR inputs and weights), with or without thresholds. Per output pixel NF = C/PE
 * channel folds × SF = K²/SIMD tap folds, sf innermost; each cycle takes one input word (SIMD taps × PE
 * channels, element s·PE + p = tap sf·SIMD + s of channel nf·PE + p: FINN's depthwise window order) and one
 * weight word, adds the lane's SIMD products to its accumulator (reset at sf = 0), and after sf = SF−1 passes
 * the PE sums through the thresholds (or straight out) into the output register. Every input word is read
 * once, so the throughput is one word per cycle: NF·SF·H·W cycles per frame (the kernel's `cycles`).
 */
import { BrainsmithError, type GeneratedNode, type KernelNodeView, type TensorValue } from '../../src/index.js';
import {
  clog2, codingOf, datatype, encodeElement, foldCounter, inputData, macLane, macMemories, nodeModule, numbers, outputData, outputRegister,
  paddedWidth, signedBits, valueBits,
} from '../../src/kernel.js';
import { kernelSize, vvau, type VvauAttrs } from './_model.js';

/** Where our generator works: integer input, weight and output datatypes, weights inside the node. */
export function vvauGeneratable(a: VvauAttrs): boolean {
  return [a.inputDataType, a.weightDataType, a.outputDataType].every((d) => datatype(d).isInteger()) && a.mem_mode !== 'external';
}

/**
 * Weight memory words: row nf·SF + sf holds weight (p, s) = w[c = nf·PE + p][k = sf·SIMD + s] at bit offset
 * (p·SIMD + s)·W (FINN's VVAU_rtl packing; weights (C, 1, kh, kw)).
 */
export function vvauWeightWords(w: TensorValue, a: VvauAttrs): { words: bigint[]; bits: number } {
  const C = a.Channels;
  const K = kernelSize(a);
  const ws = numbers(w, 'VVAU weights');
  if (ws.length !== C * K) throw new BrainsmithError('E_HDL_PARAM', `VVAU weights have shape [${w.dims.join(',')}], expected [${C},1,${a.Kernel.join(',')}]`, { kind: 'input' });
  const W = BigInt(datatype(a.weightDataType).bitwidth());
  const words: bigint[] = [];
  for (let nf = 0; nf < C / a.PE; nf++) {
    for (let sf = 0; sf < K / a.SIMD; sf++) {
      let word = 0n;
      for (let p = a.PE - 1; p >= 0; p--) {
        for (let s = a.SIMD - 1; s >= 0; s--) word = (word << W) | encodeElement(ws[(nf * a.PE + p) * K + sf * a.SIMD + s]!, a.weightDataType);
      }
      words.push(word);
    }
  }
  return { words, bits: a.PE * a.SIMD * Number(W) };
}

/** The accumulator range over every channel: Σ_k of each product's extremes over the input's range. */
export function vvauAccumulatorRange(w: TensorValue, a: VvauAttrs): { lo: number; hi: number } {
  const ws = numbers(w, 'VVAU weights');
  const idt = datatype(a.inputDataType);
  const K = kernelSize(a);
  let lo = 0;
  let hi = 0;
  for (let c = 0; c < a.Channels; c++) {
    let l = 0;
    let h = 0;
    for (let k = 0; k < K; k++) {
      const v = ws[c * K + k]!;
      l += Math.min(v * idt.min(), v * idt.max());
      h += Math.max(v * idt.min(), v * idt.max());
    }
    lo = Math.min(lo, l);
    hi = Math.max(hi, h);
  }
  return { lo, hi };
}

/** The datapath widths: element value widths, product width and accumulator width. */
export function vvauDatapath(a: VvauAttrs, range: { lo: number; hi: number }): { A: number; W: number; OB: number; XV: number; WV: number; PW: number; ACC: number } {
  const A = datatype(a.inputDataType).bitwidth();
  const W = datatype(a.weightDataType).bitwidth();
  const OB = datatype(a.outputDataType).bitwidth();
  const XV = valueBits(codingOf(a.inputDataType), A);
  const WV = valueBits(codingOf(a.weightDataType), W);
  const PW = XV + WV;
  // The range plus one above (threshold compares), never narrower than one product.
  return { A, W, OB, XV, WV, PW, ACC: Math.max(signedBits(range.lo, range.hi + 1), PW) };
}

export function generateVvau(node: KernelNodeView): GeneratedNode {
  const a = vvau(node);
  if (!vvauGeneratable(a)) {
    throw new BrainsmithError('E_HDL_UNSUPPORTED', `node '${node.name}': RTL generation needs integer datatypes and weights inside the node (mem_mode internal_embedded or internal_decoupled), got ${a.inputDataType} x ${a.weightDataType} -> ${a.outputDataType}, mem_mode ${a.mem_mode}`, { kind: 'input' });
  }
  const w = node.constantInput(1);
  if (!w) throw new BrainsmithError('E_HDL_PARAM', `node '${node.name}': weights (input 1) must be an initializer`, { kind: 'input' });
  const thr = a.noActivation === 1 ? undefined : node.constantInput(2);
  if (a.noActivation === 0 && !thr) throw new BrainsmithError('E_HDL_PARAM', `node '${node.name}': thresholds (input 2) must be an initializer`, { kind: 'input' });
  const { PE, SIMD, Channels: C } = a;
  const K = kernelSize(a);
  const SF = K / SIMD;
  const NF = C / PE;
  const WMEM = SF * NF;
  const range = vvauAccumulatorRange(w, a);
  const { A, W, OB, ACC } = vvauDatapath(a, range);
  const xc = codingOf(a.inputDataType);
  const wc = codingOf(a.weightDataType);
  const mem = macMemories({
    node: node.name, weights: vvauWeightWords(w, a),
    thresholds: thr ? { tensor: thr, channels: C, pe: PE, lo: range.lo, hi: range.hi, acc: ACC } : undefined,
  });
  const files = mem.files;
  const whex = `${node.name}_weights.hex`;

  let b = inputData(0, SIMD * PE * A, 'x_word') + outputData(PE * OB, 'out_data');
  const outStage = outputRegister('step && last_sf', `{${Array.from({ length: PE }, (_, p) => `y_${PE - 1 - p}`).join(', ')}}`, PE * OB);
  b += outStage.decl + '  wire last_sf;\n  wire can_step = !last_sf || out_free;\n';
  b += '  assign in0_V_TREADY = can_step;\n  wire step = can_step && in0_V_TVALID;\n';
  if (SF > 1) b += foldCounter('sf', SF, 'step') + `  wire first_sf = sf == ${clog2(SF)}'d0;\n`;
  b += `  assign last_sf = ${SF > 1 ? `sf == ${clog2(SF)}'d${SF - 1}` : "1'b1"};\n`;
  if (NF > 1) b += foldCounter('nf', NF, 'step && last_sf');
  b += mem.text;
  const tsteps = mem.activation?.steps ?? 0;

  for (let p = 0; p < PE; p++) {
    b += macLane({
      lane: p, simd: SIMD, xOffset: (s) => `(${s} * ${PE} + ${p}) * ${A}`, wOffset: (s) => `(${p * SIMD} + ${s}) * ${W}`,
      xBits: A, wBits: W, xCoding: xc, wCoding: wc, mode: 'multiply', acc: ACC, folds: SF > 1, outBits: OB,
      activation: mem.activation ? { ...mem.activation, outputDatatype: a.outputDataType, actVal: a.ActVal } : undefined,
    });
  }
  b += outStage.logic;
  files[`${node.name}.v`] = nodeModule({
    name: node.name,
    inputs: [paddedWidth(SIMD * PE * A)],
    output: paddedWidth(PE * OB),
    about: [
      `VVAU: Channels=${C} Kernel=${a.Kernel.join('x')} Dim=${a.Dim.join('x')} SIMD=${SIMD} PE=${PE}, ${a.inputDataType} x ${a.weightDataType}, ${ACC}-bit accumulators, ${thr ? `${tsteps} threshold steps` : 'no activation'} -> ${a.outputDataType}.`,
      `Input element s*${PE} + p = tap sf*${SIMD} + s of channel nf*${PE} + p. Weights: ${whex}, ${WMEM} words (row nf*${SF} + sf), weight (p, s) at bit (p*${SIMD} + s)*${W}.`,
    ],
    body: b,
  });
  return { module: node.name, files };
}
