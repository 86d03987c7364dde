/**
 * Compile progress on stderr, on a terminal only: one line rewritten in place (stage, transform, i/n). Piped
 * or in CI there is none (the log's stage lines say where the compile is). Log lines call clear() first so
 * they do not collide.
 */
import type { ProgressInfo } from './pass-manager.js';

export interface Progress {
  update(p: ProgressInfo): void;
  note(text: string): void;
  /** Erases the live line (before other output). */
  clear(): void;
  done(): void;
}

export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, enabled: boolean): Progress {
  if (!enabled) return { update() {}, note() {}, clear() {}, done() {} };
  if (stream.isTTY) {
    let shown = false;
    const show = (text: string): void => {
      const width = Math.max(20, (stream.columns || 100) - 1);
      stream.write(`\r\x1b[K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
      shown = true;
    };
    return {
      update: (p) => show(`[${p.stageIndex}/${p.stageCount} ${p.stage}] ${p.itemIndex}/${p.itemCount} ${p.item}`),
      note: (text) => show(text),
      clear() {
        if (shown) stream.write('\r\x1b[K');
        shown = false;
      },
      done() {
        if (shown) stream.write('\r\x1b[K');
        shown = false;
      },
    };
  }
  return { update() {}, note() {}, clear() {}, done() {} };
}
