import { fork, type ChildProcess } from 'node:child_process';
import { BrainsmithError } from '../errors.js';
import type { Model } from '../ir/model.js';
import { describeNode, type Node } from '../ir/node.js';
import { encodeModelProto } from '../onnx/codec.js';
import type { ModelProto, ValueInfoProto } from '../onnx/proto-types.js';
import { ElemType, elemTypeName } from '../tensor/element-type.js';
import { decodeFloatArray, encodeFloatArray } from '../tensor/float-formats.js';
import type { TensorValue } from '../tensor/tensor-value.js';
import type { WireTensor, WorkerReply, WorkerRequest } from './ort-protocol.js';

/** Highest default-domain opset onnxruntime-node 1.30 loads. */
export const ORT_MAX_OPSET = 26;

const ORT_TYPES: ReadonlyMap<number, string> = new Map([
  [ElemType.FLOAT, 'float32'], [ElemType.DOUBLE, 'float64'], [ElemType.FLOAT16, 'float16'],
  [ElemType.INT8, 'int8'], [ElemType.UINT8, 'uint8'], [ElemType.INT16, 'int16'], [ElemType.UINT16, 'uint16'],
  [ElemType.INT32, 'int32'], [ElemType.UINT32, 'uint32'], [ElemType.INT64, 'int64'], [ElemType.UINT64, 'uint64'],
  [ElemType.BOOL, 'bool'], [ElemType.STRING, 'string'],
]);
const FROM_ORT: ReadonlyMap<string, number> = new Map([...ORT_TYPES].map(([k, v]) => [v, k]));

function toWire(node: Node, v: TensorValue): WireTensor {
  const type = ORT_TYPES.get(v.elemType);
  if (type === undefined) {
    throw new BrainsmithError('E_EXEC_FALLBACK', `node ${describeNode(node)}: ${elemTypeName(v.elemType)} inputs cannot be passed to onnxruntime`);
  }
  const data = v.elemType === ElemType.FLOAT16 ? encodeFloatArray(ElemType.FLOAT16, v.data as Float32Array) : v.data;
  return { type, dims: v.dims.slice(), data: data as WireTensor['data'] };
}

function fromWire(node: Node, t: WireTensor): TensorValue {
  const elemType = FROM_ORT.get(t.type);
  if (elemType === undefined) throw new BrainsmithError('E_EXEC_FALLBACK', `node ${describeNode(node)}: onnxruntime returned a ${t.type} tensor, which is not supported`);
  let data = t.data as TensorValue['data'];
  if (elemType === ElemType.FLOAT16) {
    const bits = t.data instanceof Uint16Array ? t.data : new Uint16Array((t.data as ArrayBufferView).buffer, (t.data as ArrayBufferView).byteOffset, t.dims.reduce((a, b) => a * b, 1));
    data = decodeFloatArray(ElemType.FLOAT16, bits);
  } else if (elemType === ElemType.BOOL && !(data instanceof Uint8Array)) {
    data = Uint8Array.from(data as ArrayLike<number>, (b) => (b ? 1 : 0));
  }
  return { elemType, dims: t.dims.slice(), data };
}

function valueInfo(name: string, v: TensorValue): ValueInfoProto {
  return { name, type: { tensor_type: { elem_type: v.elemType, shape: { dim: v.dims.map((d) => ({ dim_value: d })) } } } };
}

/**
 * Runs nodes the native ops do not cover through onnxruntime-node in a child process, one single-node model
 * per distinct node and input signature (sessions are cached by the child). A crash of the child becomes a
 * BrainsmithError naming the node; the next call starts a fresh child.
 */
export class OrtFallback {
  #child: ChildProcess | undefined;
  #nextId = 1;
  #pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void; node: Node }>();
  #sentKeys = new Set<string>();
  #keys = new Map<Node, Map<string, string>>();
  #exitReason: string | undefined;

