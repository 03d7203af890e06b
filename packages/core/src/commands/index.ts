/** The bridge bot's command framework: parse, check permissions, dispatch, with a built-in `help`. */
export type { CommandContext, CommandDefinition, PermissionLevel } from './command';
export {
  CommandRegistrationError,
  CommandRouter,
  type CommandRouterOptions,
  type IncomingCommand,
} from './command-router';
export { meetsLevel, permissionLevelOf, type PermissionMap } from './permission-level';
export { CommandSyntaxError, splitArguments } from './split-arguments';
