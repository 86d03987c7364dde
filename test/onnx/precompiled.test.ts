import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { shared, skipNoShared } from '../helpers/paths.js';
import { precompiledModuleSource } from '../../src/onnx/precompile-source.js';

const onnxDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'onnx');

/**
 * In a fresh process (the codec keeps its generated functions per process): optionally installs the
 * precompiled table, then decodes and re-encodes every model, printing a digest of each result.
 */
function digests(models: string[], table?: string): string[] {
  const url = (f: string): string => JSON.stringify(pathToFileURL(path.join(onnxDir, f)).href);
  const script = [
    "import { createHash } from 'node:crypto';",
    "import { readFileSync } from 'node:fs';",
    table ? `const { usePrecompiledCodecs } = await import(${url('precompiled.js')}); const t = (await import(${JSON.stringify(pathToFileURL(table).href)})).default; usePrecompiledCodecs(t);` : 'const t = {};',
    `const { decodeModelProto, encodeModelProto } = await import(${url('codec.js')});`,
    `const { onnxType } = await import(${url('schema.js')});`,
    // Which constructor ModelProto got: the table's, or one protobufjs generated.
    "console.log(onnxType('ModelProto').ctor === t['.onnx.ModelProto']?.ctor ? 'precompiled' : 'generated');",
    'for (const f of JSON.parse(readFileSync(0, "utf8"))) {',
    '  const m = decodeModelProto(readFileSync(f));',
    "  console.log(createHash('sha256').update(encodeModelProto(m)).update(JSON.stringify(Object.keys(m.graph ?? {}))).digest('hex'));",
    '}',
  ].join('\n');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { input: JSON.stringify(models), encoding: 'utf8', maxBuffer: 1 << 24 });
  assert.equal(r.status, 0, r.stderr || String(r.error ?? r.signal));
  return r.stdout.trim().split('\n');
}

test('the precompiled codec (the bundled CLI\'s) decodes and encodes every model as the run-time generated one', { skip: skipNoShared }, () => {
  const models = [
    ...(fs.readdirSync(shared('onnx-backend'), { recursive: true }) as string[]).filter((f) => f.endsWith('model.onnx')).map((f) => shared('onnx-backend', f)),
    ...fs.readdirSync(shared('labs')).filter((f) => f.endsWith('.onnx')).map((f) => shared('labs', f)),
  ];
  assert.ok(models.length > 100, `${models.length} models`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-precompiled-'));
  try {
    const table = path.join(dir, 'codecs.mjs');
    fs.writeFileSync(table, precompiledModuleSource());
    const [used, ...withTable] = digests(models, table);
    const [usedNot, ...generated] = digests(models);
    assert.equal(used, 'precompiled');
    assert.equal(usedNot, 'generated');
    assert.equal(withTable.length, models.length);
    assert.deepEqual(withTable, generated);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
