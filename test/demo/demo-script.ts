/**
 * The demo's scripted conversation: each of the four sides speaks once, and every line is awaited on
 * every other side before the next is said, so the transcript reads in order everywhere.
 */
import type { MatrixTestUser } from '@trestle/testkit';
import type { CrossNetworkWorld } from '../cross-network/cross-network-world';
import { SIDES, type Side, type SideViews } from '../cross-network/side-views';

export interface ScriptLine {
  side: Side;
  text: string;
}

export const DEMO_SCRIPT: readonly ScriptLine[] = [
  { side: 'matrix', text: 'Welcome, everyone! This room is bridged to IRC, Discord and Telegram.' },
  { side: 'irc', text: 'Hello from IRC, the channel is here too.' },
  { side: 'discord', text: 'Discord checking in — I can see you both.' },
  { side: 'telegram', text: 'And Telegram makes four. Hi all!' },
  { side: 'matrix', text: 'Perfect, one conversation across four networks.' },
];

/** A scripted line did not reach every side in time. */
export class ScriptLineLostError extends Error {
  constructor(
    readonly line: ScriptLine,
    readonly missingOn: Side[],
  ) {
    super(`"${line.text}" (from ${line.side}) did not reach: ${missingOn.join(', ')}`);
    this.name = 'ScriptLineLostError';
  }
}

export interface ScriptStage {
  world: CrossNetworkWorld;
  matrixUser: MatrixTestUser;
  roomId: string;
  views: SideViews;
}

/** Play the script; resolves once every line has reached every side. */
export async function playScript(
  stage: ScriptStage,
  script = DEMO_SCRIPT,
  timeoutMs = 30_000,
): Promise<void> {
  for (const line of script) {
    await say(stage, line);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const missing = SIDES.filter((side) => stage.views.count(side, line.text) === 0);
      if (missing.length === 0) break;
      if (Date.now() > deadline) throw new ScriptLineLostError(line, missing);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function say({ world, matrixUser, roomId, views }: ScriptStage, line: ScriptLine): Promise<void> {
  switch (line.side) {
    case 'matrix':
      await matrixUser.sendText(roomId, line.text);
      return;
    case 'irc':
      views.ircSay(line.text);
      return;
    case 'discord':
      world.discord.asUser(world.people.discord.id).send(world.discordChannel.id, line.text);
      return;
    case 'telegram':
      world.telegram.asUser(world.people.telegram.id).send(world.telegramChatId, line.text);
      return;
  }
}
