// The binding layer: one backend rule for estimates and SpecializeLayers, hooks called with errors wrapped
// one way, kernel shape and datatype hooks driving inference, and the generate contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { BrainsmithError, ElemType, Model, makeNode, makeTensor, makeValueInfo, tensorToProto, AttributeType, type AttributeProto, type ModelProto } from '../../src/index.js';
import { applyTransform, estimateModel, openRegistry } from '../../src/host.js';
import { resolveTarget } from '../../src/kernel.js';
import { chooseLanguage, preferenceFor } from '../../src/hw/backend-choice.js';
import { harness } from '../transforms/optimization/support.js';
import { repoRoot } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

const utf8 = new TextEncoder();
const int = (name: string, i: number): AttributeProto => ({ name, type: AttributeType.INT, i });
const str = (name: string, s: string): AttributeProto => ({ name, type: AttributeType.STRING, s: utf8.encode(s) });
const ints = (name: string, v: number[]): AttributeProto => ({ name, type: AttributeType.INTS, ints: v });

/** One MVAU (not specialized, or as `opType`) over 8×4 weights of `wdt`, inputs of `idt`, no activation. */
function mvauModel(idt: string, wdt: string, opType = 'MVAU', domain = 'finn.custom_op.fpgadataflow', extra: AttributeProto[] = []): Model {
  const w = Float32Array.from({ length: 32 }, (_, k) => (k % 3) - 1);
  const m = new Model({
    ir_version: 8,
    opset_import: [{ domain: '', version: 13 }],
    graph: {
      name: 'g',
      node: [makeNode({
        opType, domain, name: 'MVAU_0', inputs: ['x', 'w'], outputs: ['y'],
        attributes: [int('MW', 8), int('MH', 4), int('PE', 1), int('SIMD', 1), str('inputDataType', idt), str('weightDataType', wdt), str('outputDataType', 'INT32'), int('noActivation', 1), ints('numInputVectors', [1]), ...extra],
      })],
      input: [makeValueInfo('x', ElemType.FLOAT, [1, 8])],
      output: [makeValueInfo('y', ElemType.FLOAT, undefined as never)],
    },
  } as unknown as ModelProto);
  m.graph.setInitializer(tensorToProto(makeTensor(ElemType.FLOAT, [8, 4], w), 'w'));
  m.graph.setDatatypeName('x', idt);
  m.graph.setDatatypeName('w', wdt);
  return m;
}

test('backend rule: a stated preference wins when viable, else the other with a warning; else FINN\'s default', () => {
  const both = { rtl: { isDefault: true }, hls: { isDefault: true } };
  assert.deepEqual(chooseLanguage(both), { language: 'rtl', warnings: [], usable: true });
  assert.deepEqual(chooseLanguage(both, 'hls'), { language: 'hls', warnings: [], usable: true });
  const narrow = { rtl: { isDefault: false }, hls: { isDefault: true } };
  assert.equal(chooseLanguage(narrow).language, 'hls');
  assert.equal(chooseLanguage(narrow, 'rtl').language, 'rtl');
  const noRtl = { rtl: { unusable: 'X_rtl is not viable for this node', isDefault: true }, hls: { isDefault: true } };
  assert.deepEqual(chooseLanguage(noRtl, 'rtl'), { language: 'hls', warnings: ['preferred rtl backend not used (X_rtl is not viable for this node); using hls'], usable: true });
  const none = { rtl: { unusable: 'no rtl backend plugin for X', isDefault: true }, hls: { unusable: 'X_hls is not viable for this node', isDefault: true } };
  assert.deepEqual(chooseLanguage(none), { language: 'hls', warnings: ['no rtl backend plugin for X', 'X_hls is not viable for this node'], usable: false });
  // Node name, then the node's attribute, then the kernel, then every kernel.
  assert.equal(preferenceFor({ byName: { MVAU_0: 'hls', MVAU: 'rtl' }, all: 'rtl' }, 'MVAU_0', 'MVAU', 'rtl'), 'hls');
  assert.equal(preferenceFor({ byName: { MVAU: 'rtl' }, all: 'hls' }, 'MVAU_0', 'MVAU', 'hls'), 'hls');
  assert.equal(preferenceFor({ byName: { MVAU: 'rtl' }, all: 'hls' }, 'MVAU_0', 'MVAU', ''), 'rtl');
  assert.equal(preferenceFor({ all: 'hls' }, 'MVAU_0', 'MVAU', ''), 'hls');
  assert.equal(preferenceFor(undefined, 'MVAU_0', 'MVAU', ''), undefined);
});

