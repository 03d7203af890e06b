/** Bot commands: `!<bridge> <name> args…` in a portal, or plain `<name> args…` in the management room. */

/** Permission levels from config, lowest to highest. */
export type PermissionLevel = 'relay' | 'user' | 'admin';

export interface CommandContext {
  /** The Matrix user who sent the command. */
  sender: string;
  senderLevel: PermissionLevel;
  roomId: string;
  /** Arguments after the command name, split on whitespace (quotes keep spaces). */
  args: string[];
  /** Reply in the room as the bridge bot (markdown-free plain text). */
  reply(text: string): Promise<void>;
}

export interface CommandDefinition {
  name: string;
  /** One line shown by `help`. */
  summary: string;
  /** Usage, e.g. `link <chat id>`. */
  usage?: string;
  /** Minimum level needed (default `user`). */
  level?: PermissionLevel;
  run(ctx: CommandContext): Promise<void>;
}
