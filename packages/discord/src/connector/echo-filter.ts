/**
 * Discord sends every message the bridge posts (through its webhooks, or as the bot) back over the
 * gateway. discord.js would build a full `Message` for each echo before the bridge could drop it:
 * on the Matrix -> Discord path, one wasted structure per message sent. This drops the echoes from
 * the raw gateway data, before discord.js turns them into objects.
 *
 * It hooks discord.js's internal message actions (`client.actions.MessageCreate` / `MessageUpdate`),
 * which is one reason the package pins discord.js to an exact version; {@link EchoFilterError} is
 * thrown at start-up if a discord.js upgrade moved them, instead of silently doing nothing.
 */
import type { Client, GatewayMessageCreateDispatchData, GatewayMessageUpdateDispatchData } from 'discord.js';
import type { WebhookPool } from './webhook-pool';

/** discord.js no longer has the internal hook this filter relies on. */
export class EchoFilterError extends Error {
  constructor(action: string) {
    super(`discord.js internals changed: client.actions.${action}.handle is missing (echo filter)`);
    this.name = 'EchoFilterError';
  }
}

type RawMessage = Pick<GatewayMessageCreateDispatchData, 'author' | 'webhook_id' | 'application_id'>;

interface MessageAction<TData> {
  handle(data: TData): unknown;
}

interface ClientActions {
  MessageCreate?: MessageAction<GatewayMessageCreateDispatchData>;
  MessageUpdate?: MessageAction<GatewayMessageUpdateDispatchData>;
}

/** True for raw message data the bridge itself posted (its bot user or one of its webhooks). */
export function isOwnEcho(client: Client, webhooks: WebhookPool, data: Partial<RawMessage>): boolean {
  if (data.author !== undefined && data.author.id === client.user?.id) return true;
  return webhooks.isOwn(data.webhook_id ?? null, data.application_id ?? null);
}

/** Make discord.js skip the bridge's own echoes (message creates and updates) before parsing them. */
export function filterOwnEchoes(client: Client, webhooks: WebhookPool): void {
  const actions = (client as unknown as { actions: ClientActions }).actions;
  skipWhen(actions.MessageCreate, 'MessageCreate', (data) => isOwnEcho(client, webhooks, data));
  skipWhen(actions.MessageUpdate, 'MessageUpdate', (data) => isOwnEcho(client, webhooks, data));
}

function skipWhen<TData>(
  action: MessageAction<TData> | undefined,
  name: string,
  skip: (data: TData) => boolean,
): void {
  if (!action || typeof action.handle !== 'function') throw new EchoFilterError(name);
  const handle = action.handle.bind(action);
  // discord.js's handlers read `{}` as "nothing to emit".
  action.handle = (data) => (skip(data) ? {} : handle(data));
}
