/**
 * Verilog for a Pool node. Input per output pixel: C/PE folds × K taps × PE channels (depthwise SWG order,
 * reference §2.6: taps innermost), so one PE-lane register carries the running result across the K words of a
 * fold: MaxPool keeps the larger raw element (the input type's order), QuantAvgPool adds the values and
 * outputs sum >> shift (execute's shift). The word of the last tap goes out through the output register.
 * One input word per cycle.
 */
import { BrainsmithError, type GeneratedNode, type KernelNodeView } from '../../src/index.js';
import { counterSink, datatype, elementMax, elementValue, inputData, nestedCounters, nodeModule, outputData, slotOutputRegister, paddedWidth, prod, signedBits, type ElementCoding } from '../../src/kernel.js';
import { avgShift, pool } from './kernel.js';

function coding(dtName: string): ElementCoding {
  const dt = datatype(dtName);
  return dt.name === 'BIPOLAR' ? 'bipolar' : dt.signed() ? 'signed' : 'unsigned';
}

/** Accumulator width of QuantAvgPool: the sum of K values, wide enough to take out bits [shift, shift + OB). */
export function avgAccBits(a: ReturnType<typeof pool>): number {
  const t = datatype(a.InputDataType);
  const K = prod(a.KernelSize);
  const lo = t.name === 'BIPOLAR' ? -1 : t.min();
  const hi = t.name === 'BIPOLAR' ? 1 : t.max();
  return Math.max(signedBits(K * lo, K * hi), avgShift(a) + datatype(a.OutputDataType).bitwidth());
}

export function generatePool(node: KernelNodeView): GeneratedNode {
  const a = pool(node);
  for (const [what, dt] of [['InputDataType', a.InputDataType], ['OutputDataType', a.OutputDataType]] as const) {
    if (!datatype(dt).isInteger()) throw new BrainsmithError('E_HDL_UNSUPPORTED', `node '${node.name}': RTL generation needs an integer ${what}, got ${dt}`, { kind: 'input' });
  }
  const PE = a.PE;
  const NF = a.Channels / PE;
  const K = prod(a.KernelSize);
  const A = datatype(a.InputDataType).bitwidth();
  const max = a.Function === 'MaxPool';
  const OB = max ? A : datatype(a.OutputDataType).bitwidth();
  const cod = coding(a.InputDataType);
  let b = inputData(0, PE * A, 'in_data') + outputData(PE * OB, 'out_data');
  b += '  wire slot;\n  wire push;\n';
  b += nestedCounters([{ name: 'tap', n: K }, { name: 'fold', n: NF }], 'push');
  b += '  assign in0_V_TREADY = !tap_last || slot;\n  assign push = in0_V_TVALID && in0_V_TREADY;\n';
  b += counterSink('last', ['fold_last']);
  const first = K === 1 ? "1'b1" : 'tap == 0';
  const res: string[] = [];
  const RW = max ? A : avgAccBits(a);
  const shift = max ? 0 : avgShift(a);
  for (let p = 0; p < PE; p++) {
    if (K > 1) b += `  reg [${RW - 1}:0] acc_${p};\n`;
    if (max) {
      b += `  wire [${A - 1}:0] x_${p} = in_data[${(p + 1) * A - 1}:${p * A}];\n`;
      if (K > 1) {
        b += elementMax(`m_${p}`, 'x_' + p, 'acc_' + p, A, cod);
        b += `  wire [${A - 1}:0] r_${p} = (${first}) ? x_${p} : m_${p};\n`;
      } else b += `  wire [${A - 1}:0] r_${p} = x_${p};\n`;
      res.unshift(`r_${p}`);
    } else {
      b += elementValue(`x_${p}`, 'in_data', p * A, A, cod, RW);
      // The first tap adds to zero: the gate folds into the adder's LUTs.
      b += K > 1 ? `  wire [${RW - 1}:0] r_${p} = (acc_${p} & {${RW}{!(${first})}}) + x_${p};\n` : `  wire [${RW - 1}:0] r_${p} = x_${p};\n`;
      res.unshift(`r_${p}[${shift + OB - 1}:${shift}]`);
      if (shift > 0 || shift + OB < RW) b += `  wire unused_r_${p} = &{1'b0, r_${p}};\n`;
    }
    if (K > 1) b += `  always @(posedge ap_clk) if (push) acc_${p} <= r_${p};\n`;
  }
  b += slotOutputRegister(PE * OB, 'push && tap_last', `{${res.join(', ')}}`);
  const what = max ? 'MaxPool' : `QuantAvgPool (sum of ${RW} bits >> ${shift})`;
  const text = nodeModule({
    name: node.name,
    inputs: [paddedWidth(PE * A)],
    output: paddedWidth(PE * OB),
    about: [`Pool ${what}: ${a.Channels} channels, PE=${PE}, ${K} taps, ${a.InputDataType} -> ${max ? a.InputDataType : a.OutputDataType}.`],
    body: b,
  });
  return { module: node.name, files: { [`${node.name}.v`]: text } };
}
