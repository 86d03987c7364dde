import type { CommandModule } from '../command.js';
import { inspectCommand } from './inspect.js';
import { convertCommand } from './convert.js';
import { execCommand } from './exec.js';
import { compileCommand } from './compile.js';
import { estimateCommand } from './estimate.js';
import { simCommand } from './sim.js';
import { synthCommand } from './synth.js';
import { reportCommand } from './report.js';
import { pluginCommands } from './plugin-commands.js';

/** Every command of the CLI, in the order `--help` lists them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any>[] = [inspectCommand, convertCommand, execCommand, compileCommand, simCommand, synthCommand, estimateCommand, reportCommand, ...pluginCommands];
