import { z } from 'zod';
import { defineTransform } from '../../src/index.js';
import { inferDataTypes } from '../../src/rewrite.js';

const options = z.object({
  /** QONNX allow_scaledint_dtypes: scaled quantizer outputs become SCALEDINT<b> instead of FLOAT32. */
  allowScaledInt: z.boolean().default(false).describe('Scaled quantizer outputs become SCALEDINT<b> instead of FLOAT32 (QONNX allow_scaledint_dtypes)'),
});

/**
 * FINN/QONNX InferDataTypes: a `finn_datatype` annotation on every node output (rules in
 * src/datatype-inference; hardware nodes get theirs from their kernel plugins' `inferDatatypes`).
 * MatMul/Gemm/Conv of integers give INT32 (UINT32 if all unsigned) as in FINN; Add/Sub/Mul of integers use
 * range analysis. Weights and graph inputs keep what they are annotated with.
 */
export default defineTransform<z.infer<typeof options>>({
  name: 'InferDataTypes',
  stage: 'cleanup',
  description: 'Annotate every node output with its FINN DataType (finn_datatype)',
  options,
  async apply(model, ctx) {
    const r = inferDataTypes(model.graph, {
      allowScaledInt: ctx.options.allowScaledInt,
      resolvers: [await ctx.hw.datatypeResolver(model)],
      debug: (fields, message) => ctx.log.debug(fields, message),
    });
    if (r.failures.length) ctx.log.debug({ failures: r.failures }, 'datatype rules that failed');
    return r.changed;
  },
});
