/**
 * Private chats with the bot ↔ Matrix direct rooms, end to end: a real Synapse, the bridge as its own
 * process, the Bot API simulator and matrix-js-sdk users. A Matrix user gets a pairing code from the
 * bridge bot; the Telegram user sends `/pair <code>` to the bot; from then on their private chat with
 * the bot is a direct room with that Matrix user. Needs `npx tsc -b` first.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { resolve } from 'node:path';
import { bridge } from '@trestle/telegram';
import { MatrixTestUser, startBridgeWorld, TelegramSimulator, type BridgeWorld } from '@trestle/testkit';

type Message = ReturnType<TelegramSimulator['messages']>[number];
type User = ReturnType<TelegramSimulator['addUser']>;

const MAIN = resolve(__dirname, '../../packages/core/dist/cli/main.js');

let sim: TelegramSimulator;
let world: BridgeWorld;
let alice: MatrixTestUser;
/** Alice's room with the bridge bot, where she runs commands. */
let commandRoom: string;

const textOf = (m: Message) => ('text' in m ? m.text : '');
const botSays = (chatId: number, fragment: string) =>
  sim.waitForMessage(chatId, (m) => m.from?.id === sim.bot.id && textOf(m).includes(fragment), 10_000);
const ghostOf = (user: User) => `@telegram_${user.id}:${world.synapse.serverName}`;

/** A Telegram user who opened a private chat with the bot. */
function telegramUser(first_name: string): User {
  const user = sim.addUser({ first_name });
  sim.createChat({ type: 'private', members: [user.id] });
  return user;
}

/** Alice asks the bridge bot for a pairing code. */
async function pairingCode(): Promise<string> {
  const asked = await alice.sendText(commandRoom, '!telegram pair');
  const position = (eventId: string) => alice.timeline(commandRoom).findIndex((x) => x.event_id === eventId);
  const answer = await alice.waitForEvent(
    commandRoom,
    (e) =>
      e.sender === world.botUserId &&
      String(e.content.body).startsWith('Your pairing code') &&
      position(asked) >= 0 &&
      position(asked) < position(e.event_id),
  );
  return /code is (\w+)/.exec(String(answer.content.body))![1]!;
}

/** `user` pairs with Alice through a fresh code. */
async function pairWithAlice(user: User): Promise<void> {
  const code = await pairingCode();
  sim.asUser(user.id).send(user.id, `/pair ${code}`);
  await botSays(user.id, 'Paired with @alice');
}

beforeAll(async () => {
  sim = await TelegramSimulator.start();
  world = await startBridgeWorld({
    definition: bridge,
    network: { bot_token: sim.token, api_root: sim.apiRoot, poll_timeout_seconds: 5 },
    command: [process.execPath, MAIN, 'telegram', 'start'],
  });
  await world.startBridge();
  alice = await MatrixTestUser.register(world.synapse, 'alice', { displayName: 'Alice' });
  commandRoom = await alice.createRoom({ name: 'bridge commands' });
  await alice.invite(commandRoom, world.botUserId);
  await alice.waitForEvent(
    commandRoom,
    (e) => e.type === 'm.room.member' && e.state_key === world.botUserId && e.content.membership === 'join',
  );
}, 180_000);

afterAll(async () => {
  if (process.env.TRESTLE_SHOW_BRIDGE_LOG)
    process.stderr.write(world?.bridgeLog().split('\n').slice(-80).join('\n'));
  await alice?.stop();
  await world?.stop();
  await sim?.stop();
});

