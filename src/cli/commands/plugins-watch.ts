/** `brainsmith plugins watch [paths..]`: the live plugin playground (see src/plugins/watch.ts). */
import { defineCommand, type CommandContext } from '../command.js';

interface WatchArgs {
  paths?: string[];
  json?: boolean;
  debounce?: number;
}

/**
 * Runs the playground until `q` or Ctrl-C. On a terminal (without --json) the view is redrawn in place;
 * otherwise every event is one JSON object per line on stdout.
 */
export async function runWatch(paths: string[], json: boolean, ctx: CommandContext, debounceMs?: number): Promise<number> {
  const { startWatch } = await import('../../plugins/watch.js');
  const { WatchView } = await import('../../plugins/watch-view.js');
  const live = !json && process.stdout.isTTY === true;
  const view = new WatchView();
  let redraw: NodeJS.Timeout | undefined;
  const draw = (): void => {
    redraw = undefined;
    process.stdout.write(`\x1b[H\x1b[2J${view.render(process.stdout.columns || 100)}\n`);
  };
  const handle = await startWatch({
    paths,
    log: ctx.log,
    debounceMs,
    emit(e) {
      if (!live) {
        process.stdout.write(`${JSON.stringify(e)}\n`);
        return;
      }
      view.apply(e);
      // Events of one re-read arrive together: draw once after them.
      redraw ??= setTimeout(draw, 15);
    },
  });
  await new Promise<void>((resolve) => {
    const stdin = process.stdin;
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      stdin.off('data', onKey);
      if (stdin.isTTY) stdin.setRawMode(false);
      // Paused is not enough for a pipe: its handle would keep the process alive after the command returns.
      stdin.destroy();
      resolve();
    };
    // `q` (or Ctrl-C, which raw mode delivers as a byte) quits; off a terminal, a line `q` does.
    const onKey = (d: Buffer): void => {
      const s = d.toString();
      if (s === '\u0003' || s.trim() === 'q') stop();
    };
    if (stdin.isTTY) stdin.setRawMode(true);
    stdin.on('data', onKey);
    stdin.on('end', () => undefined);
    stdin.resume();
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  if (redraw) clearTimeout(redraw);
  await handle.close();
  if (live) process.stdout.write('\n');
  return 0;
}

export const watchSub = defineCommand<WatchArgs>({
  command: 'watch [paths..]',
  describe: 'Live plugin playground: re-reads plugins on every save and shows registrations, errors, check results and timings',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, describe: 'extra plugin files or folders to watch (the project, user, added and env folders always are)' })
      .option('json', { type: 'boolean', describe: 'one JSON object per event on stdout (registered, removed, failed, checked, rescanned, timing)' })
      .option('debounce', { type: 'number', default: 40, describe: 'quiet time in ms after the last file event before re-reading' })
      .example('$0 plugins watch', 'watch every plugin folder; edit a file in brainsmith_plugins/ and see it register')
      .example('$0 plugins watch vendor/acme/fold.ts', 'also watch a file outside the plugin folders')
      .example('$0 plugins watch --json | jq .event', 'follow the events from a script'),
  run: (args, ctx) => runWatch(args.paths ?? [], args.json === true, ctx, args.debounce),
});