  #start(): ChildProcess {
    const url = new URL('./ort-worker.js', import.meta.url);
    const child = fork(url, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-2000); });
    child.on('exit', (code, signal) => {
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      // Keep the line that says what went wrong, not the native stack trace below it.
      const lastLine = stderr.split('\n').find((l) => /what\(\)|error|exception/i.test(l))?.trim() ?? '';
      this.#exitReason = `${how}${lastLine ? ` (${lastLine.slice(0, 300)})` : ''}`;
      for (const [, p] of this.#pending) {
        p.reject(new BrainsmithError('E_EXEC_FALLBACK_CRASH', `onnxruntime ${this.#exitReason} while running node ${describeNode(p.node)} (${p.node.opType})`, { kind: 'work' }));
      }
      this.#pending.clear();
      if (this.#child === child) {
        this.#child = undefined;
        this.#sentKeys.clear();
      }
    });
    child.on('error', () => { /* reported through 'exit' */ });
    child.on('message', (reply: WorkerReply) => {
      const p = this.#pending.get(reply.id);
      if (p === undefined) return;
      this.#pending.delete(reply.id);
      p.resolve(reply);
    });
    this.#child = child;
    return child;
  }

  #sessionKey(node: Node, args: readonly (TensorValue | undefined)[]): string {
    const sig = args.map((a) => (a === undefined ? '-' : `${a.elemType}:${a.dims.join('x')}`)).join('|');
    let perNode = this.#keys.get(node);
    if (perNode === undefined) this.#keys.set(node, (perNode = new Map()));
    let key = perNode.get(sig);
    if (key === undefined) perNode.set(sig, (key = `k${this.#keys.size}_${perNode.size}`));
    return key;
  }

  async runNode(model: Model, node: Node, args: readonly (TensorValue | undefined)[]): Promise<(TensorValue | undefined)[]> {
    const defaultOpset = model.opsets.get('') ?? model.opsets.get('ai.onnx') ?? 0;
    if (defaultOpset > ORT_MAX_OPSET) {
      throw new BrainsmithError('E_EXEC_FALLBACK', `node ${describeNode(node)}: op ${node.opType} needs onnxruntime, but the model imports ONNX opset ${defaultOpset} and onnxruntime-node 1.30 loads opsets up to ${ORT_MAX_OPSET}`);
    }
    const key = this.#sessionKey(node, args);
    const feeds: Record<string, WireTensor> = {};
    const inputs: ValueInfoProto[] = [];
    node.inputs.forEach((name, i) => {
      const v = args[i];
      if (name === '' || v === undefined || feeds[name] !== undefined) return;
      feeds[name] = toWire(node, v);
      inputs.push(valueInfo(name, v));
    });
    const child = this.#child ?? this.#start();
    const req: WorkerRequest = { id: this.#nextId++, key, feeds };
    if (!this.#sentKeys.has(key)) {
      req.model = encodeModelProto(this.#singleNodeModel(model, node, inputs));
      this.#sentKeys.add(key);
    }
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      this.#pending.set(req.id, { resolve, reject, node });
      child.send(req, (err) => {
        if (err) {
          this.#pending.delete(req.id);
          reject(new BrainsmithError('E_EXEC_FALLBACK_CRASH', `could not reach the onnxruntime process for node ${describeNode(node)}: ${err.message}`, { kind: 'work' }));
        }
      });
    });
    if (reply.error !== undefined) {
      throw new BrainsmithError('E_EXEC_FALLBACK', `node ${describeNode(node)} (${node.opType}) failed in onnxruntime: ${reply.error.split('\n')[0]}`);
    }
    return node.outputs.map((name) => (name === '' || reply.outputs[name] === undefined ? undefined : fromWire(node, reply.outputs[name]!)));
  }

  #singleNodeModel(model: Model, node: Node, inputs: ValueInfoProto[]): ModelProto {
    const graph = model.graph;
    const outputs: ValueInfoProto[] = node.outputs.filter((o) => o !== '').map((name) => {
      const t = graph.getElemType(name);
      return t === undefined || t === 0 ? { name } : { name, type: { tensor_type: { elem_type: t } } };
    });
    const proto: ModelProto = {
      ir_version: model.proto.ir_version ?? 8,
      opset_import: model.proto.opset_import ?? [],
      graph: { name: 'fallback', node: [node.proto], input: inputs, output: outputs },
    };
    if (model.proto.functions?.length) proto.functions = model.proto.functions;
    return proto;
  }

  close(): void {
    const child = this.#child;
    if (child !== undefined && child.connected) child.disconnect();
    this.#child = undefined;
  }
}
