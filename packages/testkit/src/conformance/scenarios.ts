import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import type { MatrixTestUser } from '../matrix-user/matrix-test-user';
import type { MatrixTimelineEvent } from '../matrix-user/room-event-log';
import type { ConformanceDirection, ConformanceFeature } from './capabilities';
import { CONFORMANCE_PNG } from './fixtures';
import { expectRemoteMessage, type RemoteDriver } from './remote-driver';
import { paragraph, plainText, styledTexts } from './rich-text';

/** The Matrix side a scenario needs: what {@link MatrixTestUser} offers. */
export type ConformanceMatrixUser = Pick<
  MatrixTestUser,
  | 'userId'
  | 'sendText'
  | 'sendHtml'
  | 'sendEmote'
  | 'sendNotice'
  | 'sendReply'
  | 'sendEdit'
  | 'redact'
  | 'react'
  | 'sendImage'
  | 'downloadMedia'
  | 'waitForEvent'
>;

/** What each scenario runs against. */
export interface ConformanceContext {
  driver: RemoteDriver;
  matrixUser: ConformanceMatrixUser;
  /** The portal room bridged to `driver.chatId`, already joined by `matrixUser`. */
  roomId: string;
  /** How long to wait for one thing to cross the bridge. */
  timeoutMs: number;
}

/** One behaviour checked in one direction. */
export interface ConformanceScenario {
  /** Stable id, `<feature>.<direction>`: the key in results files. */
  id: string;
  feature: ConformanceFeature;
  direction: ConformanceDirection;
  /** Test name, stating the behaviour. */
  title: string;
  run(ctx: ConformanceContext): Promise<void>;
}

