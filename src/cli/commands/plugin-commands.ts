/** The plugin system's commands, registered by main.ts. */
import type { CommandModule } from '../command.js';
import { backendsCommand, kernelsCommand, stepsCommand, transformsCommand } from './component-lists.js';
import { pluginsCommand } from './plugins.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const pluginCommands: CommandModule<any>[] = [transformsCommand, kernelsCommand, backendsCommand, stepsCommand, pluginsCommand];
