import type { Logger } from '../log/logger';
import type { CommandDefinition, PermissionLevel } from './command';
import { renderCommandHelp, renderHelp, type HelpEntry } from './help-text';
import { meetsLevel, permissionLevelOf, type PermissionMap } from './permission-level';
import { CommandSyntaxError, splitArguments } from './split-arguments';

/** How a {@link CommandRouter} recognises and authorises commands. */
export interface CommandRouterOptions {
  /** Prefix of commands in portal rooms, e.g. `!irc` (the `bridge.command_prefix` config). */
  prefix: string;
  /** The `permissions` config. */
  permissions: PermissionMap;
  /** How the bot calls itself in replies, e.g. `IRC bridge`. */
  botName: string;
  /** Where failures of commands are logged with their stack (replies carry only the message). */
  log?: Logger;
}

/** A Matrix message that may be a command. */
export interface IncomingCommand {
  roomId: string;
  sender: string;
  body: string;
  /** In the management room every message is a command and the prefix is optional. */
  isManagementRoom: boolean;
  /** Reply in the room as the bridge bot. */
  reply(text: string): Promise<void>;
}

/** A command that cannot be registered: a name already taken, or one that could never be typed. */
export class CommandRegistrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandRegistrationError';
  }
}

const HELP: HelpEntry = {
  name: 'help',
  usage: 'help [command]',
  summary: 'List the commands you may use, or explain one.',
  level: 'relay',
};

/**
 * The bridge bot's commands: recognises a command in a message, checks the sender's permission level,
 * and runs it. Replies for every outcome (unknown command, too low a level, a failing command), so a user
 * is never left without an answer; a failing command never throws out of {@link CommandRouter.handle}.
 */
export class CommandRouter {
  private readonly commands = new Map<string, CommandDefinition>();

  constructor(private readonly options: CommandRouterOptions) {}

  /** Add a command. @throws {@link CommandRegistrationError} for a taken or untypeable name. */
  register(definition: CommandDefinition): void {
    const name = definition.name.toLowerCase();
    if (!/^\S+$/.test(name))
      throw new CommandRegistrationError(`command name "${definition.name}" must be one word`);
    if (name === HELP.name || this.commands.has(name)) {
      throw new CommandRegistrationError(`a command named "${name}" is already registered`);
    }
    this.commands.set(name, definition);
  }

  /**
   * Handle a message if it is a command. Returns false when it is not one (a portal message without the
   * prefix), so the caller bridges it as an ordinary message. Errors from `reply` itself propagate.
   */
  async handle(message: IncomingCommand): Promise<boolean> {
    const line = this.commandLine(message);
    if (line === undefined) return false;
    const prefix = message.isManagementRoom ? '' : `${this.options.prefix} `;
    const level = permissionLevelOf(message.sender, this.options.permissions);
    if (!level) {
      await message.reply('You do not have permission to use this bridge.');
      return true;
    }
    let args: string[];
    try {
      args = splitArguments(line);
    } catch (err) {
      if (!(err instanceof CommandSyntaxError)) throw err;
      await message.reply(`Could not read that command: ${err.message}.`);
      return true;
    }
    const name = (args.shift() ?? HELP.name).toLowerCase();
    if (name === HELP.name) {
      await message.reply(this.help(args[0], level, prefix));
      return true;
    }
    const command = this.commands.get(name);
    if (!command) {
      await message.reply(`Unknown command "${name}". Send "${prefix}help" for the list of commands.`);
      return true;
    }
    const required = command.level ?? 'user';
    if (!meetsLevel(level, required)) {
      await message.reply(`"${name}" needs the ${required} permission level; you have ${level}.`);
      return true;
    }
    await this.run(command, {
      sender: message.sender,
      senderLevel: level,
      roomId: message.roomId,
      args,
      reply: message.reply,
    });
    return true;
  }

  /** The text after the prefix, or undefined when the message is not addressed to the bot. */
  private commandLine({ body, isManagementRoom }: IncomingCommand): string | undefined {
    const text = body.trim();
    const { prefix } = this.options;
    const hasPrefix = text === prefix || text.startsWith(`${prefix} `) || text.startsWith(`${prefix}\n`);
    if (hasPrefix) return text.slice(prefix.length).trim();
    return isManagementRoom && text ? text : undefined;
  }

  private async run(command: CommandDefinition, ctx: Parameters<CommandDefinition['run']>[0]): Promise<void> {
    try {
      await command.run(ctx);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.options.log?.warn('command failed', { command: command.name, room: ctx.roomId, err });
      await ctx.reply(`"${command.name}" failed: ${reason}`);
    }
  }

  private help(topic: string | undefined, level: PermissionLevel, prefix: string): string {
    const entries = [HELP, ...[...this.commands.values()].map(toHelpEntry)];
    if (topic) {
      const entry = entries.find((e) => e.name === topic.toLowerCase());
      if (!entry) return `Unknown command "${topic}". Send "${prefix}help" for the list of commands.`;
      return renderCommandHelp(entry, prefix, meetsLevel(level, entry.level));
    }
    const usable = entries.filter((e) => meetsLevel(level, e.level));
    return renderHelp(this.options.botName, usable, prefix);
  }
}

function toHelpEntry(command: CommandDefinition): HelpEntry {
  return {
    name: command.name.toLowerCase(),
    usage: command.usage ?? command.name,
    summary: command.summary,
    level: command.level ?? 'user',
  };
}
