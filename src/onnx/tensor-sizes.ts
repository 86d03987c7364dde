/**
 * A tensor's stored bytes must match its dims: raw_data 6 bytes long for 4 floats, a negative or absurd dim
 * (2^62), or external data shorter than the dims need are refused when the model is loaded, naming the
 * tensor, instead of failing later in some transform that reads it.
 */
import { BrainsmithError } from '../errors.js';
import { elemTypeInfo, elemTypeName, isKnownElemType, rawByteLength } from '../tensor/element-type.js';
import { int64ToBigInt } from './int64.js';
import type { ModelProto, TensorProto } from './proto-types.js';
import { tensorDataByteLength } from './tensor-bytes.js';
import { forEachModelTensor } from './tensor-walk.js';

export const E_TENSOR_SIZE = 'E_TENSOR_SIZE';
/** More elements than any tensor this compiler can hold (a typed array's limit). */
const MAX_ELEMENTS = 2n ** 32n;
const STRING = 8;

/** Returns why `t` is inconsistent, or undefined when its data fits its dims. */
export function tensorSizeProblem(t: TensorProto, baseDir: string | undefined): string | undefined {
  let n = 1n;
  for (const d of t.dims ?? []) {
    const v = int64ToBigInt(d);
    if (v < 0n) return `dimension ${v} is negative`;
    n *= v;
    if (n > MAX_ELEMENTS) return `its dims [${(t.dims ?? []).map((x) => int64ToBigInt(x).toString()).join(', ')}] hold more than 2^32 elements`;
  }
  const dt = t.data_type ?? 0;
  if (dt === STRING || !isKnownElemType(dt) || elemTypeInfo(dt).bits === 0 || t.segment) return undefined;
  const need = rawByteLength(dt, Number(n));
  const external = t.data_location === 1;
  if (external && baseDir === undefined) return undefined;
  const have = tensorDataByteLength(t, baseDir);
  if (have === need) return undefined;
  // Without a length entry an external tensor runs to the end of its file: it may hold more.
  if (external && have > need && !(t.external_data ?? []).some((e) => e.key === 'length')) return undefined;
  const where = external ? 'external data holds' : t.raw_data ? 'raw_data holds' : 'its data fields hold';
  return `${where} ${have} bytes, but ${n} ${elemTypeName(dt)} elements (dims [${(t.dims ?? []).map((x) => int64ToBigInt(x).toString()).join(', ')}]) need ${need}`;
}

export function checkTensorSizes(p: ModelProto, name: string, baseDir: string | undefined, file: string | undefined): void {
  forEachModelTensor(p, (t) => {
    const why = tensorSizeProblem(t, baseDir);
    if (why) throw new BrainsmithError(E_TENSOR_SIZE, `${name}: tensor '${t.name ?? ''}': ${why}`, { file });
  });
}
