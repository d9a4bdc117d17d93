import { Command } from 'commander';
import { registerCoreCommands } from './core.commands';

/** Each feature registers its commands here. */
export const CLI_COMMANDS: ((program: Command) => void)[] = [registerCoreCommands];
