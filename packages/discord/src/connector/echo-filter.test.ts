import { describe, expect, it } from '@jest/globals';
import { Client } from 'discord.js';
import { EchoFilterError, filterOwnEchoes } from './echo-filter';
import { WebhookPool } from './webhook-pool';

type Handle = (data: Record<string, unknown>) => unknown;

function clientWithRecordedActions() {
  const client = new Client({ intents: [] });
  const actions = (client as unknown as { actions: Record<string, { handle: Handle }> }).actions;
  const seen: unknown[] = [];
  for (const name of ['MessageCreate', 'MessageUpdate'])
    actions[name]!.handle = (data) => {
      seen.push(data);
      return {};
    };
  return { client, actions, seen };
}

describe('filterOwnEchoes', () => {
  it("drops the bridge's own webhook messages before discord.js parses them, and passes the rest", async () => {
    const { client, actions, seen } = clientWithRecordedActions();
    const pool = new WebhookPool(client as Client<true>, 'bridge');
    pool.ownIds.add('111111111111111111');
    filterOwnEchoes(client, pool);
    const echo = { id: '1', channel_id: '2', webhook_id: '111111111111111111', author: { id: '9' } };
    const human = { id: '3', channel_id: '2', author: { id: '4' } };
    actions.MessageCreate!.handle(echo);
    actions.MessageUpdate!.handle(echo);
    actions.MessageCreate!.handle(human);
    expect(seen).toEqual([human]);
    await client.destroy();
  });

  it('fails loudly when discord.js no longer has the hook it relies on', async () => {
    const client = new Client({ intents: [] });
    delete (client as unknown as { actions: Record<string, unknown> }).actions.MessageCreate;
    expect(() => filterOwnEchoes(client, new WebhookPool(client as Client<true>, 'bridge'))).toThrow(
      EchoFilterError,
    );
    await client.destroy();
  });
});