test('an INT2 MVAU on Pynq-Z2 is estimated with the backend SpecializeLayers then gives it (MVAU_hls, FINN\'s width rule)', async () => {
  const h = await harness();
  const target = resolveTarget({ board: 'Pynq-Z2' });
  const before = await estimateModel(mvauModel('INT2', 'INT2'), h.reg.hw, { target, clockNs: 10 });
  const m = mvauModel('INT2', 'INT2');
  await applyTransform(h.reg, 'SpecializeLayers', m, { board: 'Pynq-Z2' });
  assert.equal(m.graph.nodeList()[0]!.opType, 'MVAU_hls');
  const after = await estimateModel(m, h.reg.hw, { target, clockNs: 10 });
  assert.equal(before.nodes[0]!.backend, 'hls');
  assert.deepEqual(before.nodes[0]!.resources, after.nodes[0]!.resources);
  assert.ok(before.nodes[0]!.resources.LUT! > 0);
  // INT4 × INT4 without thresholds is FINN's rtl case, before and after specialization alike.
  const wide = await estimateModel(mvauModel('INT4', 'INT4'), h.reg.hw, { target, clockNs: 10 });
  assert.equal(wide.nodes[0]!.backend, 'rtl');
  const m4 = mvauModel('INT4', 'INT4');
  await applyTransform(h.reg, 'SpecializeLayers', m4, { board: 'Pynq-Z2' });
  assert.equal(m4.graph.nodeList()[0]!.opType, 'MVAU_rtl');
  // A preference for every kernel (compile --prefer) overrides FINN's width rule where the backend is viable.
  const p = mvauModel('INT2', 'INT2');
  await applyTransform(h.reg, 'SpecializeLayers', p, { board: 'Pynq-Z2', prefer: 'rtl' });
  assert.equal(p.graph.nodeList()[0]!.opType, 'MVAU_rtl');
});

test('a hook that throws is named with plugin, hook, component and node; the original error is kept', async () => {
  const h = await harness();
  // PE = 3 does not divide MH = 4: the kernel's cycles hook throws a BrainsmithError of its own code.
  const m = mvauModel('INT4', 'INT4', 'MVAU_hls', 'finn.custom_op.fpgadataflow.hls', []);
  const n = m.graph.nodeList()[0]!;
  n.proto.attribute = n.proto.attribute!.map((a) => (a.name === 'PE' ? int('PE', 3) : a));
  const err = await estimateModel(m, h.reg.hw, { target: resolveTarget({}), clockNs: 10 }).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof BrainsmithError);
  assert.equal(err.code, 'E_FOLDING');
  assert.match(err.message, /^plugin brainsmith, cycles\(\) of kernel brainsmith:MVAU at node 'MVAU_0': node 'MVAU_0': PE=3 does not divide MH=4/);
  assert.ok(err.cause instanceof BrainsmithError);
  // A plain Error thrown by plugin code becomes E_PLUGIN_HOOK, with the plugin's file.
  const bad = await harness({
    'bad-kernel.ts': `import { defineKernel } from 'brainsmith';
export default defineKernel({ name: 'Bad', domain: 'finn.custom_op.fpgadataflow', cycles() { throw new TypeError('no cycles today'); } });\n`,
  });
  const bm = mvauModel('INT4', 'INT4', 'Bad', 'finn.custom_op.fpgadataflow');
  const e2 = await estimateModel(bm, bad.reg.hw, { target: resolveTarget({}), clockNs: 10 }).then(() => undefined, (e: unknown) => e);
  assert.ok(e2 instanceof BrainsmithError);
  assert.equal(e2.code, 'E_PLUGIN_HOOK');
  assert.match(e2.message, /cycles\(\) of kernel project:Bad at node 'MVAU_0' threw: no cycles today/);
  assert.match(e2.file ?? '', /bad-kernel\.ts$/);
  assert.ok(e2.cause instanceof TypeError);
});

test('InferShapes and InferDataTypes ask the kernel for a hardware node\'s output shape and datatype', async () => {
  const h = await harness();
  const m = mvauModel('INT4', 'INT4', 'MVAU_hls', 'finn.custom_op.fpgadataflow.hls', [str('accDataType', 'INT12')]);
  const n = m.graph.nodeList()[0]!;
  n.proto.attribute = n.proto.attribute!.map((a) => (a.name === 'outputDataType' ? str('outputDataType', 'INT12') : a));
  assert.equal(m.graph.getShape('y'), undefined);
  assert.equal((await applyTransform(h.reg, 'InferShapes', m)).changed, true);
  assert.deepEqual(m.graph.getShape('y'), [1, 4]);
  await applyTransform(h.reg, 'InferDataTypes', m);
  assert.equal(m.graph.getDatatypeName('y'), 'INT12');
});

