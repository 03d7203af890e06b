/**
 * The suite against an in-memory "perfect bridge" between a fake Matrix room and a fake network:
 * declared scenarios must run and pass, undeclared ones must be skipped, and every outcome must
 * land in the results file.
 */
import { afterAll, expect } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RoomEventLog, type MatrixTimelineEvent } from '../matrix-user/room-event-log';
import { defineConformanceSuite } from './define-conformance-suite';
import type { ObservedRemoteEvent, RemoteDriver, RemotePost } from './remote-driver';
import type { ConformanceResults } from './results';
import type { ConformanceMatrixUser } from './scenarios';

const ROOM = '!portal:test';
const ME = '@tester:test';
const GHOST = '@remote_friend:test';

/** Links a fake Matrix room and a fake remote chat, bridging text, reactions and deletions. */
class InMemoryBridge {
  private seq = 0;
  readonly matrix = new RoomEventLog<MatrixTimelineEvent>((e) => `${e.type} ${String(e.content.body)}`);
  readonly remote = new RoomEventLog<{ room_id: string; event: ObservedRemoteEvent }>((e) => e.event.type);
  private readonly remoteIdOf = new Map<string, string>();
  private readonly eventIdOf = new Map<string, string>();

  private matrixEvent(
    sender: string,
    type: string,
    content: Record<string, unknown>,
    redacts?: string,
  ): string {
    const eventId = `$${++this.seq}`;
    this.matrix.append([
      {
        room_id: ROOM,
        event_id: eventId,
        sender,
        type,
        content,
        origin_server_ts: Date.now(),
        ...(redacts ? { redacts } : {}),
      },
    ]);
    return eventId;
  }

  /** Matrix user side: record the event, then bridge it to the network. */
  fromMatrix(type: string, content: Record<string, unknown>, redacts?: string): string {
    const eventId = this.matrixEvent(ME, type, content, redacts);
    const relatesTo = content['m.relates_to'] as { event_id: string; key: string } | undefined;
    if (type === 'm.room.message') {
      const id = `r${++this.seq}`;
      this.remoteIdOf.set(eventId, id);
      const message = { id, kind: 'text' as const, text: String(content.body), attachments: [] };
      this.remote.append([{ room_id: 'chat', event: { type: 'message', message } }]);
    } else if (type === 'm.reaction' && relatesTo) {
      const targetId = this.remoteIdOf.get(relatesTo.event_id)!;
      this.remote.append([{ room_id: 'chat', event: { type: 'reaction', targetId, key: relatesTo.key } }]);
    } else if (type === 'm.room.redaction' && redacts) {
      this.remote.append([
        { room_id: 'chat', event: { type: 'delete', targetId: this.remoteIdOf.get(redacts)! } },
      ]);
    }
    return eventId;
  }

  /** Network side: bridge a remote action into the Matrix room as the ghost. */
  post(message: RemotePost): { id: string } {
    const id = `r${++this.seq}`;
    const block = message.body.blocks[0];
    const body =
      block.type === 'paragraph' ? block.children.map((c) => (c.type === 'text' ? c.text : '')).join('') : '';
    this.eventIdOf.set(id, this.matrixEvent(GHOST, 'm.room.message', { msgtype: 'm.text', body }));
    return { id };
  }

  react(remoteId: string, key: string): void {
    const target = this.eventIdOf.get(remoteId)!;
    this.matrixEvent(GHOST, 'm.reaction', {
      'm.relates_to': { rel_type: 'm.annotation', event_id: target, key },
    });
  }
}

const bridge = new InMemoryBridge();
const matrixUser: ConformanceMatrixUser = {
  userId: ME,
  sendText: async (_room, body) => bridge.fromMatrix('m.room.message', { msgtype: 'm.text', body }),
  sendHtml: async () => Promise.reject(new Error('formatting is not declared')),
  sendEmote: async () => Promise.reject(new Error('emotes are not declared')),
  sendNotice: async () => Promise.reject(new Error('notices are not declared')),
  sendReply: async () => Promise.reject(new Error('replies are not declared')),
  sendEdit: async () => Promise.reject(new Error('edits are not declared')),
  redact: async (_room, eventId) => bridge.fromMatrix('m.room.redaction', {}, eventId),
  react: async (_room, eventId, key) =>
    bridge.fromMatrix('m.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: eventId, key } }),
  sendImage: async () => Promise.reject(new Error('images are not declared')),
  downloadMedia: async () => Promise.reject(new Error('images are not declared')),
  waitForEvent: (roomId, predicate, timeoutMs) =>
    bridge.matrix.waitFor(roomId, predicate, timeoutMs ?? 1_000),
};
const driver: RemoteDriver = {
  chatId: 'chat',
  post: async (message) => bridge.post(message),
  react: async (id, key) => bridge.react(id, key),
  expectEvent: async (predicate, timeoutMs) =>
    (await bridge.remote.waitFor('chat', (e) => predicate(e.event), timeoutMs)).event,
};

const resultsDir = mkdtempSync(join(tmpdir(), 'trestle-conformance-'));
let tornDown = false;

defineConformanceSuite({
  name: 'in-memory',
  displayName: 'In-memory',
  capabilities: {
    text: true,
    reaction: true,
    redaction: {
      matrixToRemote: true,
      remoteToMatrix: false,
      reason: 'the fake network has no deletion events',
    },
    edit: false,
  },
  setup: async () => ({ driver, matrixUser, roomId: ROOM }),
  teardown: async () => {
    tornDown = true;
  },
  waitTimeoutMs: 500,
  resultsDir,
});

// Runs after the suite's own afterAll (which writes the results), so it can read them.
afterAll(() => {
  try {
    expect(tornDown).toBe(true);
    const results = JSON.parse(
      readFileSync(join(resultsDir, 'in-memory.json'), 'utf8'),
    ) as ConformanceResults;
    const status = Object.fromEntries(results.scenarios.map((s) => [s.id, s.status]));
    expect(results.displayName).toBe('In-memory');
    expect(results.scenarios).toHaveLength(18);
    expect(status).toMatchObject({
      'text.matrix-to-remote': 'passed',
      'text.remote-to-matrix': 'passed',
      'reaction.matrix-to-remote': 'passed',
      'reaction.remote-to-matrix': 'passed',
      'redaction.matrix-to-remote': 'passed',
      'redaction.remote-to-matrix': 'unsupported',
      'edit.matrix-to-remote': 'unsupported',
      'image.remote-to-matrix': 'unsupported',
    });
    expect(results.scenarios.find((s) => s.id === 'redaction.remote-to-matrix')?.detail).toBe(
      'the fake network has no deletion events',
    );
  } finally {
    rmSync(resultsDir, { recursive: true, force: true });
  }
});
