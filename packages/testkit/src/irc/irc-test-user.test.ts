import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { startInspircd, type RunningIrcServer } from './inspircd';
import { IrcTestUser } from './irc-test-user';

jest.setTimeout(20_000);

describe('IrcTestUser against a real InspIRCd', () => {
  let server: RunningIrcServer;
  const users: IrcTestUser[] = [];
  const connect = async (nick: string) => {
    const user = await IrcTestUser.connect({ host: server.host, port: server.port, nick });
    users.push(user);
    return user;
  };

  beforeAll(async () => {
    server = await startInspircd();
  });
  afterAll(async () => {
    await Promise.all(users.map((u) => u.quit()));
    await server.stop();
  });

  it('negotiates the IRCv3 capabilities the bridge relies on', async () => {
    const alice = await connect('capcheck');
    expect(alice.capabilities).toEqual(expect.arrayContaining(['server-time', 'message-tags', 'batch']));
  });

  it('two users talk in a channel, with server-time and msgid on each line', async () => {
    const alice = await connect('alice');
    const bob = await connect('bob');
    await alice.join('#talk');
    await bob.join('#talk');
    alice.say('#talk', 'hello bob');
    const seen = await bob.waitForMessage((e) => e.type === 'privmsg' && e.message === 'hello bob');
    expect(seen).toMatchObject({ nick: 'alice', target: '#talk' });
    expect(seen.time).toBeGreaterThan(Date.now() - 60_000);
    expect(seen.tags.msgid).toBeTruthy();
    bob.action('#talk', 'waves');
    await alice.waitForMessage((e) => e.type === 'action' && e.nick === 'bob' && e.message === 'waves');
    bob.notice('#talk', 'a notice');
    await alice.waitForMessage((e) => e.type === 'notice' && e.nick === 'bob' && e.message === 'a notice');
  });

  it('users message each other privately', async () => {
    const carol = await connect('carol');
    const dave = await connect('dave');
    carol.say('dave', 'psst');
    await dave.waitForMessage(
      (e) => e.type === 'privmsg' && e.nick === 'carol' && e.target === 'dave' && e.message === 'psst',
    );
    dave.say('carol', 'yes?');
    await carol.waitForMessage((e) => e.type === 'privmsg' && e.nick === 'dave' && e.message === 'yes?');
  });

  it('a nick change is seen by others in the channel', async () => {
    const erin = await connect('erin');
    const frank = await connect('frank');
    await erin.join('#nicks');
    await frank.join('#nicks');
    await frank.changeNick('frank2');
    expect(frank.nick).toBe('frank2');
    await erin.waitForMessage((e) => e.type === 'nick' && e.nick === 'frank' && e.newNick === 'frank2');
  });

  it('the channel founder can op, set the topic and kick', async () => {
    const op = await connect('opper');
    const victim = await connect('victim');
    await op.join('#ops');
    await victim.join('#ops');
    op.mode('#ops', '+v', 'victim');
    await victim.waitForMessage(
      (e) => e.type === 'mode' && e.target === '#ops' && (e.modes ?? []).includes('+v victim'),
    );
    await op.topic('#ops', 'new topic');
    await victim.waitForMessage((e) => e.type === 'topic' && e.topic === 'new topic' && e.nick === 'opper');
    await op.kick('#ops', 'victim', 'bye now');
    const kick = await victim.waitForMessage((e) => e.type === 'kick');
    expect(kick).toMatchObject({ kicked: 'victim', nick: 'opper', channel: '#ops', message: 'bye now' });
  });

  it('holds many connections from one address without throttling', async () => {
    const crowd = await Promise.all(Array.from({ length: 20 }, (_, i) => connect(`crowd${i}`)));
    expect(crowd).toHaveLength(20);
  });
});