test('plugins info lists every hook a kernel and a backend have', async () => {
  const h = await harness();
  const k = h.reg.kernels.get('MVAU');
  assert.deepEqual(k.meta.hooks, ['execute', 'inferShapes', 'inferDatatypes', 'parallelism', 'cycles', 'streamWidths', 'opAndParamCounts', 'streamBehaviour']);
  const b = h.reg.backends.forKernel('ConvolutionInputGenerator', { language: 'rtl' })[0]!;
  assert.deepEqual(b.meta.hooks, ['parallelism', 'cycles', 'streamBehaviour', 'isViable', 'isDefault', 'estimate', 'synthEstimate', 'generate']);
});

test('generate(): a backend\'s files and the library sources it ships, found beside its plugin file', async () => {
  const dir = tempDir('bs-gen-');
  mkdirSync(path.join(dir, 'proj'));
  mkdirSync(path.join(dir, 'home'));
  const reg = await openRegistry({ projectDir: path.join(dir, 'proj'), home: path.join(dir, 'home'), pluginPath: path.join(repoRoot, 'test', 'fixtures', 'plugins', 'abs-kernel') });
  const m = new Model({
    ir_version: 8, opset_import: [{ domain: '', version: 13 }],
    graph: {
      name: 'g',
      node: [makeNode({ opType: 'AbsValue_rtl', domain: 'finn.custom_op.fpgadataflow.rtl', name: 'AbsValue_rtl_0', inputs: ['x'], outputs: ['y'], attributes: [int('NumChannels', 4), int('PE', 2), ints('numInputVectors', [1]), str('inputDataType', 'INT3'), str('outputDataType', 'UINT3')] })],
      input: [makeValueInfo('x', ElemType.FLOAT, [1, 4])], output: [makeValueInfo('y', ElemType.FLOAT, [1, 4])],
    },
  } as unknown as ModelProto);
  const bn = await reg.hw.bind(m, m.graph.nodeList()[0]!);
  const g = await bn.generate();
  assert.ok(g);
  assert.equal(g.module, 'AbsValue_rtl_0');
  assert.match(g.files['AbsValue_rtl_0.v']!, /module AbsValue_rtl_0 \(/);
  assert.match(g.files['AbsValue_rtl_0.v']!, /in0_V_TDATA, input in0_V_TVALID, output in0_V_TREADY/);
  assert.deepEqual(g.libraries, ['hdl/abs_lane.v']);
  const lib = bn.libraryPath('hdl/abs_lane.v');
  assert.ok(existsSync(lib), lib);
  assert.throws(() => bn.libraryPath('../../etc/passwd'), /outside its own folder/);
});

test('parsed kernel attributes are reused by content: each view has its own copy, a changed attribute is parsed anew', async () => {
  const h = await harness();
  const m = mvauModel('INT2', 'INT2');
  const node = m.graph.nodeList()[0]!;
  const first = await h.reg.hw.bind(m, node);
  const attrs = first.view.attrs as Record<string, unknown>;
  assert.deepEqual(attrs.numInputVectors, [1]);
  // A hook that edits what it was given must not change what the next caller sees.
  (attrs.numInputVectors as number[]).push(7);
  attrs.MW = 99;
  const second = await h.reg.hw.bind(m, node);
  assert.deepEqual(second.view.attrs.numInputVectors, [1]);
  assert.equal(second.view.attrs.MW, 8);
  assert.notEqual(second.view.attrs, first.view.attrs);
  // The same node with another attribute value: its own parse, and a misfit still fails.
  const setMW = (a: AttributeProto): void => {
    node.proto.attribute = node.proto.attribute!.map((b) => (b.name === 'MW' ? a : b));
  };
  setMW(int('MW', 16));
  assert.equal((await h.reg.hw.bind(m, node)).view.attrs.MW, 16);
  setMW(str('MW', 'wide'));
  await assert.rejects(h.reg.hw.bind(m, node), (e: unknown) => e instanceof BrainsmithError && e.code === 'E_KERNEL_ATTRIBUTES');
});
