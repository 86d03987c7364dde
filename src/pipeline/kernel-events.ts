/**
 * The `kernel:mapped` host event: after a plan item changed the model, every hardware node (FINN's
 * fpgadataflow domain) that was not there before is announced once, with the transform that made it.
 */
import { classifyNodeDomain } from '../ir/domains.js';
import type { Model } from '../ir/model.js';
import type { EventBus } from '../plugins/events.js';

export interface KernelMappedEvent {
  node: string;
  opType: string;
  domain: string;
  transform: string;
  stage: string;
}

/** Names of the model's hardware nodes. */
export function hardwareNodes(model: Model): Set<string> {
  const out = new Set<string>();
  for (const n of model.graph.nodeList()) if (classifyNodeDomain(n) === 'finn-hw') out.add(n.name);
  return out;
}

/** Publishes `kernel:mapped` for hardware nodes absent from `before`; returns the current set. */
export function publishMappedKernels(events: EventBus, model: Model, before: Set<string>, by: { transform: string; stage: string }): Set<string> {
  const now = new Set<string>();
  for (const n of model.graph.nodeList()) {
    if (classifyNodeDomain(n) !== 'finn-hw') continue;
    now.add(n.name);
    if (!before.has(n.name)) events.publish('kernel:mapped', { node: n.name, opType: n.opType, domain: n.domain, ...by } satisfies KernelMappedEvent);
  }
  return now;
}
