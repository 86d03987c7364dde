import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { BrainsmithError } from '../../src/errors.js';
import { encodeModelProto } from '../../src/onnx/codec.js';
import { loadModel } from '../../src/onnx/load.js';
import { hasShared, shared } from '../helpers/paths.js';
import { floatDataTensor, modelWithInitializers, rawFloatTensor } from './synthetic.js';
import { seededRandom } from '../../src/util/prng.js';


type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const randomBytes = (r: Rand, n: number) => Uint8Array.from({ length: n }, () => int(r, 256));

/** Varints that stress a decoder: lengths far beyond the data, the 32/64-bit maxima, an over-long run. */
const EVIL_VARINTS = [
  [0xff, 0xff, 0xff, 0xff, 0x0f],
  [0xff, 0xff, 0xff, 0xff, 0x07],
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
  [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
  [0x80, 0x80, 0x80, 0x80, 0x08],
];

const mutations: Record<string, (b: Uint8Array, r: Rand) => Uint8Array> = {
  bitflip(b, r) {
    const out = b.slice();
    for (let k = 1 + int(r, 8); k > 0; k--) {
      const i = int(r, out.length);
      out[i]! ^= 1 << int(r, 8);
    }
    return out;
  },
  truncate: (b, r) => b.slice(0, int(r, b.length)),
  insert(b, r) {
    const i = int(r, b.length + 1);
    return concat(b.subarray(0, i), randomBytes(r, 1 + int(r, 16)), b.subarray(i));
  },
  delete(b, r) {
    const i = int(r, b.length);
    return concat(b.subarray(0, i), b.subarray(Math.min(b.length, i + 1 + int(r, 16))));
  },
  /** Replace the length prefix after some length-delimited tag (wire type 2) with a huge or broken varint. */
  varint(b, r) {
    const tags: number[] = [];
    for (let i = 0; i + 1 < b.length; i++) if ((b[i]! & 7) === 2 && b[i]! < 0x80) tags.push(i);
    const at = tags.length ? tags[int(r, tags.length)]! + 1 : int(r, b.length);
    let end = at;
    while (end < b.length && b[end]! & 0x80) end++;
    const evil = Uint8Array.from(EVIL_VARINTS[int(r, EVIL_VARINTS.length)]!);
    return concat(b.subarray(0, at), evil, b.subarray(Math.min(b.length, end + 1)));
  },
  duplicate(b, r) {
    const i = int(r, b.length), n = 1 + int(r, 64), j = int(r, b.length + 1);
    return concat(b.subarray(0, j), b.subarray(i, i + n), b.subarray(j));
  },
};

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

function corpus(): Array<[string, Uint8Array]> {
  const out: Array<[string, Uint8Array]> = [
    ['synthetic', encodeModelProto(modelWithInitializers([rawFloatTensor('w', 64), floatDataTensor('f', 32)]))],
  ];
  if (hasShared) {
    for (const rel of [
      ['onnx-new-ir', 'types_zoo.onnx'],
      ['onnx-new-ir', 'metadata_zoo.onnx'],
      ['onnx-new-ir', 'fn_default_attr.onnx'],
      ['onnx-backend', 'node', 'test_if', 'model.onnx'],
      ['onnx-backend', 'node', 'test_loop11', 'model.onnx'],
      ['onnx-backend', 'light', 'light_squeezenet.onnx'],
      ['qonnx-zoo', 'TFC_2W2A.onnx'],
    ]) {
      const file = shared(...rel);
      if (fs.existsSync(file)) out.push([rel.join('/'), fs.readFileSync(file)]);
    }
  }
  return out;
}

const CASES = 1500;

test(`fuzz: ${CASES} mutated models either load or throw BrainsmithError`, { timeout: 120_000 }, async (t) => {
  const seed = Number(process.env['BRAINSMITH_FUZZ_SEED'] ?? 0x5eed1e55);
  console.log(`fuzz seed ${seed} (replay with BRAINSMITH_FUZZ_SEED=${seed})`);
  t.diagnostic(`seed ${seed}`);
  const r = seededRandom(seed);
  const models = corpus();
  const names = Object.keys(mutations);
  const outcomes = new Map<string, number>();
  let slowest = 0;
  for (let k = 0; k < CASES; k++) {
    const [modelName, original] = models[k % models.length]!;
    const how = names[int(r, names.length)]!;
    let bytes = mutations[how]!(original, r);
    if (int(r, 4) === 0) bytes = mutations[names[int(r, names.length)]!]!(bytes, r); // sometimes two at once
    const label = `case ${k} (${how} on ${modelName}, seed ${seed})`;
    const t0 = performance.now();
    let outcome = 'loaded';
    try {
      const m = await loadModel(bytes, { name: 'fuzz' });
      encodeModelProto(m.proto); // whatever decoded must also encode
    } catch (e) {
      assert.ok(e instanceof BrainsmithError, `${label}: threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      assert.ok(e.message.length > 0 && !e.message.includes('\n'), `${label}: message ${e.message}`);
      outcome = e.code;
    }
    const ms = performance.now() - t0;
    slowest = Math.max(slowest, ms);
    assert.ok(ms < 2000, `${label}: took ${ms.toFixed(0)} ms`);
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  t.diagnostic(`outcomes ${JSON.stringify(Object.fromEntries(outcomes))}; slowest case ${slowest.toFixed(1)} ms`);
  assert.ok((outcomes.get('loaded') ?? 0) < CASES, 'mutations must break some models');
});
