import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { executeModel } from '../../src/exec/execute.js';
import { readTensorPb } from '../../src/exec/pb.js';
import { nativeOp } from '../../src/exec/registry.js';
import type { ExecuteOptions } from '../../src/exec/types.js';
import { E_EXEC_UNSUPPORTED } from '../../src/exec/values.js';
import { isBrainsmithError } from '../../src/errors.js';
import { normalizeDomain } from '../../src/ir/domains.js';
import type { Model } from '../../src/ir/model.js';
import { loadModel } from '../../src/onnx/load.js';
import type { TensorValue } from '../../src/tensor/tensor-value.js';
import { elemTypeInfo } from '../../src/tensor/element-type.js';

/** Runs ONNX backend node tests through the executor and compares with their expected outputs. */

export interface CaseResult {
  name: string;
  status: 'pass' | 'fail' | 'excluded' | 'not-native';
  reason?: string;
  ops: string[];
}

export function backendCases(root: string): string[] {
  return readdirSync(root).filter((d) => existsSync(path.join(root, d, 'model.onnx'))).sort();
}

function tensorFiles(dir: string, prefix: string): string[] {
  return readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.pb'))
    .sort((a, b) => Number(a.slice(prefix.length, -3)) - Number(b.slice(prefix.length, -3)))
    .map((f) => path.join(dir, f));
}

/** Why the graph's interface is outside the executor's scope (non-tensor values), or undefined. */
function nonTensorInterface(model: Model): string | undefined {
  const g = model.graph;
  for (const vi of [...g.inputs, ...g.outputs]) {
    if (vi.type && !vi.type.tensor_type) return `'${vi.name}' is not a tensor (sequence, map or optional)`;
  }
  return undefined;
}

export function opsOf(model: Model): string[] {
  return [...new Set(model.graph.nodeList().map((n) => {
    const d = normalizeDomain(n.domain);
    return d === '' ? n.opType : `${d}:${n.opType}`;
  }))];
}

export function allNative(model: Model): boolean {
  return model.graph.nodeList().every((n) => nativeOp(normalizeDomain(n.domain), n.opType) !== undefined);
}

/** Compares one output; returns a description of the first difference or undefined. */
export function compareTensors(got: TensorValue, want: TensorValue, rtol = 1e-3, atol = 1e-5): string | undefined {
  if (got.elemType !== want.elemType) return `element type ${got.elemType}, expected ${want.elemType}`;
  if (got.dims.join(',') !== want.dims.join(',')) return `shape [${got.dims.join(', ')}], expected [${want.dims.join(', ')}]`;
  const exact = !elemTypeInfo(want.elemType).isFloat;
  const g = got.data as ArrayLike<number | bigint | string>;
  const w = want.data as ArrayLike<number | bigint | string>;
  for (let i = 0; i < w.length; i++) {
    const a = g[i]!;
    const b = w[i]!;
    if (exact || typeof b !== 'number') {
      if (a !== b) return `element ${i}: ${String(a)}, expected ${String(b)}`;
      continue;
    }
    const x = a as number;
    if (Number.isNaN(b) && Number.isNaN(x)) continue;
    if (x === b) continue;
    if (!(Math.abs(x - b) <= atol + rtol * Math.abs(b))) return `element ${i}: ${x}, expected ${b}`;
  }
  return undefined;
}

export async function runCase(root: string, name: string, opts: ExecuteOptions & { nativeOnly: boolean }): Promise<CaseResult> {
  const dir = path.join(root, name);
  let model: Model;
  try {
    model = await loadModel(path.join(dir, 'model.onnx'));
  } catch (e) {
    return { name, status: 'excluded', reason: `model does not load: ${(e as Error).message}`, ops: [] };
  }
  const ops = opsOf(model);
  if (opts.nativeOnly && !allNative(model)) return { name, status: 'not-native', ops };
  const nonTensor = nonTensorInterface(model);
  if (nonTensor) return { name, status: 'excluded', reason: nonTensor, ops };
  const data = path.join(dir, 'test_data_set_0');
  if (!existsSync(data)) return { name, status: 'excluded', reason: 'no test data set', ops };
  const inputs = new Map<string, TensorValue>();
  const names = model.graph.inputNames().filter((n) => !model.graph.isInitializer(n));
  tensorFiles(data, 'input_').forEach((f, i) => {
    const t = readTensorPb(f);
    inputs.set(t.name || names[i]!, t.value);
  });
  const expected = tensorFiles(data, 'output_').map((f) => readTensorPb(f));
  try {
    const r = await executeModel(model, inputs, opts);
    const outNames = model.graph.outputNames();
    for (let i = 0; i < expected.length; i++) {
      const oname = expected[i]!.name || outNames[i]!;
      const got = r.outputs.get(oname);
      if (got === undefined) return { name, status: 'fail', reason: `output '${oname}' missing`, ops };
      const diff = compareTensors(got, expected[i]!.value);
      if (diff !== undefined) return { name, status: 'fail', reason: `output '${oname}': ${diff}`, ops };
    }
    return { name, status: 'pass', ops };
  } catch (e) {
    if (isBrainsmithError(e) && e.code === E_EXEC_UNSUPPORTED) return { name, status: 'excluded', reason: e.message, ops };
    return { name, status: 'fail', reason: (e as Error).message, ops };
  }
}
