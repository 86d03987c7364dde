/**
 * How rules for ops outside the core (hardware kernels) reach shape and datatype inference: a resolver list
 * kept as a plugin service, so a kernel plugin's setup() can add to it and the core never names a kernel.
 */
import type { ServicesApi } from '../plugins/types.js';

export const SHAPE_RESOLVERS_SERVICE = 'brainsmith.shapeResolvers';
export const DATATYPE_RESOLVERS_SERVICE = 'brainsmith.datatypeResolvers';

/** The resolver list under `name`, created (empty) on first use. */
export function resolverList<T>(services: ServicesApi, name: string): T[] {
  if (!services.has(name)) services.register<T[]>(name, []);
  return services.get<T[]>(name);
}
