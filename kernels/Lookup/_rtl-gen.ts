/**
 * Verilog for a Lookup (embedding) node, FINN's internal_embedded streams (reference §2.17): one index per
 * input beat (bits(InputType), padded to a multiple of 8) → one output beat holding the table row,
 * EmbeddingDim elements of EmbeddingType with element 0 at the LSB. The table is a ROM of NumEmbeddings
 * words; an index outside [0, NumEmbeddings) reads row 0 (as FINN's external mode; the kernel's `execute`
 * rejects such indices). One register stage: one index per cycle.
 */
import { BrainsmithError, type GeneratedNode, type KernelNodeView } from '../../src/index.js';
import { clog2, datatype, inputData, nodeModule, numbers, outputData, outputRegister, packWord, paddedWidth, readmemh, romDecl } from '../../src/kernel.js';
import { lookupAttributes } from './kernel.js';

type Attrs = ReturnType<typeof lookupAttributes.parse>;

/** Where our generator works: the table inside the node, integer or fixed-point elements, unsigned indices. */
export function lookupGeneratable(a: Attrs): boolean {
  const idt = datatype(a.InputType);
  return a.mem_mode !== 'external' && idt.isInteger() && !idt.signed() && idt.name !== 'BIPOLAR' && datatype(a.EmbeddingType).name !== 'FLOAT32';
}

export function generateLookup(node: KernelNodeView): GeneratedNode {
  const a = lookupAttributes.parse(node.attrs);
  if (!lookupGeneratable(a)) {
    throw new BrainsmithError('E_HDL_UNSUPPORTED', `node '${node.name}': RTL generation needs the table inside the node (mem_mode ${a.mem_mode}), unsigned integer indices (${a.InputType}) and a non-float EmbeddingType (${a.EmbeddingType})`, { kind: 'input' });
  }
  const table = node.constantInput(1);
  if (!table) throw new BrainsmithError('E_HDL_PARAM', `node '${node.name}': embeddings (input 1) must be an initializer`, { kind: 'input' });
  const N = a.NumEmbeddings;
  const D = a.EmbeddingDim;
  const es = numbers(table, `node '${node.name}' embeddings`);
  if (es.length !== N * D) throw new BrainsmithError('E_HDL_PARAM', `node '${node.name}': embeddings have ${es.length} values, expected ${N}x${D}`, { kind: 'input' });
  const IB = datatype(a.InputType).bitwidth();
  const OB = D * datatype(a.EmbeddingType).bitwidth();
  const words = Array.from({ length: N }, (_, r) => packWord(es.subarray(r * D, (r + 1) * D), a.EmbeddingType));
  const hex = `${node.name}_embeddings.hex`;
  const AW = clog2(N);
  const out = outputRegister('push', 'row', OB);
  let b = inputData(0, IB, 'idx') + outputData(OB, 'out_data') + out.decl;
  b += '  assign in0_V_TREADY = out_free;\n  wire push = in0_V_TVALID && out_free;\n';
  b += romDecl('embeddings', OB, N, hex);
  // The ROM address: the index when it is in range, else row 0.
  let addr: string;
  if (N === 1) {
    addr = "1'b0";
    b += `  wire unused_idx = &{1'b0, idx};\n`;
  } else if (IB <= AW) {
    addr = IB === AW ? 'idx' : `{${AW - IB}'d0, idx}`;
    if (2 ** IB > N) addr = `(idx < ${IB}'d${N}) ? ${addr} : ${AW}'d0`;
  } else {
    addr = `(idx < ${IB}'d${N}) ? idx[${AW - 1}:0] : ${AW}'d0`;
  }
  b += `  wire [${OB - 1}:0] row = embeddings[${addr}];\n`;
  b += out.logic;
  const text = nodeModule({
    name: node.name,
    inputs: [paddedWidth(IB)],
    output: paddedWidth(OB),
    about: [
      `Lookup: ${N} embeddings of ${D} x ${a.EmbeddingType}, ${a.InputType} indices (out of range -> row 0).`,
      `Table: ${hex}, ${N} words, element d of a row at bit d*${OB / D}.`,
    ],
    body: b,
  });
  return { module: node.name, files: { [`${node.name}.v`]: text, [hex]: readmemh(words, OB) } };
}
