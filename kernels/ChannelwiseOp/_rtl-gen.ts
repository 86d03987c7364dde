/**
 * Verilog for a ChannelwiseOp node (reference §2.13): per beat PE channels of fold f (a counter over C/PE,
 * as in FINN's folded shape V+[C/PE, PE]), lane p combined with parameter param[f·PE + p] by Func, as the
 * kernel's `execute` does: add x + p, mul x·p, cmp_le x ≤ p, cmp_ge x ≥ p (1/0). Parameters sit in a ROM of
 * C/PE words (lane p's value at bit p·PV, PV-bit two's complement), read through a registered port at the
 * fold counter (foldRom), so that Yosys keeps it apart from the lanes' logic. Every datatype is read through its
 * coding (INTn, UINTn, BINARY, BIPOLAR); the result is computed wide enough to be exact and emitted in the
 * output datatype's bits. One register stage: one beat per cycle.
 */
import { BrainsmithError, type GeneratedNode, type KernelNodeView } from '../../src/index.js';
import {
  codingOf, datatype, elementValue, foldRom, inputData, nodeModule, numbers, outputData, outputRegister, paddedWidth,
  readmemh, signedBits, valueBits,
} from '../../src/kernel.js';
import { channelwiseOpAttributes } from './kernel.js';

type Attrs = ReturnType<typeof channelwiseOpAttributes.parse>;

/** Where our generator works: integer input, parameter and output datatypes. */
export function channelwiseGeneratable(a: Attrs): boolean {
  return [a.inputDataType, a.paramDataType, a.outputDataType].every((d) => datatype(d).isInteger());
}

/** The datapath: input value width XV, parameter width PV and result width RW for `Func`. */
export function channelwiseWidths(a: Attrs, params: ArrayLike<number>): { A: number; OB: number; XV: number; PV: number; RW: number } {
  const A = datatype(a.inputDataType).bitwidth();
  const OB = datatype(a.outputDataType).bitwidth();
  const XV = valueBits(codingOf(a.inputDataType), A);
  const ps = Array.from(params);
  const PV = signedBits(Math.min(0, ...ps), Math.max(0, ...ps));
  const RW = a.Func === 'mul' ? XV + PV : a.Func === 'add' ? Math.max(XV, PV) + 1 : 1;
  return { A, OB, XV, PV, RW };
}

/** The parameter ROM: word f holds lane p's parameter (channel f·PE + p, cycling a scalar) at bit p·PV. */
export function channelwiseParamWords(params: ArrayLike<number>, PE: number, PV: number, NF: number): bigint[] {
  const words: bigint[] = [];
  for (let f = 0; f < NF; f++) {
    let word = 0n;
    for (let p = PE - 1; p >= 0; p--) word = (word << BigInt(PV)) | BigInt.asUintN(PV, BigInt(params[(f * PE + p) % params.length]!));
    words.push(word);
  }
  return words;
}

