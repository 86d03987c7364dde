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
  const file = new LogFile();
  const fileSink = { write: (s: string) => file.write(s) };
  const streams = [{ level: 'debug' as Level, stream: fileSink }];
  if (level !== 'silent') streams.push({ level: level as Level, stream: stderrStream });
  const log = pino({ level: level === 'trace' ? 'trace' : 'debug', base: undefined }, pino.multistream(streams));
  return {
    log,
    attachFile(path) {
      file.open(path);
    },
    close() {
      file.close();
    },
  };
}

/** How long a record may wait in memory before it is written to compile.log. */
const FLUSH_MS = 200;

/**
 * compile.log, written a batch at a time: a write per record was some 150 system calls in a short compile.
 * Records wait at most FLUSH_MS (`tail -f` still follows a long compile), and are written at close and at
 * process exit (a process.exit from anywhere included). Before open, they wait for the file.
 */
class LogFile {
  #fd: number | undefined;
  #records: string[] = [];
  #timer: NodeJS.Timeout | undefined;
  readonly #flushAtExit = (): void => this.flush();

  write(record: string): void {
    this.#records.push(record);
    if (this.#fd !== undefined && !this.#timer) this.#timer = setTimeout(() => this.flush(), FLUSH_MS).unref();
  }

  open(path: string): void {
    this.close();
    this.#fd = openSync(path, 'w');
    process.on('exit', this.#flushAtExit);
    this.flush();
  }

  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#fd === undefined || this.#records.length === 0) return;
    const text = this.#records.join('');
    this.#records = [];
    writeSync(this.#fd, text);
  }

  close(): void {
    if (this.#fd === undefined) return;
    this.flush();
    closeSync(this.#fd);
    this.#fd = undefined;
    process.off('exit', this.#flushAtExit);
  }
}
