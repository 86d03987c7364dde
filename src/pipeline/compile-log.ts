/**
 * The compile's logger: every record (debug and up) as JSON lines into the build's compile.log, and the
 * records at the CLI's level on stderr (pretty on a terminal, JSON lines otherwise), after clearing the
 * progress line.
 */
import { Writable } from 'node:stream';
import { pino, type Level, type Logger } from 'pino';

export interface CompileLogger {
  log: Logger;
  /** Redirects the file stream (the build folder is only known once the target is checked). */
  attachFile(file: string): void;
  close(): void;
}

export async function createCompileLogger(level: string, clearLine: () => void): Promise<CompileLogger> {
  const stderrSink = new Writable({
    // Done when written (stderr is synchronous on a terminal): waiting for write's callback would hold
    // every later record until the compile yields, so a stage's line came after its work.
    write(chunk: Buffer | string, _enc, cb) {
      clearLine();
      process.stderr.write(chunk);
      cb();
    },
  });
  let stderrStream: { write(s: string): unknown } = stderrSink;
  if (process.stderr.isTTY) {
    const { default: pretty } = await import('pino-pretty');
    stderrStream = pretty({
      destination: stderrSink,
      sync: true,
      colorize: !process.env.NO_COLOR,
      ignore: 'pid,hostname',
      translateTime: 'HH:MM:ss',
      singleLine: true,
    });
  }
  let fileDest: ReturnType<typeof pino.destination> | undefined;
  const pending: string[] = [];
  const fileSink = { write: (s: string) => { if (fileDest) fileDest.write(s); else pending.push(s); } };
  const streams = [{ level: 'debug' as Level, stream: fileSink }];
  if (level !== 'silent') streams.push({ level: level as Level, stream: stderrStream });
  const log = pino({ level: level === 'trace' ? 'trace' : 'debug', base: undefined }, pino.multistream(streams));
  return {
    log,
    attachFile(file) {
      fileDest = pino.destination({ dest: file, sync: true });
      for (const s of pending.splice(0)) fileDest.write(s);
    },
    close() {
      fileDest?.flushSync();
      fileDest?.end();
      fileDest = undefined;
    },
  };
}
