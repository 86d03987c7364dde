import protobuf from 'protobufjs';
import { endianness } from 'node:os';
import { precompiledType } from './precompiled.js';

/**
 * A protobuf encoder for the protobufjs reflection types that sizes the whole message first and then writes
 * it into one buffer of exactly that size. protobufjs' own writer grows its buffer by doubling and shifts
 * every nested message once its length is known, so a model with 1 GB of raw_data would be copied several
 * times and need about three times its size in memory; here each byte is copied once, or not at all when
 * encoding to chunks for a file.
 *
 * Like protobufjs, it generates a size and a write function per message type (plain property accesses are
 * what make an encoder fast in V8). The output is protobufjs' encoding: fields in field-number order, proto2
 * presence (own, non-null properties), repeated fields when non-empty, unknown fields (`$unknowns`) last,
 * which the round-trip tests check byte for byte on every fixture. Only the scalar types of the ONNX schema
 * are supported. A Float32Array/Float64Array in a packed float/double field is written as one block.
 */

type Msg = Record<string, unknown>;
interface Bits { lo: number; hi: number }

/** State of one encode: sizes found by the size pass, consumed in the same order by the write pass. */
interface EncodeState {
  /** Body size of each nested message, in pre-order. */
  sizes: number[];
  sizeAt: number;
  /** UTF-8 length of each string, in order. */
  strs: number[];
  strAt: number;
  /** Blocks of at least this many bytes are referenced instead of copied (chunked mode). */
  blockMin: number;
  blockBytes: number;
}

type SizeFn = (m: Msg, s: EncodeState) => number;
type WriteFn = (m: Msg, w: Output) => void;
interface Codec { size: SizeFn; write: WriteFn }

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

// ---- sizes ---------------------------------------------------------------------------------------------