describe('private chats with the bot', () => {
  it('an unpaired Telegram user who writes to the bot is told how to pair, and nothing reaches Matrix', async () => {
    const erin = telegramUser('Erin');
    sim.asUser(erin.id).send(erin.id, 'hello?');
    await botSays(erin.id, 'send "pair" to the bridge bot on Matrix');
    sim.asUser(erin.id).send(erin.id, '/start');
    await botSays(erin.id, 'Then send me /pair <code>');
  });

  it('a wrong pairing code is refused with what to do', async () => {
    const frank = telegramUser('Frank');
    sim.asUser(frank.id).send(frank.id, '/pair NOTACODE');
    await botSays(frank.id, 'That code is unknown or expired');
  });

  it('after /pair, the private chat becomes a direct room with the Matrix user, both ways', async () => {
    const bob = telegramUser('Bob');
    await pairWithAlice(bob);
    sim.asUser(bob.id).send(bob.id, 'hi Alice, it is Bob');
    const invite = await alice.waitForInvite((i) =>
      i.state.some((s) => s.type === 'm.room.name' && s.content.name === 'Bob'),
    );
    const dm = await alice.joinRoom(invite.room_id);
    const first = await alice.waitForEvent(dm, (e) => e.content.body === 'hi Alice, it is Bob');
    expect(first.sender).toBe(ghostOf(bob));
    const ownInvite = invite.state.find((s) => s.type === 'm.room.member' && s.state_key === alice.userId);
    expect(ownInvite?.content.is_direct).toBe(true);

    await alice.sendText(dm, 'hello Bob');
    // The paired Matrix user is the only one there: no name prefix.
    const answer = await botSays(bob.id, 'hello Bob');
    expect(textOf(answer)).toBe('hello Bob');
  });

  it('a Matrix user starts a direct chat by inviting the ghost of a Telegram user paired with them', async () => {
    const dave = telegramUser('Dave');
    await pairWithAlice(dave);
    const dm = await alice.createRoom({
      is_direct: true,
      invite: [ghostOf(dave)],
      preset: 'trusted_private_chat' as never,
    });
    await alice.waitForEvent(
      dm,
      (e) => e.type === 'm.room.member' && e.state_key === ghostOf(dave) && e.content.membership === 'join',
    );
    await alice.sendText(dm, 'Dave, are you there?');
    await botSays(dave.id, 'Dave, are you there?');
    sim.asUser(dave.id).send(dave.id, 'yes, here');
    const reply = await alice.waitForEvent(dm, (e) => e.content.body === 'yes, here');
    expect(reply.sender).toBe(ghostOf(dave));
  });

  it('inviting the ghost of a Telegram user who did not pair with you says how to pair; after pairing it joins', async () => {
    const gina = telegramUser('Gina');
    const dm = await alice.createRoom({ is_direct: true, invite: [ghostOf(gina)] });
    const answer = await alice.waitForEvent(
      dm,
      (e) => e.sender === ghostOf(gina) && e.type === 'm.room.message',
    );
    const body = String(answer.content.body);
    expect(body).toContain('Gina has not paired with you yet');
    expect(body).toContain(`send "!telegram pair" to ${world.botUserId} to get a code`);
    expect(body).toContain(`ask Gina to send "/pair <code>" to @${sim.bot.username} on Telegram`);
    await alice.waitForEvent(
      dm,
      (e) => e.type === 'm.room.member' && e.state_key === ghostOf(gina) && e.content.membership === 'leave',
    );

    // Doing what it says: Gina pairs, Alice invites her ghost again into the same room.
    await pairWithAlice(gina);
    const before = alice.timeline(dm).length;
    await alice.invite(dm, ghostOf(gina));
    await alice.waitForEvent(
      dm,
      (e) =>
        e.type === 'm.room.member' &&
        e.state_key === ghostOf(gina) &&
        e.content.membership === 'join' &&
        alice.timeline(dm).indexOf(e) >= before,
    );
    await alice.sendText(dm, 'Gina, now we are paired');
    await botSays(gina.id, 'Gina, now we are paired');
  });

  it('inviting the ghost that speaks for a channel says a channel has no private chat', async () => {
    const channel = sim.createChat({ type: 'channel', title: 'News', bot: 'administrator' });
    const channelGhost = `@telegram_${channel.id}:${world.synapse.serverName}`;
    const dm = await alice.createRoom({ is_direct: true, invite: [channelGhost] });
    const answer = await alice.waitForEvent(
      dm,
      (e) => e.sender === channelGhost && e.type === 'm.room.message',
    );
    expect(String(answer.content.body)).toContain('speaks for a Telegram group or channel');
  });

  it('/unpair on Telegram stops the bridging and says so in the direct room', async () => {
    const hana = telegramUser('Hana');
    await pairWithAlice(hana);
    sim.asUser(hana.id).send(hana.id, 'before unpairing');
    const invite = await alice.waitForInvite((i) =>
      i.state.some((s) => s.type === 'm.room.name' && s.content.name === 'Hana'),
    );
    const dm = await alice.joinRoom(invite.room_id);
    await alice.waitForEvent(dm, (e) => e.content.body === 'before unpairing');
    sim.asUser(hana.id).send(hana.id, '/unpair');
    await botSays(hana.id, 'Unpaired from @alice');
    await alice.waitForEvent(
      dm,
      (e) => e.sender === world.botUserId && String(e.content.body).includes('no longer bridged'),
    );
    sim.asUser(hana.id).send(hana.id, 'after unpairing');
    await botSays(hana.id, 'send "pair" to the bridge bot on Matrix');
  });
});
