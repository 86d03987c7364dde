/**
 * A plugin project for code-generation tests: kernels TestPass (identity, PE lanes of `bits`) and TestAdd
 * (two streams added), each with an rtl backend whose `generate` writes a small module; TestPass names a
 * library module shipped beside its plugin file. Models are built by hand around them and the built-in
 * StreamingFIFO.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeNode, makeValueInfo, Model, ElemType, type AttributeProto, type ModelProto } from '../../src/index.js';
import { openRegistry, type Registry } from '../../src/host.js';
import { repoRoot } from './paths.js';
import { tempDir } from './tmp.js';

const api = pathToFileURL(path.join(repoRoot, 'dist', 'src', 'index.js')).href;

const PLUGIN = `import { defineKernel, defineBackend, makeTensor, tensorToNumbers } from '${api}';
const w8 = (b) => Math.ceil(b / 8) * 8;
const ports = (name, ins, out) => ['input wire ap_clk', 'input wire ap_rst_n',
  ...ins.flatMap((w, i) => ['input wire [' + (w - 1) + ':0] in' + i + '_V_TDATA', 'input wire in' + i + '_V_TVALID', 'output wire in' + i + '_V_TREADY']),
  'output wire [' + (out - 1) + ':0] out_V_TDATA', 'output wire out_V_TVALID', 'input wire out_V_TREADY'].join(',\\n  ');
const f32 = (dims, v) => makeTensor(1, [...dims], Float32Array.from(v));
export const pass = defineKernel({
  name: 'TestPass', domain: 'finn.custom_op.fpgadataflow',
  streamWidths(n) { const w = n.attrs.PE * n.attrs.bits; return { inputs: [w], outputs: [w] }; },
  cycles(n) { return n.attrs.C / n.attrs.PE; },
  execute(inputs) { return [f32(inputs[0].dims, tensorToNumbers(inputs[0]))]; },
});
export const add = defineKernel({
  name: 'TestAdd', domain: 'finn.custom_op.fpgadataflow',
  streamWidths(n) { return { inputs: [n.attrs.PE * n.attrs.bits, n.attrs.PE * n.attrs.bits], outputs: [n.attrs.PE * (n.attrs.bits + 1)] }; },
  cycles(n) { return n.attrs.C / n.attrs.PE; },
  execute(inputs) { const a = tensorToNumbers(inputs[0]), b = tensorToNumbers(inputs[1]); return [f32(inputs[0].dims, a.map((x, i) => x + b[i]))]; },
});
export const passRtl = defineBackend({
  name: 'TestPass_rtl', kernel: 'TestPass', language: 'rtl',
  generate(n) {
    const w = w8(n.attrs.PE * n.attrs.bits);
    const text = 'module ' + n.name + ' (\\n  ' + ports(n.name, [w], w) + '\\n);\\n'
      + '  test_slice #(.W(' + w + ')) s (.clk(ap_clk), .rst_n(ap_rst_n), .i_data(in0_V_TDATA' + (n.attrs.bug ? ' ^ ' + w + "'d1" : '') + '), .i_valid(in0_V_TVALID), .i_ready(in0_V_TREADY), .o_data(out_V_TDATA), .o_valid(out_V_TVALID), .o_ready(out_V_TREADY));\\nendmodule\\n';
    return { module: n.name, files: { [n.name + '.v']: text, [n.name + '_note.hex']: '00\\n' }, libraries: ['hdl/test_slice.v'] };
  },
});
export const addRtl = defineBackend({
  name: 'TestAdd_rtl', kernel: 'TestAdd', language: 'rtl',
  generate(n) {
    const b = n.attrs.bits, pe = n.attrs.PE, wi = w8(pe * b), wo = w8(pe * (b + 1));
    const lanes = Array.from({ length: pe }, (_, p) => '  assign sum[' + ((p + 1) * (b + 1) - 1) + ':' + (p * (b + 1)) + '] = {1\\'b0, in0_V_TDATA[' + ((p + 1) * b - 1) + ':' + (p * b) + ']} + {1\\'b0, in1_V_TDATA[' + ((p + 1) * b - 1) + ':' + (p * b) + ']};').join('\\n');
    const pad = wo > pe * (b + 1) ? '{' + (wo - pe * (b + 1)) + "'d0, sum}" : 'sum';
    const text = 'module ' + n.name + ' (\\n  ' + ports(n.name, [wi, wi], wo) + '\\n);\\n'
      + '  wire [' + (pe * (b + 1) - 1) + ':0] sum;\\n' + lanes + '\\n'
      + '  wire both = in0_V_TVALID && in1_V_TVALID;\\n'
      + '  assign out_V_TVALID = both;\\n  assign out_V_TDATA = ' + pad + ';\\n'
      + '  assign in0_V_TREADY = both && out_V_TREADY;\\n  assign in1_V_TREADY = both && out_V_TREADY;\\n'
      + '  wire unused = &{1\\'b0, ap_clk, ap_rst_n, in0_V_TDATA[' + (wi - 1) + ':0], in1_V_TDATA[' + (wi - 1) + ':0], 1\\'b0};\\n'
      + 'endmodule\\n';
    return { module: n.name, files: { [n.name + '.v']: text } };
  },
});
`;

export const TEST_SLICE = `module test_slice #(parameter W = 8) (
  input wire clk, input wire rst_n,
  input wire [W-1:0] i_data, input wire i_valid, output wire i_ready,
  output reg [W-1:0] o_data, output reg o_valid, input wire o_ready);
  assign i_ready = !o_valid || o_ready;
  always @(posedge clk) begin
    if (!rst_n) begin o_valid <= 1'b0; o_data <= {W{1'b0}}; end
    else if (i_ready) begin o_valid <= i_valid; o_data <= i_data; end
  end
endmodule
`;

/** A project folder holding the fixture plugin, and a registry over it plus the built-ins. */
export async function codegenProject(): Promise<{ reg: Registry; dir: string }> {
  const dir = tempDir('bs-codegen-');
  const plugins = path.join(dir, 'proj', 'brainsmith_plugins');
  mkdirSync(path.join(plugins, 'hdl'), { recursive: true });
  mkdirSync(path.join(dir, 'home'));
  writeFileSync(path.join(plugins, 'test-kernels.mjs'), PLUGIN);
  writeFileSync(path.join(plugins, 'hdl', 'test_slice.v'), TEST_SLICE);
  const reg = await openRegistry({ projectDir: path.join(dir, 'proj'), home: path.join(dir, 'home'), pluginPath: '', cache: false });
  return { reg, dir };
}