/** A marker unique to one scenario run, so parallel or repeated runs never match each other's messages. */
function marker(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

function bodyOf(event: MatrixTimelineEvent): string {
  return typeof event.content.body === 'string' ? event.content.body : '';
}

/** Events the bridge put in the room (anything not sent by the Matrix test user). */
function fromBridge(ctx: ConformanceContext, predicate: (event: MatrixTimelineEvent) => boolean) {
  return ctx.matrixUser.waitForEvent(
    ctx.roomId,
    (event) => event.sender !== ctx.matrixUser.userId && predicate(event),
    ctx.timeoutMs,
  );
}

function relation(event: MatrixTimelineEvent): Record<string, unknown> {
  return (event.content['m.relates_to'] as Record<string, unknown> | undefined) ?? {};
}

function required<T>(method: T | undefined, name: string): T {
  if (method === undefined)
    throw new Error(`the driver declares this capability but has no ${name}() method`);
  return method;
}

/** Post a plain message from the remote side and wait until its Matrix copy arrives. */
async function bridgedFromRemote(ctx: ConformanceContext, label: string) {
  const text = marker(label);
  const ref = await ctx.driver.post({ body: plainText(text) });
  const event = await fromBridge(ctx, (e) => e.type === 'm.room.message' && bodyOf(e).includes(text));
  return { ref, event };
}

/** Send a plain message from Matrix and wait until its remote copy arrives. */
async function bridgedFromMatrix(ctx: ConformanceContext, label: string) {
  const text = marker(label);
  const eventId = await ctx.matrixUser.sendText(ctx.roomId, text);
  const remote = await expectRemoteMessage(ctx.driver, (m) => m.text.includes(text), ctx.timeoutMs);
  return { eventId, remote };
}

const toRemote = 'matrix-to-remote' as const;
const toMatrix = 'remote-to-matrix' as const;

/** Every scenario, in feature-matrix order. */
export const CONFORMANCE_SCENARIOS: readonly ConformanceScenario[] = [
  {
    id: 'text.matrix-to-remote',
    feature: 'text',
    direction: toRemote,
    title: 'plain text from Matrix appears on the network',
    async run(ctx) {
      const text = marker('hello');
      await ctx.matrixUser.sendText(ctx.roomId, text);
      const remote = await expectRemoteMessage(ctx.driver, (m) => m.text.includes(text), ctx.timeoutMs);
      assert.equal(remote.kind, 'text', 'kind of the message on the network');
    },
  },
  {
    id: 'text.remote-to-matrix',
    feature: 'text',
    direction: toMatrix,
    title: 'plain text from the network appears in Matrix as m.text',
    async run(ctx) {
      const { event } = await bridgedFromRemote(ctx, 'hello');
      assert.equal(event.content.msgtype, 'm.text');
    },
  },
  {
    id: 'formatting.matrix-to-remote',
    feature: 'formatting',
    direction: toRemote,
    title: 'bold and italic HTML from Matrix keep their styles on the network',
    async run(ctx) {
      const text = marker('styled');
      await ctx.matrixUser.sendHtml(
        ctx.roomId,
        `${text} **bold** _italic_`,
        `${text} <strong>bold</strong> <em>italic</em>`,
      );
      const remote = await expectRemoteMessage(ctx.driver, (m) => m.text.includes(text), ctx.timeoutMs);
      assert.ok(remote.rich, 'the network message carries no formatting');
      assert.ok(styledTexts(remote.rich, 'bold').includes('bold'), 'the bold run was lost');
      assert.ok(styledTexts(remote.rich, 'italic').includes('italic'), 'the italic run was lost');
    },
  },
  {
    id: 'formatting.remote-to-matrix',
    feature: 'formatting',
    direction: toMatrix,
    title: 'bold and italic from the network become HTML in Matrix',
    async run(ctx) {
      const text = marker('styled');
      await ctx.driver.post({
        body: paragraph(
          { type: 'text', text: `${text} ` },
          { type: 'bold', children: [{ type: 'text', text: 'bold' }] },
          { type: 'text', text: ' ' },
          { type: 'italic', children: [{ type: 'text', text: 'italic' }] },
        ),
      });
      const event = await fromBridge(ctx, (e) => bodyOf(e).includes(text));
      assert.equal(event.content.format, 'org.matrix.custom.html');
      assert.match(String(event.content.formatted_body), /<(strong|b)>bold<\/\1>/);
      assert.match(String(event.content.formatted_body), /<(em|i)>italic<\/\1>/);
    },
  },
  {
    id: 'emote.matrix-to-remote',
    feature: 'emote',
    direction: toRemote,
    title: 'an m.emote from Matrix appears on the network as an action',
    async run(ctx) {
      const text = marker('waves');
      await ctx.matrixUser.sendEmote(ctx.roomId, text);
      const remote = await expectRemoteMessage(ctx.driver, (m) => m.text.includes(text), ctx.timeoutMs);
      assert.equal(remote.kind, 'emote', 'kind of the message on the network');
    },
  },
  {
    id: 'emote.remote-to-matrix',
    feature: 'emote',
    direction: toMatrix,
    title: 'an action on the network appears in Matrix as m.emote',
    async run(ctx) {
      const text = marker('waves');
      await ctx.driver.post({ kind: 'emote', body: plainText(text) });
      const event = await fromBridge(ctx, (e) => bodyOf(e).includes(text));
      assert.equal(event.content.msgtype, 'm.emote');
    },
  },
  {
    id: 'notice.matrix-to-remote',
    feature: 'notice',
    direction: toRemote,
    title: 'an m.notice from Matrix appears on the network as a notice',
    async run(ctx) {
      const text = marker('notice');
      await ctx.matrixUser.sendNotice(ctx.roomId, text);
      const remote = await expectRemoteMessage(ctx.driver, (m) => m.text.includes(text), ctx.timeoutMs);
      assert.equal(remote.kind, 'notice', 'kind of the message on the network');
    },
  },
  {
    id: 'notice.remote-to-matrix',
    feature: 'notice',
    direction: toMatrix,
    title: 'a notice on the network appears in Matrix as m.notice',
    async run(ctx) {
      const text = marker('notice');
      await ctx.driver.post({ kind: 'notice', body: plainText(text) });
      const event = await fromBridge(ctx, (e) => bodyOf(e).includes(text));
      assert.equal(event.content.msgtype, 'm.notice');
    },
  },
  {
    id: 'reply.matrix-to-remote',
    feature: 'reply',
    direction: toRemote,
    title: 'a Matrix reply arrives on the network as a reply to the bridged message',
    async run(ctx) {
      const { eventId, remote: original } = await bridgedFromMatrix(ctx, 'question');
      const text = marker('answer');
      await ctx.matrixUser.sendReply(ctx.roomId, eventId, text);
      const reply = await expectRemoteMessage(ctx.driver, (m) => m.text.includes(text), ctx.timeoutMs);
      assert.equal(reply.replyTo, original.id, 'the reply does not point at the bridged message');
    },
  },
  {
    id: 'reply.remote-to-matrix',
    feature: 'reply',
    direction: toMatrix,
    title: 'a reply on the network arrives in Matrix with m.in_reply_to the bridged event',
    async run(ctx) {
      const { ref, event: original } = await bridgedFromRemote(ctx, 'question');
      const text = marker('answer');
      await ctx.driver.post({ body: plainText(text), replyTo: ref.id });
      const reply = await fromBridge(ctx, (e) => bodyOf(e).includes(text));
      assert.equal(
        (relation(reply)['m.in_reply_to'] as { event_id?: string } | undefined)?.event_id,
        original.event_id,
      );
    },
  },
  {
    id: 'edit.matrix-to-remote',
    feature: 'edit',
    direction: toRemote,
    title: 'a Matrix edit changes the bridged message on the network',
    async run(ctx) {
      const { eventId, remote } = await bridgedFromMatrix(ctx, 'draft');
      const text = marker('final');
      await ctx.matrixUser.sendEdit(ctx.roomId, eventId, text);
      const edit = await ctx.driver.expectEvent(
        (e) => e.type === 'edit' && e.targetId === remote.id,
        ctx.timeoutMs,
      );
      assert.ok(edit.type === 'edit' && edit.message.text.includes(text), 'the edit lost the new text');
    },
  },
  {
    id: 'edit.remote-to-matrix',
    feature: 'edit',
    direction: toMatrix,
    title: 'an edit on the network becomes an m.replace of the bridged event',
    async run(ctx) {
      const { ref, event: original } = await bridgedFromRemote(ctx, 'draft');
      const text = marker('final');
      await required(ctx.driver.edit, 'edit').call(ctx.driver, ref.id, { body: plainText(text) });
      const edit = await fromBridge(
        ctx,
        (e) => relation(e).rel_type === 'm.replace' && relation(e).event_id === original.event_id,
      );
      assert.ok(
        String((edit.content['m.new_content'] as Record<string, unknown>)?.body).includes(text),
        'm.new_content lost the new text',
      );
    },
  },
  {
    id: 'redaction.matrix-to-remote',
    feature: 'redaction',
    direction: toRemote,
    title: 'a Matrix redaction deletes the bridged message on the network',
    async run(ctx) {
      const { eventId, remote } = await bridgedFromMatrix(ctx, 'oops');
      await ctx.matrixUser.redact(ctx.roomId, eventId);
      await ctx.driver.expectEvent((e) => e.type === 'delete' && e.targetId === remote.id, ctx.timeoutMs);
    },
  },
  {
    id: 'redaction.remote-to-matrix',
    feature: 'redaction',
    direction: toMatrix,
    title: 'a deletion on the network redacts the bridged event',
    async run(ctx) {
      const { ref, event: original } = await bridgedFromRemote(ctx, 'oops');
      await required(ctx.driver.delete, 'delete').call(ctx.driver, ref.id);
      await fromBridge(
        ctx,
        (e) => e.type === 'm.room.redaction' && (e.redacts ?? e.content.redacts) === original.event_id,
      );
    },
  },
  {
    id: 'reaction.matrix-to-remote',
    feature: 'reaction',
    direction: toRemote,
    title: 'a Matrix reaction appears on the bridged message on the network',
    async run(ctx) {
      const { eventId, remote } = await bridgedFromMatrix(ctx, 'react-to-me');
      await ctx.matrixUser.react(ctx.roomId, eventId, '👍');
      await ctx.driver.expectEvent(
        (e) => e.type === 'reaction' && e.targetId === remote.id && e.key === '👍',
        ctx.timeoutMs,
      );
    },
  },
  {
    id: 'reaction.remote-to-matrix',
    feature: 'reaction',
    direction: toMatrix,
    title: 'a reaction on the network becomes an m.annotation on the bridged event',
    async run(ctx) {
      const { ref, event: original } = await bridgedFromRemote(ctx, 'react-to-me');
      await required(ctx.driver.react, 'react').call(ctx.driver, ref.id, '👍');
      await fromBridge(
        ctx,
        (e) =>
          e.type === 'm.reaction' &&
          relation(e).rel_type === 'm.annotation' &&
          relation(e).event_id === original.event_id &&
          relation(e).key === '👍',
      );
    },
  },
  {
    id: 'image.matrix-to-remote',
    feature: 'image',
    direction: toRemote,
    title: 'an image from Matrix arrives on the network with the same bytes',
    async run(ctx) {
      const name = `${marker('pixel')}.png`;
      await ctx.matrixUser.sendImage(ctx.roomId, CONFORMANCE_PNG, name, 'image/png');
      const remote = await expectRemoteMessage(
        ctx.driver,
        (m) => m.attachments.some((a) => a.name === name || a.data.equals(CONFORMANCE_PNG)),
        ctx.timeoutMs,
      );
      assert.ok(
        remote.attachments.some((a) => a.data.equals(CONFORMANCE_PNG)),
        'the image bytes changed',
      );
    },
  },
  {
    id: 'image.remote-to-matrix',
    feature: 'image',
    direction: toMatrix,
    title: 'an image from the network arrives in Matrix as m.image with the same bytes',
    async run(ctx) {
      const name = `${marker('pixel')}.png`;
      await required(ctx.driver.postImage, 'postImage').call(ctx.driver, {
        name,
        mimetype: 'image/png',
        data: CONFORMANCE_PNG,
      });
      const event = await fromBridge(
        ctx,
        (e) => e.content.msgtype === 'm.image' && (bodyOf(e).includes(name) || e.content.filename === name),
      );
      assert.ok(
        (await ctx.matrixUser.downloadMedia(event.content.url as string)).equals(CONFORMANCE_PNG),
        'the image bytes changed',
      );
    },
  },
];
