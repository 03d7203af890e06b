/** Plumbing an existing Matrix room into a Discord channel, as a room admin and a Discord moderator do it. */
import type { MatrixTestUser, MatrixTimelineEvent } from '@trestle/testkit';
import type { DiscordBridgeWorld } from './discord-bridge-world';

/** A new Matrix room of `user`'s, with the bot in it (power 50), plumbed into a Discord channel. */
export async function plumbedRoom(
  w: DiscordBridgeWorld,
  user: MatrixTestUser,
  channelId: string,
  name: string,
): Promise<string> {
  const room = await user.createRoom({
    name,
    power_level_content_override: { users: { [w.world.botUserId]: 50 } },
  });
  await user.invite(room, w.world.botUserId);
  await user.waitForEvent(
    room,
    (e) => e.type === 'm.room.member' && e.state_key === w.world.botUserId && e.content.membership === 'join',
  );
  await plumbWithApproval(w, user, room, channelId);
  return room;
}

/** `link` from Matrix, approved on Discord by the guild owner (who may manage every channel). */
export async function plumbWithApproval(
  w: DiscordBridgeWorld,
  user: MatrixTestUser,
  room: string,
  channelId: string,
): Promise<void> {
  const botSays = (text: string) => (e: MatrixTimelineEvent) =>
    e.sender === w.world.botUserId && String(e.content.body).includes(text);
  await user.sendText(room, `!discord link ${channelId}`);
  const waiting = await user.waitForEvent(room, botSays('Waiting for approval on Discord'));
  const code = /approve ([A-Z0-9]{6})/.exec(String(waiting.content.body))![1]!;
  w.sim.asUser(w.guild.ownerId).send(channelId, `!matrix approve ${code}`);
  await w.sim.waitForMessage(channelId, (m) => m.content.startsWith('Approved.'));
  await user.sendText(room, `!discord link ${channelId}`);
  await user.waitForEvent(room, botSays('now bridged'));
}
