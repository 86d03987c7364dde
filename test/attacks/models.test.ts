/**
 * Attacks through malformed models (issue 14, items 17, 18): tensors whose stored bytes do not match their
 * dims are refused on load, naming the tensor, by inspect, convert and compile alike; a graph with two
 * producers of one tensor is not executed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeModelProto, encodeModelProto } from '../../src/onnx/codec.js';
import { Long } from '../../src/onnx/int64.js';
import type { ModelProto, TensorProto } from '../../src/onnx/proto-types.js';
import { attackProject, assertAttack, type AttackProject } from './support.js';

/** Writes bad.onnx: the project's model with `edit` applied to its proto. */
function badModel(p: AttackProject, edit: (m: ModelProto) => void, name = 'bad.onnx'): string {
  const m = decodeModelProto(readFileSync(p.model));
  edit(m);
  writeFileSync(path.join(p.dir, name), encodeModelProto(m));
  return name;
}

/** The first FLOAT initializer with raw_data and at least 4 elements. */
function firstFloat(m: ModelProto): TensorProto {
  const t = m.graph!.initializer!.find((x) => x.data_type === 1 && (x.raw_data?.length ?? 0) >= 16);
  assert.ok(t, 'the fixture has a float initializer');
  return t;
}

function refusedEverywhere(p: AttackProject, file: string, re: RegExp, extra: string[]): void {
  for (const args of [['inspect', file], ['convert', file, 'conv.onnx'], ['compile', file, '-o', 'out']]) {
    assertAttack(p, p.cli(args), 1, re, extra);
  }
}

test('17a raw_data shorter than the dims say (6 bytes for 4 floats)', () => {
  const p = attackProject();
  let name = '';
  const f = badModel(p, (m) => {
    const t = firstFloat(m);
    name = t.name!;
    t.dims = [4];
    t.raw_data = new Uint8Array(6);
  });
  refusedEverywhere(p, f, new RegExp(`bad\\.onnx: tensor '${name}': raw_data holds 6 bytes, but 4 FLOAT elements \\(dims \\[4\\]\\) need 16`), [f]);
});

test('17b a negative dim', () => {
  const p = attackProject();
  const f = badModel(p, (m) => {
    firstFloat(m).dims = [-4];
  });
  refusedEverywhere(p, f, /bad\.onnx: tensor '.*': dimension -4 is negative/, [f]);
});

test('17c a 2^62 dim', () => {
  const p = attackProject();
  const f = badModel(p, (m) => {
    firstFloat(m).dims = [Long.fromString('4611686018427387904')];
  });
  refusedEverywhere(p, f, /bad\.onnx: tensor '.*': its dims \[4611686018427387904\] hold more than 2\^32 elements/, [f]);
});

test('17d external data shorter than the dims need', () => {
  const p = attackProject();
  writeFileSync(path.join(p.dir, 'w.bin'), new Uint8Array(8));
  const f = badModel(p, (m) => {
    const t = firstFloat(m);
    delete t.raw_data;
    t.dims = [16];
    t.data_location = 1;
    t.external_data = [{ key: 'location', value: 'w.bin' }, { key: 'offset', value: '0' }, { key: 'length', value: '8' }];
  });
  refusedEverywhere(p, f, /bad\.onnx: tensor '.*': external data holds 8 bytes, but 16 FLOAT elements \(dims \[16\]\) need 64/, [f, 'w.bin']);
});

test('18 exec refuses a model in which two nodes produce the same tensor', () => {
  const p = attackProject();
  const f = badModel(p, (m) => {
    const nodes = m.graph!.node!;
    nodes[1]!.output = [nodes[0]!.output![0]!];
  });
  const r = p.cli(['exec', f, '--input', 'x.npy']);
  assertAttack(p, r, 1, /bad\.onnx: the graph is invalid: node .* output 'flat' is produced also by/, [f]);
});
