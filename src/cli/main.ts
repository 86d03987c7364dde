import { readFileSync } from 'node:fs';
import yargs, { type Argv, type ArgumentsCamelCase } from 'yargs';
import { BrainsmithError, isBrainsmithError } from '../errors.js';
import { safeMessage } from '../plugins/isolation.js';
import { escapeControl } from '../util/escape.js';
import type { CommandContext, CommandModule, GlobalOptions } from './command.js';
import { commands } from './commands/index.js';
import { LOG_LEVELS, createCliLogger } from './logger.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

interface RunState {
  code: number;
  /** Whether the command already printed its JSON document (then an error must not add a second one). */
  printedJson: boolean;
}

/** Written to stderr in every case; mirrored as JSON on stdout under --json so scripts see it too. */
function reportError(e: unknown, args: { json?: boolean; logLevel?: string }): number {
  const debug = args.logLevel === 'debug' || args.logLevel === 'trace';
  const usage = isBrainsmithError(e) && e.kind === 'usage';
  // One line, whatever the source: yargs and some plugin errors span several.
  // Names from model files may hold terminal control sequences: shown escaped, never obeyed.
  const message = escapeControl(safeMessage(e).replace(/\s*\n\s*/g, ' ').trim());
  process.stderr.write(`brainsmith: error: ${message}\n`);
  if (debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  if (args.json) {
    const err = isBrainsmithError(e)
      ? { code: e.code, message, file: e.file }
      : { code: 'E_INTERNAL', message };
    process.stdout.write(`${JSON.stringify({ error: err })}\n`);
  }
  return usage ? EXIT_USAGE : EXIT_FAILURE;
}

function register(y: Argv<GlobalOptions>, mod: CommandModule, state: RunState): void {
  const subs = mod.subcommands;
  y.command(
    mod.command,
    mod.describe,
    (b) => {
      const built = mod.builder(b);
      if (!subs?.length) return built;
      for (const sub of subs) register(built as unknown as Argv<GlobalOptions>, sub, state);
      const first = String(Array.isArray(mod.command) ? mod.command[0] : mod.command).split(' ')[0];
      const names = subs.map((c) => String(Array.isArray(c.command) ? c.command[0] : c.command).split(' ')[0]).join(', ');
      return built.demandCommand(1, `${first} needs a subcommand: ${names}`);
    },
    async (args: ArgumentsCamelCase<GlobalOptions>) => {
      const log = await createCliLogger(args.logLevel);
      const ctx: CommandContext = {
        log,
        out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
        outJson: (value) => {
          state.printedJson = true;
          process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
        },
      };
      try {
        const code = await mod.run(args as never, ctx);
        state.code = typeof code === 'number' ? code : EXIT_OK;
      } catch (e) {
        state.code = reportError(e, { ...args, json: args.json && !state.printedJson });
      }
    },
  );
}

/**
 * yargs renders a command's whole help text each time it starts the command, for a failure message that
 * .fail() above never prints: string measuring and wrapping that cost a short compile a tenth of its time.
 * `--help` renders its text afresh, so nothing is lost. Guarded: a yargs without this internal is left alone.
 */
function skipHelpCache(y: unknown): void {
  const usage = (y as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: unknown } } }).getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const state: RunState = { code: EXIT_OK, printedJson: false };
  const y = yargs(argv)
    .scriptName('brainsmith')
    .usage('$0 <command> [options]\n\nA compiler for quantized neural networks on FPGAs: ONNX, QONNX and FINN models in,\nfolded dataflow kernels, FINN-compatible estimates and an HTML report out.')
    .option('log-level', {
      choices: LOG_LEVELS,
      default: 'info',
      describe: 'How much to log on stderr (debug also prints stack traces of errors)',
      global: true,
    })
    .option('strict-plugins', {
      type: 'boolean',
      describe: 'Fail when any plugin fails to load (by default a broken plugin only fails the work that needs it)',
      global: true,
    })
    .version(packageVersion())
    .alias('version', 'V')
    .help()
    .alias('help', 'h')
    .strict()
    .recommendCommands()
    .demandCommand(1, 'name a command (brainsmith --help lists them)')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .example('$0 compile model.onnx -o build/m --board Pynq-Z2 --target-fps 100000', 'Compile, fold to 100k fps, write estimates and build/m/report/index.html')
    .example('$0 inspect model.onnx', 'Opsets, inputs and outputs, op types, QONNX datatypes')
    .example('$0 exec model.onnx -i x.npy -o y.npy', 'Run a model on an input')
    .example('$0 report build/m --open', 'Regenerate and open the HTML report of a build')
    .example('$0 transforms list --order pipeline', 'The transforms, stage by stage, in the order a compile runs them')
    .epilogue('Exit codes: 0 ok, 1 the work failed, 2 usage error. Most commands take --json: stdout then holds one JSON document (errors too). Logs go to stderr. Each command has --help with examples.')
    .fail((msg, err) => {
      // yargs calls this for usage problems (msg) and for errors thrown while parsing (err). Throwing stops
      // it before any command handler runs.
      if (err) throw err;
      throw new BrainsmithError('E_USAGE', `${msg ?? 'usage error'} (see brainsmith --help)`, { kind: 'usage' });
    });
  skipHelpCache(y);
  for (const mod of commands) register(y as unknown as Argv<GlobalOptions>, mod, state);
  // No command at all: the list of commands (on stderr, as a usage error) rather than a bare complaint.
  if (!argv.some((a) => !a.startsWith('-')) && !argv.some((a) => ['--help', '-h', '--version', '-V'].includes(a))) {
    process.stderr.write(`${await y.getHelp()}\n\n`);
    return reportError(new BrainsmithError('E_USAGE', 'name a command: the commands are listed above', { kind: 'usage' }), { json: argv.includes('--json') });
  }
  try {
    await y.parseAsync();
  } catch (e) {
    const debug = argv.includes('debug') || argv.includes('trace');
    return reportError(e, { logLevel: debug ? 'debug' : undefined, json: argv.includes('--json') });
  }
  return state.code;
}
