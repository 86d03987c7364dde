/**
 * Compile progress on stderr: on a terminal one line rewritten in place (stage, transform, i/n); otherwise
 * one plain line per stage and transform, for CI logs. Log lines call clear() first so they do not collide.
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
  let lastStage = '';
  return {
    update(p) {
      if (p.stage !== lastStage) {
        lastStage = p.stage;
        stream.write(`stage ${p.stageIndex}/${p.stageCount} ${p.stage}: ${p.itemCount} transform${p.itemCount === 1 ? '' : 's'}\n`);
      }
      stream.write(`  ${p.itemIndex}/${p.itemCount} ${p.item}\n`);
    },
    note: (text) => stream.write(`${text}\n`),
    clear() {},
    done() {},
  };
}
