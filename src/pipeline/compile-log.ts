/**
 * The compile's logger: every record (debug and up) as JSON lines into the build's compile.log, and the
 * records at the CLI's level on stderr (pretty on a terminal, JSON lines otherwise), after clearing the
 * progress line.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
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
  // The file gets each record as it comes, with plain writes: pino's file destination fsyncs on close,
  // and the process waited for that at the end of every compile.
  let fileFd: number | undefined;
  const pending: string[] = [];
  const fileSink = { write: (s: string) => { if (fileFd !== undefined) writeSync(fileFd, s); else pending.push(s); } };
  const streams = [{ level: 'debug' as Level, stream: fileSink }];
  if (level !== 'silent') streams.push({ level: level as Level, stream: stderrStream });
  const log = pino({ level: level === 'trace' ? 'trace' : 'debug', base: undefined }, pino.multistream(streams));
  return {
    log,
    attachFile(file) {
      if (fileFd !== undefined) closeSync(fileFd);
      fileFd = openSync(file, 'w');
      for (const s of pending.splice(0)) writeSync(fileFd, s);
    },
    close() {
      if (fileFd !== undefined) closeSync(fileFd);
      fileFd = undefined;
    },
  };
}