const int = (name: string, i: number): AttributeProto => ({ name, type: 2, i });
const ints = (name: string, v: number[]): AttributeProto => ({ name, type: 7, ints: v });
const str = (name: string, s: string): AttributeProto => ({ name, type: 3, s: new TextEncoder().encode(s) });

export interface FixtureNode {
  op: 'TestPass' | 'TestAdd' | 'StreamingFIFO' | 'Relu';
  name: string;
  inputs: string[];
  output: string;
  PE?: number;
  depth?: number;
  /** TestPass only: the generated module flips bit 0 of every word (a hardware bug to find). */
  bug?: boolean;
}

/**
 * A model over C channels of UINT4 (TestAdd outputs UINT5): nodes as given, graph inputs and outputs named.
 * TestPass/TestAdd are specialized rtl nodes; StreamingFIFO stays unspecialized, as InsertFIFO leaves it.
 */
export function fixtureModel(nodes: FixtureNode[], inputs: string[], outputs: string[], C = 8): Model {
  const dtypes = new Map<string, string>(inputs.map((t) => [t, 'UINT4']));
  const protoNodes = nodes.map((n) => {
    const inDt = dtypes.get(n.inputs[0]!) ?? 'UINT4';
    const bits = Number(/\d+/.exec(inDt)![0]);
    dtypes.set(n.output, n.op === 'TestAdd' ? `UINT${bits + 1}` : inDt);
    const pe = n.PE ?? 1;
    if (n.op === 'Relu') return makeNode({ opType: 'Relu', name: n.name, inputs: n.inputs, outputs: [n.output] });
    if (n.op === 'StreamingFIFO') {
      return makeNode({ opType: 'StreamingFIFO', domain: 'finn.custom_op.fpgadataflow', name: n.name, inputs: n.inputs, outputs: [n.output],
        attributes: [int('depth', n.depth ?? 2), ints('folded_shape', [1, C / pe, pe]), ints('normal_shape', [1, C]), str('dataType', inDt), str('impl_style', 'rtl')] });
    }
    return makeNode({ opType: `${n.op}_rtl`, domain: 'finn.custom_op.fpgadataflow.rtl', name: n.name, inputs: n.inputs, outputs: [n.output],
      attributes: [int('PE', pe), int('C', C), int('bits', bits), ...(n.bug ? [int('bug', 1)] : [])] });
  });
  const all = [...inputs, ...nodes.map((n) => n.output)];
  const m = new Model({
    ir_version: 8,
    opset_import: [{ domain: '', version: 13 }],
    graph: {
      name: 'g', node: protoNodes,
      input: inputs.map((t) => makeValueInfo(t, ElemType.FLOAT, [1, C])),
      output: outputs.map((t) => makeValueInfo(t, ElemType.FLOAT, [1, C])),
      value_info: all.filter((t) => !inputs.includes(t) && !outputs.includes(t)).map((t) => makeValueInfo(t, ElemType.FLOAT, [1, C])),
    },
  } as ModelProto);
  for (const t of all) m.graph.setDatatypeName(t, dtypes.get(t)!);
  return m;
}
