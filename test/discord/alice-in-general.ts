/**
 * Where the Discord end-to-end suites start: the bridge world, and Alice on Matrix in the portal of
 * #general; plus the predicates the suites look for events with.
 */
import { MatrixTestUser, type DiscordMessageRecord, type MatrixTimelineEvent } from '@trestle/testkit';
import { startDiscordBridgeWorld, type DiscordBridgeWorld } from './discord-bridge-world';

export interface AliceInGeneral {
  w: DiscordBridgeWorld;
  alice: MatrixTestUser;
  /** The portal of #general, which Alice joined through its alias. */
  roomId: string;
}

export async function startAliceInGeneral(): Promise<AliceInGeneral> {
  const w = await startDiscordBridgeWorld();
  const alice = await MatrixTestUser.register(w.world.synapse, 'alice', { displayName: 'Alice' });
  const roomId = await alice.joinRoom(w.aliasOf(w.general));
  return { w, alice, roomId };
}

/** Stop what started (also after a failed start); `TRESTLE_SHOW_BRIDGE_LOG=1` prints the bridge's last log lines. */
export async function stopAliceInGeneral(w?: DiscordBridgeWorld, alice?: MatrixTestUser): Promise<void> {
  if (w && process.env.TRESTLE_SHOW_BRIDGE_LOG)
    process.stderr.write(w.world.bridgeLog().split('\n').slice(-80).join('\n'));
  await alice?.stop();
  await w?.stop();
}

export const relation = (e: MatrixTimelineEvent) =>
  (e.content['m.relates_to'] ?? {}) as Record<string, unknown>;
export const fromGhost = (e: MatrixTimelineEvent) => e.sender.startsWith('@_discord_');
/** A message from a Discord user's ghost with exactly this body. */
export const ghostMessage = (body: string) => (e: MatrixTimelineEvent) =>
  fromGhost(e) && e.type === 'm.room.message' && String(e.content.body) === body;
/** A Discord message a Matrix user sent through the bridge's webhook, containing `text`. */
export const byWebhook = (text: string) => (m: DiscordMessageRecord) =>
  m.webhook !== undefined && m.content.includes(text);

/** A Matrix message in the thread under `rootEventId`, as Element sends it. */
export function inThread(rootEventId: string, body: string): Record<string, unknown> {
  return {
    msgtype: 'm.text',
    body,
    'm.relates_to': {
      rel_type: 'm.thread',
      event_id: rootEventId,
      is_falling_back: true,
      'm.in_reply_to': { event_id: rootEventId },
    },
  };
}

/** Changes made on Discord while the bridge was down, as Alice should see them once it is back. */
export interface CaughtUpChanges {
  /** The event edited, and its new body. */
  edited: [eventId: string, body: string];
  /** The event reacted to, and the reaction's key. */
  reacted: [eventId: string, key: string];
  /** Events redacted. */
  redacted: string[];
}

/** Wait (30 s for the first, as the bridge is starting) until every change reached Alice. */
export async function waitForCaughtUpChanges(
  alice: MatrixTestUser,
  roomId: string,
  { edited: [edited, body], reacted: [reacted, key], redacted }: CaughtUpChanges,
): Promise<void> {
  await alice.waitForEvent(
    roomId,
    (e) =>
      relation(e).rel_type === 'm.replace' &&
      relation(e).event_id === edited &&
      (e.content['m.new_content'] as { body?: string }).body === body,
    30_000,
  );
  await alice.waitForEvent(
    roomId,
    (e) => e.type === 'm.reaction' && relation(e).event_id === reacted && relation(e).key === key,
  );
  for (const eventId of redacted)
    await alice.waitForEvent(
      roomId,
      (e) => e.type === 'm.room.redaction' && (e.redacts ?? e.content.redacts) === eventId,
    );
}
