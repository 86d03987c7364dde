/**
 * Child process that runs single-node models through onnxruntime-node for the executor's fallback. It lives
 * in its own process because onnxruntime aborts the whole process on some inputs (e.g. int4 outputs).
 * Protocol (advanced serialization): requests { id, key, model?, feeds } → replies { id, outputs } | { id, error }.
 */
import type { InferenceSession as Session, Tensor as OrtTensor } from 'onnxruntime-node';
import type { WireTensor, WorkerReply, WorkerRequest } from './ort-protocol.js';

const ort = await import('onnxruntime-node');
const sessions = new Map<string, Session>();

async function handle(req: WorkerRequest): Promise<WorkerReply> {
  try {
    let session = sessions.get(req.key);
    if (session === undefined) {
      if (req.model === undefined) throw new Error('internal: no model for a new session');
      session = await ort.InferenceSession.create(req.model, { graphOptimizationLevel: 'disabled', logSeverityLevel: 3 });
      sessions.set(req.key, session);
    }
    const feeds: Record<string, OrtTensor> = {};
    for (const [name, t] of Object.entries(req.feeds)) feeds[name] = new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims);
    const result = await session.run(feeds);
    const outputs: Record<string, WireTensor> = {};
    for (const [name, t] of Object.entries(result)) {
      outputs[name] = { type: t.type, dims: [...t.dims], data: t.data as WireTensor['data'] };
    }
    return { id: req.id, outputs };
  } catch (e) {
    return { id: req.id, error: e instanceof Error ? e.message : String(e) };
  }
}

process.on('message', (msg: WorkerRequest) => {
  void handle(msg).then((reply) => process.send!(reply));
});
process.on('disconnect', () => process.exit(0));
