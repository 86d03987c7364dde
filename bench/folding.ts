/** SetFolding on a generated 200-layer MVAU network: the core algorithm alone, and on a model through the kernel plugins. */
import { mkdtempSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median, timeRuns, type Report } from './harness.js';
import { Model, makeNode, makeValueInfo, ElemType, type AttributeProto, type ModelProto } from '../src/index.js';
import { openRegistry } from '../src/host.js';
import { foldModel, setFolding, targetCyclesFor, type FoldableNode } from '../src/rewrite.js';

const LAYERS = 200;
const SAMPLES = 15;
const DIMS = [64, 96, 128, 256, 384, 512, 600, 784, 1024];

function sizes(i: number): [number, number] {
  return [DIMS[i % DIMS.length]!, DIMS[(i * 5 + 3) % DIMS.length]!];
}

function synthetic(): FoldableNode[] {
  return Array.from({ length: LAYERS }, (_, i) => {
    const [MW, MH] = sizes(i);
    return {
      name: `MVAU_hls_${i}`,
      params: [{ name: 'SIMD', size: MW, mode: 'walk', widthBits: 4 }, { name: 'PE', size: MH, mode: 'walk' }],
      values: { SIMD: 1, PE: 1 },
      cycles: (v: Readonly<Record<string, number>>) => (MH / v.PE!) * (MW / v.SIMD!) * 16,
    } satisfies FoldableNode;
  });
}

const int = (name: string, i: number): AttributeProto => ({ name, type: 2, i });
const str = (name: string, s: string): AttributeProto => ({ name, type: 3, s: new TextEncoder().encode(s) });

/** A chain of 200 MVAU_hls nodes (no weights: folding reads only attributes). */
function mvauChain(): Model {
  const nodes = [];
  const infos = [];
  let prev = 'global_in';
  let width = sizes(0)[0];
  for (let i = 0; i < LAYERS; i++) {
    const [, MH] = sizes(i);
    const out = i === LAYERS - 1 ? 'global_out' : `t${i}`;
    nodes.push(makeNode({
      opType: 'MVAU_hls', domain: 'finn.custom_op.fpgadataflow.hls', name: `MVAU_hls_${i}`, inputs: [prev], outputs: [out],
      attributes: [int('MW', width), int('MH', MH), int('PE', 1), int('SIMD', 1), int('noActivation', 1), str('inputDataType', 'INT4'), str('weightDataType', 'INT4'), str('outputDataType', 'INT4'), { name: 'numInputVectors', type: 7, ints: [16] }],
    }));
    if (out !== 'global_out') infos.push(makeValueInfo(out, ElemType.FLOAT, [16, MH]));
    prev = out;
    width = MH;
  }
  return new Model({
    ir_version: 8,
    opset_import: [{ domain: '', version: 13 }],
    graph: { name: 'chain', node: nodes, input: [makeValueInfo('global_in', ElemType.FLOAT, [16, sizes(0)[0]])], output: [makeValueInfo('global_out', ElemType.FLOAT, [16, width])], value_info: infos },
  } as ModelProto);
}

export async function run(report: Report): Promise<void> {
  const target = targetCyclesFor(2e5, 5);
  const nodes = synthetic();
  const core = await timeRuns(() => setFolding(nodes, { targetCycles: target }), SAMPLES, 3);
  report({ suite: 'folding', name: `setFolding core, ${LAYERS} MVAU layers`, median: median(core), unit: 'ms', samples: core });

  const dir = mkdtempSync(path.join(os.tmpdir(), 'bs-bench-fold-'));
  mkdirSync(path.join(dir, 'proj'));
  mkdirSync(path.join(dir, 'home'));
  const reg = await openRegistry({ projectDir: path.join(dir, 'proj'), home: path.join(dir, 'home'), pluginPath: '' });
  const model = await timeRuns(() => foldModel(mvauChain(), reg.hw, { targetCycles: target }), SAMPLES, 3);
  report({ suite: 'folding', name: `SetFolding on a ${LAYERS}-layer model (kernel plugins, attribute parse, write-back)`, median: median(model), unit: 'ms', samples: model, note: 'includes building the model' });
}
