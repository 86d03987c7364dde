import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getInt, loadModel, type Model } from '../../../src/index.js';
import { applyTransform } from '../../../src/host.js';
import { checkLegalFolding, foldingConfigOf, formatFoldingConfig, parseFoldingConfig, applyFoldingConfig, readFoldingConfig, targetCyclesFor } from '../../../src/rewrite.js';
import { resolveTarget } from '../../../src/kernel.js';
import { estimateModel } from '../../../src/host.js';
import { shared, skipNoShared } from '../../helpers/paths.js';
import { harness, messages } from './support.js';
import { tempDir } from '../../helpers/tmp.js';

const cybsec = (): Promise<Model> => loadModel(shared('finn', 'cybsec_PE_SIMD.onnx'));
const tmp = (): string => tempDir('bs-fold-');
const mvauNames = ['MVAU_hls_0', 'MVAU_hls_1', 'MVAU_hls_2', 'MVAU_hls_3'];

function folding(m: Model): Array<[number, number]> {
  return m.graph.nodeList().map((n) => [getInt(n, 'PE'), getInt(n, 'SIMD')]);
}

test('ApplyFoldingConfig on cybsec_PE_SIMD: per-node PE/SIMD, Defaults by op type, estimates follow', { skip: skipNoShared }, async () => {
  const h = await harness();
  const m = await cybsec();
  const file = path.join(tmp(), 'fold.json');
  writeFileSync(file, JSON.stringify({
    Defaults: { ram_style: ['distributed', ['MVAU_hls']], resType: ['lut', 'all'] },
    MVAU_hls_0: { PE: 16, SIMD: 40 },
    MVAU_hls_1: { PE: 2, SIMD: 32 },
    MVAU_hls_2: { PE: 2, SIMD: 32, ram_style: 'block' },
  }));
  const r = await applyTransform(h.reg, 'ApplyFoldingConfig', m, { path: file });
  assert.equal(r.changed, true);
  assert.deepEqual(folding(m), [[16, 40], [2, 32], [2, 32], [1, 1]]);
  const est = await estimateModel(m, h.reg.hw, { target: resolveTarget({ board: 'Pynq-Z1' }), clockNs: 10 });
  assert.deepEqual(est.cycles, { MVAU_hls_0: 60, MVAU_hls_1: 64, MVAU_hls_2: 64, MVAU_hls_3: 64 });
  const ramStyles = m.graph.nodeList().map((n) => new TextDecoder().decode(n.attributes.find((a) => a.name === 'ram_style')!.s));
  assert.deepEqual(ramStyles, ['distributed', 'distributed', 'block', 'distributed']);
  assert.deepEqual(messages(h, 40), []);
  assert.ok(messages(h, 20).some((l) => l.includes('no entry for: MVAU_hls_3')), 'MVAU_hls_3 listed at debug level');
  // Applying again changes nothing.
  assert.equal((await applyTransform(h.reg, 'ApplyFoldingConfig', m, { path: file })).changed, false);
});

test('ApplyFoldingConfig warns by name about an entry that matches no node; a lab config applies to cybsec\'s MVAU names', { skip: skipNoShared }, async () => {
  const h = await harness();
  const m = await cybsec();
  const file = path.join(tmp(), 'fold.json');
  writeFileSync(file, JSON.stringify({ Defaults: {}, MVAU_hls_0: { PE: 4, SIMD: 5 }, MVAU_hls_7: { PE: 2 } }));
  await applyTransform(h.reg, 'ApplyFoldingConfig', m, { path: file });
  const warns = messages(h, 40);
  assert.equal(warns.length, 1);
  assert.match(warns[0]!, /entry 'MVAU_hls_7' matches no node/);
  assert.deepEqual(folding(m)[0], [4, 5]);
});

