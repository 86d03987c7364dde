import { z } from 'zod';
import { defineTransform } from '../../src/index.js';
import { inferDataTypes, type DatatypeResolver } from '../../src/datatype-inference/index.js';
import { DATATYPE_RESOLVERS_SERVICE, resolverList } from '../../src/shapes/index.js';

const options = z.object({
  /** QONNX allow_scaledint_dtypes: scaled quantizer outputs become SCALEDINT<b> instead of FLOAT32. */
  allowScaledInt: z.boolean().default(false).describe('Scaled quantizer outputs become SCALEDINT<b> instead of FLOAT32 (QONNX allow_scaledint_dtypes)'),
});

/**
 * FINN/QONNX InferDataTypes: a `finn_datatype` annotation on every node output (rules in
 * src/datatype-inference; kernel plugins add theirs under the `brainsmith.datatypeResolvers` service).
 * MatMul/Gemm/Conv of integers give INT32 (UINT32 if all unsigned) as in FINN; Add/Sub/Mul of integers use
 * range analysis. Weights and graph inputs keep what they are annotated with.
 */
export default defineTransform<z.infer<typeof options>>({
  name: 'InferDataTypes',
  stage: 'cleanup',
  description: 'Annotate every node output with its FINN DataType (finn_datatype)',
  options,
  apply(model, ctx) {
    const r = inferDataTypes(model.graph, {
      allowScaledInt: ctx.options.allowScaledInt,
      resolvers: resolverList<DatatypeResolver>(ctx.services, DATATYPE_RESOLVERS_SERVICE),
      debug: (fields, message) => ctx.log.debug(fields, message),
    });
    if (r.failures.length) ctx.log.debug({ failures: r.failures }, 'datatype rules that failed');
    return r.changed;
  },
});
