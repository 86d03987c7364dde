import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, timeRuns, type Report } from './harness.js';
import { Graph } from '../src/ir/graph.js';
import { verifyGraph } from '../src/ir/verify.js';
import { loadModel } from '../src/onnx/load.js';
import type { GraphProto } from '../src/onnx/proto-types.js';
import { chainGraphProto, generateGraphProto, seededRandom, shuffle } from '../test/ir/support.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const densenet = path.resolve(root, '..', 'shared', 'fixtures', 'onnx-backend', 'light', 'light_densenet121.onnx');
const CHAIN = 20_000;
const SAMPLES = 21;
/** Untimed runs first, so the figures are for JIT-compiled code. */
const WARMUP = 5;

function record(report: Report, name: string, samples: number[], note?: string): void {
  report({ suite: 'ir', name, median: median(samples), unit: 'ms', samples, note });
}

/** Removes a node and puts it back in place, `ops` times, on a chain graph. */
function removeInsert(g: Graph, ops: number): void {
  const nodes = g.nodeList();
  const rng = seededRandom(1);
  for (let op = 0; op < ops; op++) {
    const n = nodes[Math.floor(rng() * nodes.length)]!;
    const next = n.next;
    const prev = n.prev;
    g.removeNode(n);
    if (next) g.insertBefore(next, n);
    else if (prev) g.insertAfter(prev, n);
    else g.addNode(n);
  }
}

export async function run(report: Report): Promise<void> {
  const chain = chainGraphProto(CHAIN);
  record(report, `build IR: ${CHAIN}-node chain`, await timeRuns(() => Graph.fromProto(chain), SAMPLES, WARMUP));
  const chainGraph = Graph.fromProto(chain);
  record(report, `verify: ${CHAIN}-node chain`, await timeRuns(() => verifyGraph(chainGraph), SAMPLES, WARMUP));
  record(report, `${CHAIN} remove+insert on a ${CHAIN}-node chain`, await timeRuns(() => removeInsert(chainGraph, CHAIN), SAMPLES, WARMUP));

  const rng = seededRandom(2);
  const dag = generateGraphProto(rng, CHAIN);
  shuffle(rng, dag.node!);
  const shuffled: GraphProto = dag;
  record(report, `topological sort: shuffled ${CHAIN}-node DAG`, await timeRuns(() => Graph.fromProto(shuffled).topologicalSort(), SAMPLES, WARMUP),
    'includes building the IR');

  if (!existsSync(densenet)) {
    process.stdout.write('ir: ../shared light_densenet121.onnx absent; skipping the densenet figures\n');
    return;
  }
  const model = await loadModel(densenet);
  const proto = model.proto.graph!;
  const nodes = proto.node?.length ?? 0;
  record(report, `build IR: light densenet121 (${nodes} nodes)`, await timeRuns(() => Graph.fromProto(proto), SAMPLES, WARMUP));
  const g = Graph.fromProto(proto);
  record(report, `verify: light densenet121 (${nodes} nodes)`, await timeRuns(() => verifyGraph(g), SAMPLES, WARMUP));
}