test('ApplyFoldingConfig rejects an illegal PE naming the node, and a malformed config naming the file', { skip: skipNoShared }, async () => {
  const h = await harness();
  const m = await cybsec();
  const dir = tmp();
  const file = path.join(dir, 'bad.json');
  writeFileSync(file, JSON.stringify({ MVAU_hls_1: { PE: 5 } }));
  await assert.rejects(applyTransform(h.reg, 'ApplyFoldingConfig', m, { path: file }), /node 'MVAU_hls_1': PE=5 does not divide MH=64/);
  writeFileSync(file, JSON.stringify({ Defaults: { PE: [2] } }));
  await assert.rejects(applyTransform(h.reg, 'ApplyFoldingConfig', await cybsec(), { path: file }), /bad\.json: Defaults\.PE must be \[value/);
  writeFileSync(file, '{ nope');
  assert.throws(() => readFoldingConfig(file), /bad\.json is not valid JSON/);
});

test('SetFolding on cybsec: legal divisors, target met, auto_folding_config.json in FINN format that round-trips', { skip: skipNoShared }, async () => {
  const h = await harness();
  const m = await cybsec();
  const out = path.join(tmp(), 'report', 'auto_folding_config.json');
  const r = await applyTransform(h.reg, 'SetFolding', m, { target_fps: 1e6, clock_ns: 10, mvau_wwidth_max: 80, output: out });
  assert.equal(r.changed, true);
  await checkLegalFolding(m, h.reg.hw);
  const est = await estimateModel(m, h.reg.hw, { target: resolveTarget({}), clockNs: 10 });
  for (const n of mvauNames) assert.ok(est.cycles[n]! < targetCyclesFor(1e6, 10), `${n}: ${est.cycles[n]} cycles`);
  const json = JSON.parse(readFileSync(out, 'utf8')) as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(json), ['Defaults', ...mvauNames]);
  assert.deepEqual(json.Defaults, {});
  for (const [i, n] of mvauNames.entries()) {
    assert.deepEqual([json[n]!.PE, json[n]!.SIMD], folding(m)[i]);
    assert.equal(json[n]!.mem_mode, 'internal_decoupled');
  }
  // Round trip: the written config applied to a fresh model gives the same folding and the same JSON.
  const fresh = await cybsec();
  await applyFoldingConfig(fresh, readFoldingConfig(out), h.reg.hw);
  assert.deepEqual(folding(fresh), folding(m));
  assert.equal(formatFoldingConfig(await foldingConfigOf(fresh, h.reg.hw)), readFileSync(out, 'utf8'));
});

test('SetFolding is skipped when a folding config is given (it overrides the target) or without a target', { skip: skipNoShared }, async () => {
  const h = await harness();
  const m = await cybsec();
  assert.equal((await applyTransform(h.reg, 'SetFolding', m, { target_fps: 1e6, folding_config: 'x.json' })).changed, false);
  assert.equal((await applyTransform(h.reg, 'SetFolding', m, {})).changed, false);
  assert.deepEqual(folding(m), [[1, 1], [1, 1], [1, 1], [1, 1]]);
  assert.ok(messages(h, 30).some((l) => /SetFolding skipped: folding config x\.json overrides the target/.test(l)));
});

test('folding config parsing: Defaults pairs, op-type lists, "all" alone', () => {
  const c = parseFoldingConfig({ Defaults: { SIMD: [4, ['MVAU_hls'], 2, ['Thresholding_rtl']] }, MVAU_hls_0: { PE: 2, ram_style: 'block' } });
  assert.deepEqual(c.defaults.SIMD, [{ value: 4, opTypes: ['MVAU_hls'] }, { value: 2, opTypes: ['Thresholding_rtl'] }]);
  assert.deepEqual(c.nodes, { MVAU_hls_0: { PE: 2, ram_style: 'block' } });
  assert.throws(() => parseFoldingConfig({ Defaults: { PE: [2, 'all', 4, 'all'] } }, 'f.json'), /"all" cannot be combined/);
  assert.throws(() => parseFoldingConfig({ MVAU_hls_0: 3 }, 'f.json'), /f\.json: entry 'MVAU_hls_0' must be an object/);
  assert.throws(() => parseFoldingConfig([], 'f.json'), /expected a JSON object/);
});

test('lab folding configs parse; entries for nodes cybsec lacks are reported', { skip: skipNoShared }, async () => {
  const h = await harness();
  const m = await cybsec();
  const c = readFoldingConfig(shared('labs', 'custom_4_folding_config.json'));
  assert.equal(c.nodes.MVAU_hls_0!.SIMD, 112);
  // MVAU_hls_0 of cybsec has MW 600: SIMD 112 is illegal there.
  await assert.rejects(applyFoldingConfig(m, c, h.reg.hw), /node 'MVAU_hls_0': SIMD=112 does not divide MW=600/);
  const r = await applyFoldingConfig(await cybsec(), c);
  assert.deepEqual(r.unmatched.sort(), ['LabelSelect_hls_0', 'Reshape_rtl_0', 'Thresholding_rtl_0']);
  assert.deepEqual(r.applied, mvauNames);
});
