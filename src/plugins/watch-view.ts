/**
 * The terminal view of `plugins watch`: a state fed with watch events and rendered as one screen, which
 * the command redraws in place. Pure: render() returns text.
 */
import type { Counts, WatchEvent, WatchTimings } from './watch.js';

const KINDS: [keyof Counts, string][] = [
  ['transform', 'Transforms'],
  ['kernel', 'Kernels'],
  ['backend', 'Backends'],
  ['step', 'Steps'],
];
const KEEP = 8;

type Registered = Extract<WatchEvent, { event: 'registered' }>;
type Removed = Extract<WatchEvent, { event: 'removed' }>;
type Failed = Extract<WatchEvent, { event: 'failed' }>;
type Checked = Extract<WatchEvent, { event: 'checked' }>;

export class WatchView {
  counts?: Counts;
  previous?: Counts;
  watching: string[] = [];
  timings?: WatchTimings;
  /** Save-to-registered times of the last change, in ms. */
  lastSaveToRegistered: number[] = [];
  registered: Registered[] = [];
  removed: Removed[] = [];
  /** Current failures by plugin (a later success clears them). */
  failed = new Map<string, Failed>();
  checked?: Checked;

  /** Within one re-read (events up to its `rescanned`): save times and the failures reported again. */
  #batchSaves: number[] = [];
  #batchFailed = new Set<string>();

  apply(e: WatchEvent): void {
    switch (e.event) {
      case 'ready':
        this.counts = e.counts;
        this.watching = e.watching;
        this.timings = e.timings;
        break;
      case 'registered':
        this.registered = [e, ...this.registered].slice(0, KEEP);
        if (e.savedToRegisteredMs !== undefined) this.#batchSaves.push(e.savedToRegisteredMs);
        break;
      case 'removed':
        this.removed = [e, ...this.removed].slice(0, KEEP);
        break;
      case 'failed':
        this.failed.set(e.plugin, e);
        this.#batchFailed.add(e.plugin);
        break;
      case 'checked':
        this.checked = e;
        break;
      case 'rescanned':
        this.previous = e.previous;
        this.counts = e.counts;
        this.timings = { ...e.timings, coldOpenMs: e.timings.coldOpenMs ?? this.timings?.coldOpenMs };
        // A failure whose file changed and that was not reported again is fixed (or its file is gone).
        for (const [id, f] of this.failed) if (f.file && e.changed.includes(f.file) && !this.#batchFailed.has(id)) this.failed.delete(id);
        this.lastSaveToRegistered = this.#batchSaves;
        this.#batchSaves = [];
        this.#batchFailed.clear();
        break;
      case 'timing':
        this.timings = { ...this.timings!, ...e.timings };
        break;
    }
  }

  render(width = 100): string {
    const out: string[] = [];
    const cut = (s: string): string => (s.length > width ? `${s.slice(0, width - 1)}…` : s);
    out.push('brainsmith plugins watch: save a plugin file to see it register (q or Ctrl-C to quit)');
    out.push(cut(`watching: ${this.watching.join(', ') || '(nothing yet)'}`));
    out.push('');
    for (const [k, label] of KINDS) {
      const n = this.counts?.[k] ?? 0;
      const was = this.previous?.[k];
      const delta = was !== undefined && was !== n ? ` → ${n} (${n > was ? '+' : ''}${n - was})` : '';
      out.push(`${(label + ':').padEnd(12)}${was !== undefined && delta ? was : n}${delta}`);
    }
    out.push('', 'Latest registrations:');
    if (!this.registered.length) out.push('  (none yet)');
    for (const r of this.registered) out.push(cut(`  ${r.time.slice(11, 19)}  ${r.kind.padEnd(9)} ${r.qualifiedName.padEnd(32)} ${(r.stage ?? '').padEnd(14)} ${r.file}${r.line ? `:${r.line}` : ''}`));
    if (this.removed.length) {
      out.push('', 'Removed:');
      for (const r of this.removed) out.push(cut(`  ${r.time.slice(11, 19)}  ${r.kind.padEnd(9)} ${r.qualifiedName}  (${r.file})`));
    }
    if (this.failed.size) {
      out.push('', 'Errors:');
      for (const f of this.failed.values()) {
        out.push(cut(`  ${f.plugin}: ${f.code ?? ''} ${f.file ?? ''}${f.line ? `:${f.line}` : ''}`));
        out.push(cut(`    ${f.message.replace(`${f.file ?? '\0'}:${f.line ?? ''}: `, '')}`));
        if (f.frame) for (const l of f.frame.split('\n')) out.push(cut(`    ${l}`));
      }
    }
    if (this.checked) {
      const c = this.checked;
      out.push('', cut(`Check of ${c.file}: ${c.ok ? 'ok' : 'FAILED'} (${c.errors} error(s), ${c.warnings} warning(s), ${c.ms} ms)`));
      for (const d of c.diagnostics.filter((x) => x.severity !== 'info').slice(0, 6)) out.push(cut(`  ${d.code} ${d.message}`));
    }
    const t = this.timings;
    if (t) {
      out.push('', 'Measured:');
      if (this.lastSaveToRegistered.length) out.push(`  save → registered      ${Math.max(...this.lastSaveToRegistered)} ms`);
      out.push(`  registry open, cold    ${t.coldOpenMs !== undefined ? `${Math.round(t.coldOpenMs)} ms (new process, no cache)` : 'measuring…'}`);
      out.push(`  registry open, warm    ${Math.round(t.warmOpenMs)} ms (${t.reread} file(s) re-read)`);
      out.push(`  lookup by name         ${t.lookupUs.toFixed(3)} µs`);
    }
    return out.join('\n');
  }
}
