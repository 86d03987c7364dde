/**
 * Code the ONNX codec otherwise generates with `new Function` at run time (protobufjs' message constructors
 * and decoders, encoder.ts's size and write functions), compiled ahead of time into the bundled CLI by
 * scripts/bundle.mjs (src/onnx/precompile-source.ts writes it). Generated code never reaches V8's code
 * cache: compiling it again at every start cost some 15 ms. Each entry is the source the run-time
 * generator gives for the same schema, so either way the same code runs.
 */

/** A type's functions, each as the factory the run-time generator would build (same scope parameters). */
export interface PrecompiledType {
  /** protobufjs' generated constructor. */
  ctor: (properties?: Record<string, unknown>) => void;
  /** protobufjs' decoder, given the scope protobufjs compiles it with (schema.ts generateDecoder). */
  decode: (Reader: unknown, types: unknown, util: unknown, C: unknown) => (...args: unknown[]) => unknown;
  /** encoder.ts's size and write functions, given their helpers and nested codecs. */
  size: (h: unknown, n: unknown) => (...args: unknown[]) => number;
  write: (h: unknown, n: unknown) => (...args: unknown[]) => void;
}

let table: Readonly<Record<string, PrecompiledType>> | undefined;

/** Installs the table (by protobufjs full type name, `.onnx.TensorProto`); called by the bundle as it loads. */
export function usePrecompiledCodecs(t: Readonly<Record<string, PrecompiledType>>): void {
  table = t;
}

export function precompiledType(fullName: string): PrecompiledType | undefined {
  return table?.[fullName];
}
