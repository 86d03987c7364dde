/** Builds the PluginContext a plugin's hooks receive, exposing only the capabilities it was granted. */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { capabilityDenied } from './capabilities.js';
import type { EventBus } from './events.js';
import type { Capability } from './schemas.js';
import type { ServiceRegistry } from './services.js';
import { confinedPath } from './write-root.js';
import type { PluginContext } from './types.js';
import type { HwApi } from '../hw/types.js';

export interface ContextInput<O> {
  component: string;
  plugin: string;
  log: Logger;
  options: O;
  granted: ReadonlySet<Capability>;
  events: EventBus;
  services: ServiceRegistry;
  hw: HwApi;
}

export function createPluginContext<O>(input: ContextInput<O>): PluginContext<O> {
  const { plugin, granted } = input;
  const need = (cap: Capability): void => {
    if (!granted.has(cap)) throw capabilityDenied(plugin, cap);
  };
  return Object.freeze({
    component: input.component,
    plugin,
    log: input.log,
    options: input.options,
    capabilities: granted,
    hw: input.hw,
    events: {
      publish(event: string, payload?: unknown) {
        need('events:publish');
        input.events.publish(event, payload);
      },
      subscribe(pattern: string, handler: (payload: unknown, event: string) => void) {
        need('events:subscribe');
        return input.events.subscribe(pattern, handler, plugin);
      },
    },
    services: {
      register<T>(name: string, service: T) {
        need('services');
        input.services.register(name, service, plugin);
      },
      get<T>(name: string): T {
        need('services');
        return input.services.get<T>(name);
      },
      has(name: string) {
        need('services');
        return input.services.has(name);
      },
    },
    fs: {
      // Synchronous underneath: the files are small reports, and a thread-pool round trip only left a
      // short compile idle.
      async writeFile(p: string, data: string | Uint8Array) {
        need('fs:write');
        writeFileSync(confinedPath(p, plugin), data);
      },
      async mkdir(p: string) {
        need('fs:write');
        mkdirSync(confinedPath(p, plugin), { recursive: true });
      },
    },
    process: {
      spawn(command: string, args: string[], opts: { cwd?: string } = {}) {
        need('process:spawn');
        return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
          const child = spawn(command, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          child.on('error', reject);
          child.on('close', (code) => resolve({ code, stdout, stderr }));
        });
      },
    },
  });
}
