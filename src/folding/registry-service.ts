/**
 * How optimization transforms reach the plugin registry (to ask kernel plugins for parallelism, cycles and
 * stream widths): the host registers the registry as a plugin service under this name.
 */
import { BrainsmithError } from '../errors.js';
import type { Registry } from '../plugins/registry.js';
import type { ServicesApi } from '../plugins/types.js';

export const REGISTRY_SERVICE = 'brainsmith.registry';

/** Registers `reg` as the registry service (once; later calls keep the first). */
export function provideRegistry(reg: Registry): void {
  if (!reg.services.has(REGISTRY_SERVICE)) reg.services.register(REGISTRY_SERVICE, reg);
}

export function registryService(services: ServicesApi, transform: string): Registry {
  if (!services.has(REGISTRY_SERVICE)) {
    throw new BrainsmithError('E_NO_REGISTRY', `${transform} needs the kernel plugins: the host must register the plugin registry as service '${REGISTRY_SERVICE}' (provideRegistry(reg))`, { kind: 'work' });
  }
  return services.get<Registry>(REGISTRY_SERVICE);
}
