import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync, readdirSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { projectFixtures, repoRoot, shared, skipNoShared } from '../helpers/paths.js';
import { loadModel } from '../../src/onnx/load.js';
import { saveModel } from '../../src/onnx/save.js';
import { tempDir } from '../helpers/tmp.js';

const fixture = path.join(projectFixtures, 'tfc-mlp-w2a2.onnx');
const tmp = (): string => tempDir('bs-cli-');

/** An error is one line on stderr that starts with `brainsmith: error:` and carries no stack trace. */
function assertOneLineError(r: ReturnType<typeof runCli>, code: number, mentions: string): void {
  assert.equal(r.code, code, `exit code; stderr: ${r.stderr}`);
  assert.equal(r.errLines.length, 1, `one stderr line, got: ${r.stderr}`);
  assert.match(r.errLines[0]!, /^brainsmith: error: /);
  assert.ok(r.errLines[0]!.includes(mentions), `"${r.errLines[0]}" should mention ${mentions}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

describe('brainsmith --version and --help', () => {
  test('--version prints the package version only', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = runCli([flag]);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, `${pkg.version}\n`);
    }
  });

  test('--help lists the commands and the exit codes', () => {
    const r = runCli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /brainsmith inspect <model>/);
    assert.match(r.stdout, /brainsmith convert <input> <output>/);
    assert.match(r.stdout, /Exit codes: 0 ok, 1 the work failed, 2 usage error/);
  });

  for (const cmd of ['inspect', 'convert']) {
    test(`${cmd} --help shows examples`, () => {
      const r = runCli([cmd, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /Examples:/);
      assert.match(r.stdout, new RegExp(`brainsmith ${cmd} `));
    });
  }

  test('usage errors exit 2 with one line', () => {
    assertOneLineError(runCli(['frobnicate']), 2, 'frobnicate');
    assertOneLineError(runCli(['inspect']), 2, 'brainsmith --help');
    assertOneLineError(runCli(['inspect', fixture, '--frobnicate']), 2, 'frobnicate');
    assertOneLineError(runCli(['inspect', fixture, '--log-level', 'loud']), 2, 'log-level');
  });
});

describe('brainsmith inspect', () => {
  test('text report of the quick-start fixture', () => {
    const r = runCli(['inspect', fixture]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /format qonnx {2}IR 7/);
    assert.match(r.stdout, /global_in {2}FLOAT {2}\[1, 1, 8, 8\]/);
    assert.match(r.stdout, /Quant\s+8/);
    assert.match(r.stdout, /MatMul\s+4/);
    assert.match(r.stdout, /verifier: ok/);
  });

  test('--json prints only JSON on stdout', () => {
    const r = runCli(['inspect', fixture, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout) as Record<string, any>;
    assert.equal(s.format, 'qonnx');
    assert.equal(s.nodeCount, 20);
    assert.deepEqual(s.inputs, [{ name: 'global_in', elemType: 'FLOAT', shape: [1, 1, 8, 8] }]);
    assert.deepEqual(s.opsets, [{ domain: '', version: 11 }, { domain: 'qonnx.custom_op.general', version: 1 }]);
    const quant = s.ops.find((o: { opType: string }) => o.opType === 'Quant');
    assert.deepEqual(quant, { opType: 'Quant', domain: 'qonnx.custom_op.general', normalizedDomain: 'qonnx.custom_op.general', kind: 'qonnx', count: 8 });
    assert.equal(s.initializers.count, 41);
    assert.equal(s.verifier.ok, true);
  });

  test('FINN hardware model: datatypes, layouts and the finn-hw format', { skip: skipNoShared }, () => {
    const r = runCli(['inspect', shared('finn', 'cybsec_PE_SIMD.onnx'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout) as Record<string, any>;
    assert.equal(s.format, 'finn-hw');
    assert.deepEqual(s.inputs[0], { name: 'global_in', elemType: 'FLOAT', shape: [1, 600], datatype: 'BIPOLAR', layout: ['N', 'C'] });
    assert.deepEqual(s.ops.map((o: { opType: string; count: number }) => [o.opType, o.count]), [['MVAU_hls', 4]]);
    assert.equal(s.datatypes.INT2, 4);
  });

  test('legacy FINN and Brevitas domains are recognized', { skip: skipNoShared }, () => {
    const finn = JSON.parse(runCli(['inspect', shared('finn', 'tfc_w1a1', 'model.onnx'), '--json']).stdout) as Record<string, any>;
    assert.equal(finn.format, 'finn');
    const mt = finn.ops.find((o: { opType: string }) => o.opType === 'MultiThreshold');
    assert.equal(mt.normalizedDomain, 'qonnx.custom_op.general');
    const brevitas = JSON.parse(runCli(['inspect', shared('qonnx-zoo', 'TFC_2W2A.onnx'), '--json']).stdout) as Record<string, any>;
    assert.equal(brevitas.format, 'qonnx');
    assert.ok(brevitas.customDomains.includes('onnx.brevitas'));
  });
});

describe('bad input gives one clear line and no output', () => {
  const dir = tmp();
  const truncated = path.join(dir, 'truncated.onnx');
  writeFileSync(truncated, readFileSync(fixture).subarray(0, 3000));
  const text = path.join(dir, 'notes.onnx');
  writeFileSync(text, 'this is not a model\n');
  const empty = path.join(dir, 'empty.onnx');
  writeFileSync(empty, '');

  const cases: [string, string, string][] = [
    ['a missing file', path.join(dir, 'missing.onnx'), 'file not found'],
    ['a directory', dir, 'is a directory'],
    ['a truncated model', truncated, 'truncated'],
    ['a text file', text, 'not an ONNX model'],
    ['an empty file', empty, 'empty.onnx'],
  ];
  for (const [what, file, problem] of cases) {
    test(`inspect: ${what}`, () => {
      const r = runCli(['inspect', file]);
      assertOneLineError(r, 1, problem);
      assert.ok(r.errLines[0]!.includes(path.basename(file)), 'names the file');
    });
    test(`convert: ${what} writes nothing`, () => {
      const outDir = tmp();
      const r = runCli(['convert', file, path.join(outDir, 'out.onnx')]);
      assertOneLineError(r, 1, problem);
      assert.deepEqual(readdirSync(outDir), []);
    });
  }

  test('--json errors are JSON on stdout too', () => {
    const r = runCli(['inspect', truncated, '--json']);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.stdout) as { error: { code: string; file: string } };
    assert.equal(j.error.code, 'E_MODEL_TRUNCATED');
    assert.equal(j.error.file, truncated);
  });

  test('--log-level debug adds the stack trace', () => {
    const r = runCli(['inspect', path.join(dir, 'missing.onnx'), '--log-level', 'debug']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\n\s+at /);
  });

  test('a broken graph: inspect shows the finding and fails; convert refuses it', async () => {
    const model = await loadModel(fixture);
    const g = model.graph;
    g.removeNode(g.findNode('MatMul_1')!); // mm1 now has no producer
    const broken = path.join(dir, 'broken.onnx');
    await saveModel(model, broken);

    const r = runCli(['inspect', broken]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /verifier: 1 error/);
    assert.match(r.stdout, /mm1/);
    assert.equal(r.errLines.length, 1);
    assert.match(r.errLines[0]!, /broken\.onnx: the graph is invalid: .*mm1/);

    const j = runCli(['inspect', broken, '--json']);
    assert.equal(j.code, 1);
    assert.equal((JSON.parse(j.stdout) as { verifier: { ok: boolean } }).verifier.ok, false, 'stdout holds one JSON document');

    const outDir = tmp();
    assertOneLineError(runCli(['convert', broken, path.join(outDir, 'x.onnx')]), 1, 'mm1');
    assert.deepEqual(readdirSync(outDir), []);
    assert.equal(runCli(['convert', broken, path.join(outDir, 'x.onnx'), '--no-verify']).code, 0);
  });

  test('convert into a missing folder creates it', () => {
    const r = runCli(['convert', fixture, path.join(dir, 'nope', 'out.onnx')]);
    assert.equal(r.code, 0, r.stderr);
  });
});

describe('brainsmith convert', () => {
  test('round trip is byte-identical', () => {
    const out = path.join(tmp(), 'copy.onnx');
    const r = runCli(['convert', fixture, out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readFileSync(out), readFileSync(fixture));
    const j = JSON.parse(r.stdout) as { bytes: number; externalData: boolean };
    assert.equal(j.bytes, readFileSync(fixture).length);
    assert.equal(j.externalData, false);
  });

  test('--external-data moves initializers out and the result loads with the same values', async () => {
    const dir = tmp();
    const out = path.join(dir, 'ext.onnx');
    const r = runCli(['convert', fixture, out, '--external-data']);
    assert.equal(r.code, 0, r.stderr);
    const files = readdirSync(dir).sort();
    assert.equal(files.length, 2, `model and data file: ${files.join(', ')}`);
    assert.ok(readFileSync(out).length < readFileSync(fixture).length / 2);
    const back = runCli(['convert', out, path.join(dir, 'inlined.onnx')]);
    assert.equal(back.code, 0, back.stderr);
    assert.deepEqual(readFileSync(path.join(dir, 'inlined.onnx')).length > 0, true);
    const a = await loadModel(fixture);
    const b = await loadModel(path.join(dir, 'inlined.onnx'));
    for (const t of a.graph.initializers()) {
      const u = b.graph.getInitializer(t.name!);
      assert.ok(u, t.name);
      assert.deepEqual(Buffer.from(u.raw_data!), Buffer.from(t.raw_data!), t.name);
    }
  });

  test('a model whose external data escapes its folder is refused, nothing written', async () => {
    const dir = tmp();
    mkdirSync(path.join(dir, 'm'));
    const model = await loadModel(fixture);
    const t = model.graph.getInitializer('w0')!;
    delete t.raw_data;
    t.data_location = 1;
    t.external_data = [{ key: 'location', value: '../secret.bin' }, { key: 'offset', value: '0' }, { key: 'length', value: '8192' }];
    model.graph.markModified();
    const evil = path.join(dir, 'm', 'evil.onnx');
    await saveModel(model, evil).catch(() => undefined);
    if (!existsSync(evil)) {
      // saveModel itself refuses such a model; write the proto directly to get the file a hostile party would.
      const { encodeModelProto } = await import('../../src/onnx/codec.js');
      writeFileSync(evil, encodeModelProto(model.toProto()));
    }
    writeFileSync(path.join(dir, 'secret.bin'), Buffer.alloc(8192, 7));
    const outDir = tmp();
    const r = runCli(['convert', evil, path.join(outDir, 'x.onnx')]);
    assertOneLineError(r, 1, '../secret.bin');
    assert.deepEqual(readdirSync(outDir), []);
    assertOneLineError(runCli(['inspect', evil]), 1, '../secret.bin');
  });
});