function varint32Size(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

function varint64Size(b: Bits): number {
  const hi = b.hi >>> 0;
  if (hi === 0) return varint32Size(b.lo >>> 0);
  // The low word fills 4 groups of 7 bits and part of a 5th; the high word continues from bit 32.
  return hi < 0x8 ? 5 : hi < 0x400 ? 6 : hi < 0x20000 ? 7 : hi < 0x1000000 ? 8 : hi < 0x80000000 ? 9 : 10;
}

/** int64/uint64 from a Long, number or decimal string, as protobufjs reads them. */
function int64Bits(v: unknown): Bits {
  return protobuf.util.LongBits.from(v as number) as unknown as Bits;
}

/** int32 as protobufjs writes it: negative values sign-extended to 64 bits (10 bytes). */
function int32Size(v: unknown): number {
  const n = (v as number) | 0;
  return n < 0 ? 10 : varint32Size(n);
}

function int64Size(v: unknown): number {
  if (typeof v === 'number' && v >= 0 && v < 0x100000000 && Number.isInteger(v)) return varint32Size(v);
  return varint64Size(int64Bits(v));
}

function stringSize(s: string): number {
  if (s.length < 64) {
    let ascii = true;
    for (let i = 0; i < s.length && ascii; i++) ascii = s.charCodeAt(i) < 0x80;
    if (ascii) return s.length;
  }
  return Buffer.byteLength(s, 'utf8');
}

function bytesOf(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return Buffer.from(v, 'base64');
  return Uint8Array.from(v as ArrayLike<number>);
}

/** The bytes of a Float32Array/Float64Array in a packed float/double field, when they can be used as is. */
function typedBlock(xs: unknown, width: 4 | 8): Uint8Array | undefined {
  if (!LITTLE_ENDIAN_HOST) return undefined;
  if ((width === 4 && xs instanceof Float32Array) || (width === 8 && xs instanceof Float64Array)) {
    return new Uint8Array(xs.buffer, xs.byteOffset, xs.byteLength);
  }
  return undefined;
}

// ---- output --------------------------------------------------------------------------------------------

/**
 * Writes into `buf`. In chunked mode, blocks of at least `state.blockMin` bytes are not copied: the output
 * is a list of slices of `buf` interleaved with those blocks (views of the caller's data).
 */
class Output {
  pos = 0;
  readonly view: DataView;
  readonly chunks: Uint8Array[] = [];
  private chunkStart = 0;

  constructor(readonly buf: Buffer, readonly state: EncodeState, private readonly chunked: boolean) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  v32(v: number): void {
    const buf = this.buf;
    let x = v >>> 0;
    while (x > 0x7f) {
      buf[this.pos++] = (x & 0x7f) | 0x80;
      x >>>= 7;
    }
    buf[this.pos++] = x;
  }

  v64(b: Bits): void {
    const buf = this.buf;
    let lo = b.lo >>> 0, hi = b.hi >>> 0;
    while (hi) {
      buf[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    while (lo > 0x7f) {
      buf[this.pos++] = (lo & 0x7f) | 0x80;
      lo >>>= 7;
    }
    buf[this.pos++] = lo;
  }

  int32(v: unknown): void {
    const n = (v as number) | 0;
    if (n < 0) this.v64({ lo: n >>> 0, hi: 0xffffffff });
    else this.v32(n);
  }

  int64(v: unknown): void {
    if (typeof v === 'number' && v >= 0 && v < 0x100000000 && Number.isInteger(v)) this.v32(v);
    else this.v64(int64Bits(v));
  }

  float(v: unknown): void {
    this.view.setFloat32(this.pos, v as number, true);
    this.pos += 4;
  }

  double(v: unknown): void {
    this.view.setFloat64(this.pos, v as number, true);
    this.pos += 8;
  }

  string(s: string): void {
    const len = this.state.strs[this.state.strAt++]!;
    this.v32(len);
    if (len === s.length && len < 64) {
      const buf = this.buf;
      for (let i = 0; i < len; i++) buf[this.pos++] = s.charCodeAt(i);
    } else {
      this.buf.write(s, this.pos, len, 'utf8');
      this.pos += len;
    }
  }

  bytes(v: unknown): void {
    const b = bytesOf(v);
    this.v32(b.length);
    this.block(b);
  }

  /** Length prefix of the next nested message (its size was recorded in pre-order by the size pass). */
  messagePrefix(): void {
    this.v32(this.state.sizes[this.state.sizeAt]!);
  }

  /** Called at the start of each message's write: moves past its recorded size. */
  enterMessage(): void {
    this.state.sizeAt++;
  }

  packedFloats(xs: ArrayLike<number>, width: 4 | 8): void {
    const typed = typedBlock(xs, width);
    this.v32(xs.length * width);
    if (typed) {
      this.block(typed); // the same bytes as element by element; NaN payloads stay exact
      return;
    }
    for (let i = 0; i < xs.length; i++) {
      if (width === 4) this.float(xs[i]);
      else this.double(xs[i]);
    }
  }

  raw(bytes: Uint8Array): void {
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** A possibly large block: copied in single-buffer mode, referenced in chunked mode. */
  block(bytes: Uint8Array): void {
    if (!this.chunked || bytes.length < this.state.blockMin) {
      this.raw(bytes);
      return;
    }
    if (this.pos > this.chunkStart) this.chunks.push(this.buf.subarray(this.chunkStart, this.pos));
    this.chunks.push(bytes);
    this.chunkStart = this.pos;
  }

  finishChunks(): Uint8Array[] {
    if (this.pos > this.chunkStart) this.chunks.push(this.buf.subarray(this.chunkStart, this.pos));
    this.chunkStart = this.pos;
    return this.chunks;
  }
}

// ---- per-type code generation --------------------------------------------------------------------------

/** Helpers the generated functions call. */
const helpers = {
  has: (m: object, k: string): boolean => Object.hasOwn(m, k),
  v32: varint32Size,
  i32: int32Size,
  i64: int64Size,
  str: (s: string, st: EncodeState): number => {
    const len = stringSize(s);
    st.strs.push(len);
    return varint32Size(len) + len;
  },
  bytes: (v: unknown, st: EncodeState): number => {
    const len = bytesOf(v).length;
    if (len >= st.blockMin) st.blockBytes += len;
    return varint32Size(len) + len;
  },
  packedFloats: (xs: ArrayLike<number>, width: 4 | 8, st: EncodeState): number => {
    const len = xs.length * width;
    if (typedBlock(xs, width) && len >= st.blockMin) st.blockBytes += len;
    return varint32Size(len) + len;
  },
  packedVarints: (xs: ArrayLike<unknown>, size: (v: unknown) => number): number => {
    let len = 0;
    for (let i = 0; i < xs.length; i++) len += size(xs[i]);
    return varint32Size(len) + len;
  },
};

const codecs = new WeakMap<protobuf.Type, Codec>();

type Kind = 'int32' | 'uint32' | 'int64' | 'float' | 'double' | 'bool' | 'string' | 'bytes' | 'message';

interface FieldInfo { name: string; kind: Kind; repeated: boolean; packed: boolean; key: number; type?: protobuf.Type }

const WIRE: Record<Kind, number> = { int32: 0, uint32: 0, int64: 0, bool: 0, float: 5, double: 1, string: 2, bytes: 2, message: 2 };

function fieldInfo(type: protobuf.Type, f: protobuf.Field): FieldInfo {
  if (f.map) throw new Error(`encoder: map field ${type.name}.${f.name} is not supported`);
  const rt = f.resolvedType;
  let kind: Kind;
  if (rt instanceof protobuf.Type) kind = 'message';
  else if (rt instanceof protobuf.Enum || f.type === 'int32') kind = 'int32';
  else if (f.type === 'int64' || f.type === 'uint64') kind = 'int64';
  else if (f.type === 'uint32' || f.type === 'float' || f.type === 'double' || f.type === 'bool' || f.type === 'string' || f.type === 'bytes') kind = f.type;
  else throw new Error(`encoder: field type ${f.type} of ${type.name}.${f.name} is not supported`);
  const packed = f.repeated && f.packed && kind !== 'message' && kind !== 'string' && kind !== 'bytes';
  const key = ((f.id << 3) | (packed ? 2 : WIRE[kind])) >>> 0;
  return { name: f.name, kind, repeated: f.repeated, packed, key, type: rt instanceof protobuf.Type ? rt : undefined };
}

/** Size of one value of a field (without key), as a JS expression over `x`. */
function sizeExpr(f: FieldInfo, nested: string): string {
  switch (f.kind) {
    case 'int32': return 'h.i32(x)';
    case 'uint32': return 'h.v32(x>>>0)';
    case 'int64': return 'h.i64(x)';
    case 'float': return '4';
    case 'double': return '8';
    case 'bool': return '1';
    case 'string': return 'h.str(x,st)';
    case 'bytes': return 'h.bytes(x,st)';
    case 'message': return `(t=${nested}.size(x,st),h.v32(t)+t)`;
  }
}

/** Statement writing one value of a field (without key) held in `x`. */
function writeStmt(f: FieldInfo, nested: string): string {
  switch (f.kind) {
    case 'int32': return 'w.int32(x);';
    case 'uint32': return 'w.v32(x>>>0);';
    case 'int64': return 'w.int64(x);';
    case 'float': return 'w.float(x);';
    case 'double': return 'w.double(x);';
    case 'bool': return 'w.buf[w.pos++]=x?1:0;';
    case 'string': return 'w.string(x);';
    case 'bytes': return 'w.bytes(x);';
    case 'message': return `w.messagePrefix();${nested}.write(x,w);`;
  }
}

/** The source of a type's size and write functions (they call the codecs of nestedTypesOf(fields) as `n[i]`). */
export function codecSource(type: protobuf.Type, fields = fieldsOf(type)): { size: string; write: string } {
  const nestedTypes = nestedTypesOf(fields);
  const nestedRef = (f: FieldInfo): string => (f.type ? `n[${nestedTypes.indexOf(f.type)}]` : '');

  const size: string[] = ['var s=0,v,x,t,i;', 'st.sizes.push(0);var slot=st.sizes.length-1;'];
  const write: string[] = ['var v,x,i;', 'w.enterMessage();'];
  for (const f of fields) {
    const prop = `m[${JSON.stringify(f.name)}]`;
    const keySize = varint32Size(f.key);
    const nested = nestedRef(f);
    if (f.packed) {
      const body = f.kind === 'float' ? 'h.packedFloats(v,4,st)' : f.kind === 'double' ? 'h.packedFloats(v,8,st)'
        : `h.packedVarints(v,${f.kind === 'int64' ? 'h.i64' : f.kind === 'int32' ? 'h.i32' : f.kind === 'bool' ? '()=>1' : '(x)=>h.v32(x>>>0)'})`;
      size.push(`v=${prop};if(v!=null&&v.length)s+=${keySize}+${body};`);
      const writeBody = f.kind === 'float' ? 'w.packedFloats(v,4);' : f.kind === 'double' ? 'w.packedFloats(v,8);'
        : `var p=0;for(i=0;i<v.length;i++){x=v[i];p+=${sizeExpr(f, nested)};}w.v32(p);for(i=0;i<v.length;i++){x=v[i];${writeStmt(f, nested)}}`;
      // (packed fields are scalars, so re-sizing them here records nothing in the encode state)
      write.push(`v=${prop};if(v!=null&&v.length){w.v32(${f.key});${writeBody}}`);
    } else if (f.repeated) {
      size.push(`v=${prop};if(v!=null&&v.length)for(i=0;i<v.length;i++){x=v[i];s+=${keySize}+${sizeExpr(f, nested)};}`);
      write.push(`v=${prop};if(v!=null&&v.length)for(i=0;i<v.length;i++){x=v[i];w.v32(${f.key});${writeStmt(f, nested)}}`);
    } else {
      const present = `(x=${prop})!=null&&h.has(m,${JSON.stringify(f.name)})`;
      size.push(`if(${present})s+=${keySize}+${sizeExpr(f, nested)};`);
      write.push(`if(${present}){w.v32(${f.key});${writeStmt(f, nested)}}`);
    }
  }
  size.push('v=m.$unknowns;if(v!=null&&h.has(m,"$unknowns"))for(i=0;i<v.length;i++)s+=v[i].length;', 'st.sizes[slot]=s;return s;');
  write.push('v=m.$unknowns;if(v!=null&&h.has(m,"$unknowns"))for(i=0;i<v.length;i++)w.raw(v[i]);');
  return { size: `function size_${type.name}(m,st){${size.join('')}}`, write: `function write_${type.name}(m,w){${write.join('')}}` };
}

/** The type's fields in field-number order, as the codec writes them. */
function fieldsOf(type: protobuf.Type): FieldInfo[] {
  return type.fieldsArray.map((f) => f.resolve()).sort((a, b) => a.id - b.id).map((f) => fieldInfo(type, f));
}

/** The message types the fields hold, each once in field order: the generated code calls them as `n[i]`. */
function nestedTypesOf(fields: readonly FieldInfo[]): protobuf.Type[] {
  return [...new Set(fields.flatMap((f) => (f.type ? [f.type] : [])))];
}

function codecOf(type: protobuf.Type): Codec {
  const existing = codecs.get(type);
  if (existing) return existing;
  // Registered before generating, so recursive types (GraphProto inside AttributeProto...) resolve lazily.
  const codec: Codec = { size: () => 0, write: () => undefined };
  codecs.set(type, codec);
  const nestedCodecs: Codec[] = [];
  // Generated once per message type of the fixed schema; no user input reaches this code. The bundled CLI
  // has it compiled ahead of time (precompiled.ts), and then only needs the nested types.
  const pre = precompiledType(type.fullName);
  const fields = fieldsOf(type);
  const src = pre ? undefined : codecSource(type, fields);
  const makeSize = (pre?.size ?? new Function('h', 'n', `return ${src!.size}`)) as (h: typeof helpers, n: Codec[]) => SizeFn;
  const makeWrite = (pre?.write ?? new Function('h', 'n', `return ${src!.write}`)) as (h: typeof helpers, n: Codec[]) => WriteFn;
  codec.size = makeSize(helpers, nestedCodecs);
  codec.write = makeWrite(helpers, nestedCodecs);
  for (const t of nestedTypesOf(fields)) nestedCodecs.push(codecOf(t));
  return codec;
}

// ---- entry points --------------------------------------------------------------------------------------

function newState(blockMin: number): EncodeState {
  return { sizes: [], sizeAt: 0, strs: [], strAt: 0, blockMin, blockBytes: 0 };
}

/** Encodes `message` as `type` into a new buffer of exactly the encoded size. */
export function encodeMessage(type: protobuf.Type, message: object): Uint8Array {
  const codec = codecOf(type);
  const state = newState(Infinity);
  const size = codec.size(message as Msg, state);
  const out = new Output(Buffer.allocUnsafeSlow(size), state, false);
  codec.write(message as Msg, out);
  if (out.pos !== size) throw new Error(`encoder: wrote ${out.pos} bytes, expected ${size}`);
  return out.buf;
}

/**
 * Encodes `message` as a list of chunks whose concatenation is the encoding. Blocks of at least `blockMin`
 * bytes (raw_data, large typed float arrays) are views of the message's own data, not copies, so writing a
 * large model to a file needs no second copy of its weights in memory.
 */
export function encodeMessageChunks(type: protobuf.Type, message: object, blockMin = 64 * 1024): { chunks: Uint8Array[]; size: number } {
  const codec = codecOf(type);
  const state = newState(blockMin);
  const size = codec.size(message as Msg, state);
  const small = size - state.blockBytes;
  const out = new Output(Buffer.allocUnsafeSlow(small), state, true);
  codec.write(message as Msg, out);
  if (out.pos !== small) throw new Error(`encoder: wrote ${out.pos} bytes, expected ${small}`);
  return { chunks: out.finishChunks(), size };
}
