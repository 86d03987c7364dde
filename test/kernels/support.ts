/** Builds KernelNodeViews by hand for formula tests, with attributes parsed by the kernel's schema. */
import type { z } from 'zod';
import type { FpgaTarget, KernelNodeView, TensorValue } from '../../src/index.js';
import { resolveTarget } from '../../src/kernel.js';

export const PYNQ: FpgaTarget = resolveTarget({ board: 'Pynq-Z1' });
export const VCK190: FpgaTarget = resolveTarget({ board: 'VCK190' });

export function view(schema: z.ZodType, attrs: Record<string, unknown>, opts: { target?: FpgaTarget; consts?: Record<number, TensorValue>; name?: string } = {}): KernelNodeView {
  return {
    name: opts.name ?? 'n0',
    opType: 'X',
    domain: 'finn.custom_op.fpgadataflow',
    attrs: schema.parse(attrs) as Record<string, unknown>,
    inputs: [],
    outputs: [],
    inputShapes: [],
    outputShapes: [],
    inputDatatypes: [],
    outputDatatypes: [],
    constantInput: (i) => opts.consts?.[i],
    target: opts.target ?? PYNQ,
  };
}

/** A minimal plugin context: these hooks read nothing from it. */
export const ctx = {} as never;
