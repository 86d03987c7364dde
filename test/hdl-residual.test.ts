// A reconvergent stitched design: MVAU → DuplicateStreams → (MVAU | skip) → AddStreams, built from a small
// QONNX model through the normal compile with --prefer rtl --generate, simulated bit-exactly with `brainsmith sim`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ElemType, Model, makeNode, makeTensor, makeValueInfo, numberToInt64, saveModel, tensorToProto, type AttributeProto } from '../src/index.js';
import { runCli } from './helpers/cli.js';
import { skipNoIcarus } from './helpers/sim.js';
import { tempDir } from './helpers/tmp.js';

const C = 16;

/**
 * in (INT4, [1, C]) → MatMul (INT2 weights) → Quant INT4 = a0; a0 → MatMul → Quant INT4 = a1; out = a0 + a1.
 * Scales 1, so every tensor is an integer; a0's two readers make a DuplicateStreams, the Add an AddStreams.
 */
function residualModel(): Model {
  const model = new Model({
    ir_version: numberToInt64(7),
    producer_name: 'brainsmith-test',
    producer_version: '1',
    opset_import: [{ domain: '', version: numberToInt64(11) }, { domain: 'qonnx.custom_op.general', version: numberToInt64(1) }],
    graph: { name: 'residual' },
  });
  const g = model.graph;
  const init = (name: string, dims: number[], v: ArrayLike<number>): string => {
    g.setInitializer(tensorToProto(makeTensor(ElemType.FLOAT, dims, Float32Array.from(v)), name));
    return name;
  };
  const int = (name: string, i: number): AttributeProto => ({ name, type: 2, i: numberToInt64(i) });
  const quant = (id: string, x: string, out: string, bits: number, narrow: boolean): void => {
    g.addNode(makeNode({
      opType: 'Quant', domain: 'qonnx.custom_op.general', name: `Quant_${id}`,
      inputs: [x, init(`${id}_scale`, [], [1]), init(`${id}_zeropt`, [], [0]), init(`${id}_bitwidth`, [], [bits])], outputs: [out],
      attributes: [int('signed', 1), int('narrow', narrow ? 1 : 0), { name: 'rounding_mode', type: 3, s: new TextEncoder().encode('ROUND') }],
    }));
  };
  g.addInput(makeValueInfo('global_in', ElemType.FLOAT, [1, C]));
  g.addOutput(makeValueInfo('global_out', ElemType.FLOAT, [1, C]));
  g.setDatatypeName('global_in', 'INT4');
  let s = 12345;
  const rnd = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  for (const l of [0, 1]) {
    init(`w${l}`, [C, C], Array.from({ length: C * C }, () => Math.round(rnd() * 2 - 1)));
    quant(`w${l}`, `w${l}`, `w${l}_q`, 2, true);
    g.addNode(makeNode({ opType: 'MatMul', name: `MatMul_${l}`, inputs: [l ? 'a0' : 'global_in', `w${l}_q`], outputs: [`mm${l}`] }));
    quant(`a${l}`, `mm${l}`, `a${l}`, 4, false);
  }
  g.addNode(makeNode({ opType: 'Add', name: 'Add_0', inputs: ['a0', 'a1'], outputs: ['global_out'] }));
  return model;
}

test('residual block (DuplicateStreams → MVAU | skip → AddStreams) with --prefer rtl --generate: bit-exact in simulation under stalls, with a skip FIFO deep enough for the MVAU\'s input vector', { skip: skipNoIcarus }, async () => {
  const dir = tempDir('bs-residual-');
  const env = { HOME: path.join(dir, 'home'), BRAINSMITH_SIM_CACHE: path.join(dir, 'sim-cache') };
  await saveModel(residualModel(), path.join(dir, 'residual.onnx'));
  // PE = SIMD = 1: the second MVAU reads all C input words before its first output, so the skip stream must
  // hold about C words (the default depth 2 deadlocks; 16 = C is enough, measured in docs/RTL-KERNELS.md).
  writeFileSync(path.join(dir, 'fold.json'), JSON.stringify({ Defaults: {}, AddStreams_rtl_0: { inFIFODepths: [C, 2] } }));
  const c = runCli(['compile', 'residual.onnx', '-o', 'out', '--board', 'Pynq-Z2', '--clock-ns', '10', '--folding-config', 'fold.json', '--prefer', 'rtl', '--generate', '--json'], { cwd: dir, env });
  assert.equal(c.code, 0, c.stderr);
  const summary = JSON.parse(c.stdout) as { opTypes: Record<string, number> };
  assert.equal(summary.opTypes['finn.custom_op.fpgadataflow.rtl:DuplicateStreams_rtl'], 1, JSON.stringify(summary.opTypes));
  assert.equal(summary.opTypes['finn.custom_op.fpgadataflow.rtl:AddStreams_rtl'], 1);
  assert.equal(summary.opTypes['finn.custom_op.fpgadataflow.rtl:MVAU_rtl'], 2);
  for (const stall of ['0', '0.3']) {
    const s = runCli(['sim', 'out', '--frames', '6', '--stall', stall, '--simulator', 'icarus', '--json'], { cwd: dir, env });
    assert.equal(s.code, 0, s.stderr);
    const sim = JSON.parse(s.stdout) as { reference: { ok: boolean; message: string } };
    assert.equal(sim.reference.ok, true, sim.reference.message);
  }
});
