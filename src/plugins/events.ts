/**
 * Publish/subscribe between the host and plugins. Patterns may use `*` for any run of characters, so
 * `transform:*` gets every transform event and `*` gets everything. A throwing subscriber is reported
 * through `onError` and does not stop the publisher or the other subscribers.
 */
export type EventHandler = (payload: unknown, event: string) => void;

/** Events the host publishes. */
export const HOST_EVENTS = [
  'plugin:loaded',
  'plugin:failed',
  'pipeline:start',
  'stage:start',
  'transform:applied',
  'stage:end',
  'kernel:mapped',
  'pipeline:end',
] as const;

interface Subscription {
  pattern: string;
  test: (event: string) => boolean;
  handler: EventHandler;
  owner: string;
}

function matcher(pattern: string): (event: string) => boolean {
  if (!pattern.includes('*')) return (e) => e === pattern;
  if (pattern === '*') return () => true;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (e) => re.test(e);
}

export class EventBus {
  #subs: Subscription[] = [];
  readonly onError: (err: unknown, event: string, owner: string) => void;

  constructor(onError: (err: unknown, event: string, owner: string) => void = () => {}) {
    this.onError = onError;
  }

  subscribe(pattern: string, handler: EventHandler, owner = 'host'): () => void {
    const sub: Subscription = { pattern, test: matcher(pattern), handler, owner };
    this.#subs.push(sub);
    return () => {
      this.#subs = this.#subs.filter((s) => s !== sub);
    };
  }

  publish(event: string, payload?: unknown): void {
    for (const s of this.#subs) {
      if (!s.test(event)) continue;
      try {
        s.handler(payload, event);
      } catch (e) {
        this.onError(e, event, s.owner);
      }
    }
  }

  get subscriberCount(): number {
    return this.#subs.length;
  }
}