export function generateChannelwise(node: KernelNodeView): GeneratedNode {
  const a = channelwiseOpAttributes.parse(node.attrs);
  if (!channelwiseGeneratable(a)) {
    throw new BrainsmithError('E_HDL_UNSUPPORTED', `node '${node.name}': RTL generation needs integer datatypes, got ${a.inputDataType} (param ${a.paramDataType}) -> ${a.outputDataType}`, { kind: 'input' });
  }
  const C = a.NumChannels;
  const PE = a.PE;
  if (C % PE !== 0) throw new BrainsmithError('E_HDL_PARAM', `node '${node.name}': PE=${PE} does not divide NumChannels=${C}`, { kind: 'input' });
  const pt = node.constantInput(1);
  if (!pt) throw new BrainsmithError('E_HDL_PARAM', `node '${node.name}': parameters (input 1) must be an initializer`, { kind: 'input' });
  const raw = numbers(pt, `node '${node.name}' parameters`);
  if (raw.length !== C && raw.length !== 1) throw new BrainsmithError('E_HDL_PARAM', `node '${node.name}': ${raw.length} parameters, expected ${C} or 1`, { kind: 'input' });
  if (!raw.every(Number.isInteger)) throw new BrainsmithError('E_HDL_UNSUPPORTED', `node '${node.name}': RTL generation needs integer parameters`, { kind: 'input' });
  const params = Array.from({ length: C }, (_, c) => raw[raw.length === 1 ? 0 : c]!);
  const { A, OB, XV, PV, RW } = channelwiseWidths(a, params);
  const NF = C / PE;
  const words = channelwiseParamWords(params, PE, PV, NF);
  const hex = `${node.name}_params.hex`;
  const bipolarOut = datatype(a.outputDataType).name === 'BIPOLAR';
  const ys = Array.from({ length: PE }, (_, p) => `y_${PE - 1 - p}`);
  const out = outputRegister('push', `{${ys.join(', ')}}`, PE * OB);
  let b = inputData(0, PE * A, 'in_data') + outputData(PE * OB, 'out_data') + out.decl;
  b += '  assign in0_V_TREADY = out_free;\n  wire push = in0_V_TVALID && out_free;\n';
  // The word of the current fold, read through a registered ROM port (foldRom) so that Yosys keeps the ROM
  // apart from the lanes' logic: its cost then follows from its contents (src/hdl/rom-estimate.ts).
  b += foldRom('params', 'p_word', words, PE * PV, hex, 'push');
  const W = Math.max(XV, PV, RW);
  const ext = (e: string, from: number) => (from === W ? e : `{{${W - from}{${e}[${from - 1}]}}, ${e}}`);
  for (let p = 0; p < PE; p++) {
    b += elementValue(`x_${p}`, 'in_data', p * A, A, codingOf(a.inputDataType), XV);
    b += `  wire [${PV - 1}:0] p_${p} = p_word[${p * PV + PV - 1}:${p * PV}];\n`;
    const x = ext(`x_${p}`, XV);
    const q = ext(`p_${p}`, PV);
    let r: string;
    if (a.Func === 'add') r = `${x} + ${q}`;
    else if (a.Func === 'mul') r = `${x} * ${q}`;
    else r = `{{${W - 1}{1'b0}}, $signed(${x}) ${a.Func === 'cmp_le' ? '<=' : '>='} $signed(${q})}`;
    b += `  wire [${W - 1}:0] r_${p} = ${r};\n`;
    // BIPOLAR output: +1 → 1, −1 → 0 (the sign bit inverted); otherwise the result's low bits.
    if (bipolarOut) b += `  wire [0:0] y_${p} = ~r_${p}[${W - 1}];\n  wire unused_r_${p} = &{1'b0, r_${p}[${W - 2}:0]};\n`;
    else {
      b += `  wire [${OB - 1}:0] y_${p} = ${OB <= W ? `r_${p}[${OB - 1}:0]` : `{{${OB - W}{r_${p}[${W - 1}]}}, r_${p}}`};\n`;
      if (OB < W) b += `  wire unused_r_${p} = &{1'b0, r_${p}[${W - 1}:${OB}]};\n`;
    }
  }
  b += out.logic;
  const text = nodeModule({
    name: node.name,
    inputs: [paddedWidth(PE * A)],
    output: paddedWidth(PE * OB),
    about: [
      `ChannelwiseOp ${a.Func}: ${C} channels, PE=${PE}, ${a.inputDataType} (param ${a.paramDataType}) -> ${a.outputDataType}, ${W}-bit datapath.`,
      `Parameters: ${hex}, ${NF} words; parameter of lane p in fold f (channel f*${PE} + p) at bit p*${PV}.`,
    ],
    body: b,
  });
  return { module: node.name, files: { [`${node.name}.v`]: text, [hex]: readmemh(words, PE * PV) } };
}
