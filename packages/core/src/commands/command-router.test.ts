import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../log/logger';
import type { CommandContext, CommandDefinition } from './command';
import { CommandRegistrationError, CommandRouter, type IncomingCommand } from './command-router';

const permissions = { 'example.org': 'user', '@admin:example.org': 'admin', '*': 'relay' } as const;

function setup(logLines: string[] = []) {
  const router = new CommandRouter({
    prefix: '!irc',
    permissions,
    botName: 'IRC bridge',
    log: createLogger('warn', (line) => logLines.push(line)),
  });
  const calls: CommandContext[] = [];
  const record = (def: Omit<CommandDefinition, 'run'>): CommandDefinition => ({
    ...def,
    run: async (ctx) => {
      calls.push(ctx);
    },
  });
  router.register(record({ name: 'link', usage: 'link <chat id>', summary: 'Link this room to a chat.' }));
  router.register(record({ name: 'reload', summary: 'Reload the config.', level: 'admin' }));
  router.register(record({ name: 'whoami', summary: 'Show your IRC nick.', level: 'relay' }));
  router.register({
    name: 'explode',
    summary: 'Always fails.',
    run: async () => {
      throw new Error('network unreachable');
    },
  });
  return { router, calls };
}

async function send(router: CommandRouter, body: string, extra: Partial<IncomingCommand> = {}) {
  const replies: string[] = [];
  const handled = await router.handle({
    roomId: '!portal:example.org',
    sender: '@alice:example.org',
    body,
    isManagementRoom: false,
    reply: async (text) => {
      replies.push(text);
    },
    ...extra,
  });
  return { handled, replies };
}

describe('CommandRouter', () => {
  it('runs a prefixed command in a portal room with the arguments split, honouring quotes', async () => {
    const { router, calls } = setup();
    const { handled, replies } = await send(router, '!irc LINK "libera #matrix" extra');
    expect(handled).toBe(true);
    expect(replies).toEqual([]);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      sender: '@alice:example.org',
      senderLevel: 'user',
      roomId: '!portal:example.org',
      args: ['libera #matrix', 'extra'],
    });
  });

  it('ignores portal messages without the prefix, so they are bridged as usual', async () => {
    const { router, calls } = setup();
    expect(await send(router, 'link this please')).toEqual({ handled: false, replies: [] });
    expect(await send(router, '!ircd link')).toEqual({ handled: false, replies: [] });
    expect(calls).toEqual([]);
  });

  it('takes commands without the prefix in the management room, and with it too', async () => {
    const { router, calls } = setup();
    expect((await send(router, 'link abc', { isManagementRoom: true })).handled).toBe(true);
    expect((await send(router, '!irc link def', { isManagementRoom: true })).handled).toBe(true);
    expect(calls.map((c) => c.args)).toEqual([['abc'], ['def']]);
  });

  it('lists only the commands the sender may use, with usage as typed in that room', async () => {
    const { router } = setup();
    const { replies } = await send(router, '!irc help');
    expect(replies).toEqual([
      [
        'IRC bridge commands (start each with "!irc"):',
        '!irc explode — Always fails.',
        '!irc help [command] — List the commands you may use, or explain one.',
        '!irc link <chat id> — Link this room to a chat.',
        '!irc whoami — Show your IRC nick.',
      ].join('\n'),
    ]);
    const admin = await send(router, 'help', { isManagementRoom: true, sender: '@admin:example.org' });
    expect(admin.replies[0]).toContain('\nreload — Reload the config.');
    const relay = await send(router, '!irc help', { sender: '@guest:elsewhere.net' });
    expect(relay.replies[0]!.split('\n').slice(1)).toEqual([
      '!irc help [command] — List the commands you may use, or explain one.',
      '!irc whoami — Show your IRC nick.',
    ]);
  });

  it('answers the bare prefix with help', async () => {
    const { router } = setup();
    expect((await send(router, '!irc')).replies[0]).toMatch(/^IRC bridge commands/);
  });

  it('explains a single command, saying which level it needs when the sender lacks it', async () => {
    const { router } = setup();
    expect((await send(router, '!irc help link')).replies).toEqual([
      'Usage: !irc link <chat id>\nLink this room to a chat.',
    ]);
    expect((await send(router, '!irc help reload')).replies).toEqual([
      'Usage: !irc reload\nReload the config.\nNeeds the admin permission level.',
    ]);
  });

  it('says so when the command is unknown, pointing at help', async () => {
    const { router } = setup();
    expect((await send(router, '!irc frobnicate')).replies).toEqual([
      'Unknown command "frobnicate". Send "!irc help" for the list of commands.',
    ]);
    expect((await send(router, 'frobnicate', { isManagementRoom: true })).replies).toEqual([
      'Unknown command "frobnicate". Send "help" for the list of commands.',
    ]);
  });

  it('refuses a command above the sender level, naming both levels', async () => {
    const { router, calls } = setup();
    expect((await send(router, '!irc reload')).replies).toEqual([
      '"reload" needs the admin permission level; you have user.',
    ]);
    expect((await send(router, '!irc link x', { sender: '@guest:elsewhere.net' })).replies).toEqual([
      '"link" needs the user permission level; you have relay.',
    ]);
    expect(calls).toEqual([]);
  });

  it('refuses users the permissions do not mention at all', async () => {
    const router = new CommandRouter({
      prefix: '!irc',
      permissions: { 'example.org': 'user' },
      botName: 'IRC bridge',
    });
    expect((await send(router, '!irc help', { sender: '@eve:elsewhere.net' })).replies).toEqual([
      'You do not have permission to use this bridge.',
    ]);
  });

  it('replies with the error message of a failing command, logs the stack, and does not throw', async () => {
    const logLines: string[] = [];
    const { router } = setup(logLines);
    const { handled, replies } = await send(router, '!irc explode');
    expect(handled).toBe(true);
    expect(replies).toEqual(['"explode" failed: network unreachable']);
    expect(replies[0]).not.toContain(' at ');
    expect(JSON.parse(logLines[0]!)).toMatchObject({
      msg: 'command failed',
      command: 'explode',
      err: { message: 'network unreachable' },
    });
  });

  it('explains an unclosed quote instead of guessing', async () => {
    const { router, calls } = setup();
    expect((await send(router, '!irc link "libera')).replies).toEqual([
      'Could not read that command: the " quote is never closed.',
    ]);
    expect(calls).toEqual([]);
  });

  it('refuses a second command with the same name, and one named help', () => {
    const { router } = setup();
    const run = async () => {};
    expect(() => router.register({ name: 'Link', summary: '', run })).toThrow(CommandRegistrationError);
    expect(() => router.register({ name: 'help', summary: '', run })).toThrow(
      'a command named "help" is already registered',
    );
    expect(() => router.register({ name: 'two words', summary: '', run })).toThrow('must be one word');
  });
});
