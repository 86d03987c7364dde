/** Messages between the executor and its onnxruntime child process (see ort-worker.ts). */

export interface WireTensor {
  /** onnxruntime's type name: 'float32', 'int64', 'bool', 'float16', 'string', ... */
  type: string;
  dims: number[];
  data: ArrayBufferView | string[];
}

export interface WorkerRequest {
  id: number;
  /** Identifies a session: the same key reuses the session built from `model` the first time. */
  key: string;
  /** The single-node model (only sent with the first request for a key). */
  model?: Uint8Array;
  feeds: Record<string, WireTensor>;
}

export type WorkerReply =
  | { id: number; outputs: Record<string, WireTensor>; error?: undefined }
  | { id: number; error: string; outputs?: undefined };
