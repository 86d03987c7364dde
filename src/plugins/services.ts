/** Named services that plugins share (e.g. a datatype oracle one plugin provides and others use). */
import { BrainsmithError } from '../errors.js';

export class ServiceRegistry {
  #services = new Map<string, { value: unknown; owner: string }>();

  register<T>(name: string, service: T, owner = 'host'): void {
    const prev = this.#services.get(name);
    if (prev) {
      throw new BrainsmithError('E_SERVICE_DUPLICATE', `service '${name}' is registered by ${prev.owner}; ${owner} cannot register it again`, { kind: 'work' });
    }
    this.#services.set(name, { value: service, owner });
  }

  get<T>(name: string): T {
    const s = this.#services.get(name);
    if (!s) {
      const known = [...this.#services.keys()].sort();
      throw new BrainsmithError('E_SERVICE_MISSING', `no service '${name}' is registered${known.length ? ` (registered: ${known.join(', ')})` : ''}`, { kind: 'work' });
    }
    return s.value as T;
  }

  has(name: string): boolean {
    return this.#services.has(name);
  }

  names(): string[] {
    return [...this.#services.keys()];
  }
}
