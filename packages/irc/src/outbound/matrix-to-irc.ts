/**
 * Matrix -> IRC: who speaks (the user's own virtual user, or the relay bot as `<name> text` when
 * virtual users are off or the network's limit is reached and `overLimit` allows it) and what they
 * say — messages with replies quoted, edits as correction lines, reactions as IRCv3 `+draft/react`
 * TAGMSGs (and readable actions when enabled), membership as JOIN/PART of the virtual user, and topics.
 */
import type { MatrixSideEvent, MatrixUser, RemoteRef } from '@trestle/core';
import { RemoteSendError } from '@trestle/core';
import { messageByteBudget } from '../format';
import type { NetworkRuntime } from '../network-runtime';
import { isLocalId, type IrcConnection, type OutgoingKind } from '../network/irc-connection';
import { messageLines, relayName } from './message-lines';

/** Who a line goes out from: a Matrix user's own connection, or the bot speaking for them. */
interface Speaker {
  connection: IrcConnection;
  /** The `<name>` the bot prefixes; undefined when the user speaks under their own nick. */
  relayedAs?: string;
}

export class MatrixToIrc {
  /**
   * @param target channel, or the IRC nick of a private chat
   * @param privateOwner for a private chat: the Matrix user whose virtual user talks to `target`
   */
  async send(
    runtime: NetworkRuntime,
    target: string,
    event: MatrixSideEvent,
    privateOwner?: string,
  ): Promise<RemoteRef[]> {
    const { bot, recent } = runtime;
    const budget = (kind: OutgoingKind) =>
      messageByteBudget({
        command: kind === 'notice' ? 'NOTICE' : 'PRIVMSG',
        target,
        action: kind === 'action',
      });
    const maxLines = bot.config.maxLinesPerMessage;
    switch (event.kind) {
      case 'message': {
        const speaker = await this.speakerFor(runtime, target, event.sender, privateOwner);
        const replyTo = event.replyTo && recent.get(event.replyTo.id);
        const out = messageLines({
          senderName: speaker.relayedAs,
          content: event.content,
          replyTo,
          budget,
          maxLines,
        });
        // Clients with IRCv3 replies thread the message; others still read the quote.
        const tags: Record<string, string> =
          event.replyTo && !isLocalId(event.replyTo.id) ? { '+draft/reply': event.replyTo.id } : {};
        return this.speak(runtime, speaker, event.sender, out.kind, target, out.lines, tags);
      }
      case 'edit': {
        const speaker = await this.speakerFor(runtime, target, event.sender, privateOwner);
        const out = messageLines({
          senderName: speaker.relayedAs,
          content: event.content,
          isEdit: true,
          budget,
          maxLines,
        });
        return this.speak(runtime, speaker, event.sender, out.kind, target, out.lines);
      }
      case 'reaction': {
        const speaker = await this.speakerFor(runtime, target, event.sender, privateOwner);
        await this.react(speaker, target, event.target.id, { '+draft/react': event.key });
        // The readable line is the admin's opt-in for channels whose people use clients without reactions.
        if (!bot.config.relay.reactions) return [];
        const original = recent.get(event.target.id);
        const about = original ? ` to ${original.nick}: "${original.text.slice(0, 40)}"` : '';
        const who = speaker.relayedAs === undefined ? '' : `${speaker.relayedAs} `;
        return this.speak(runtime, speaker, event.sender, 'action', target, [
          `${who}reacted ${event.key}${about}`,
        ]);
      }
      case 'reaction-removed': {
        const speaker = await this.speakerFor(runtime, target, event.sender, privateOwner);
        await this.react(speaker, target, event.target.id, { '+draft/unreact': event.key });
        return [];
      }
      case 'membership':
        if (privateOwner || !bot.isChannel(target)) return [];
        if (event.membership === 'join') {
          runtime.pool.acquire(event.sender)?.joinInBackground(target);
        } else if (event.membership === 'leave' || event.membership === 'kick') {
          runtime.pool.get(event.target)?.part(target, event.reason);
        }
        return [];
      case 'topic': {
        if (!bot.isChannel(target)) return [];
        const own = runtime.pool.get(event.sender.userId);
        const connection = own?.online && own.joinedChannels.length ? await own.ensureOnline() : bot;
        await connection.setTopic(target, event.topic);
        return [];
      }
      default:
        return [];
    }
  }

  private async speakerFor(
    runtime: NetworkRuntime,
    target: string,
    sender: MatrixUser,
    privateOwner: string | undefined,
  ): Promise<Speaker> {
    const { bot, pool } = runtime;
    if (privateOwner !== undefined && privateOwner !== sender.userId) {
      throw new RemoteSendError('only the Matrix user this private chat belongs to can write in it');
    }
    const own = pool.acquire(sender);
    if (own) {
      if (privateOwner !== undefined) return { connection: await own.ensureOnline() };
      await own.join(target);
      return { connection: await own.ensureOnline() };
    }
    if (pool.settings.enabled && (pool.settings.overLimit === 'refuse' || privateOwner !== undefined)) {
      throw new RemoteSendError(
        `no IRC connection is free for you on ${bot.config.name} (limit: ${pool.settings.maxConnections})`,
      );
    }
    if (!bot.config.relay.enabled) throw new RemoteSendError(`relaying is disabled on ${bot.config.name}`);
    return { connection: bot, relayedAs: relayName(sender.displayName) };
  }

  /** An IRCv3 reaction TAGMSG on a line with a server msgid (a made-up local id names nothing on IRC). */
  private async react(
    speaker: Speaker,
    target: string,
    msgid: string,
    tags: Record<string, string>,
  ): Promise<void> {
    if (isLocalId(msgid)) return;
    await speaker.connection.sendTags(target, { ...tags, '+draft/reply': msgid });
  }

  private async speak(
    runtime: NetworkRuntime,
    speaker: Speaker,
    sender: MatrixUser,
    kind: OutgoingKind,
    target: string,
    lines: string[],
    tags: Record<string, string> = {},
  ): Promise<RemoteRef[]> {
    const { connection, relayedAs } = speaker;
    if (relayedAs !== undefined) runtime.relayedNames.remember(relayedAs, sender.userId);
    const ids = await connection.send(kind, target, lines, tags);
    const nick = relayedAs ?? connection.nick;
    ids.forEach((id, i) =>
      runtime.recent.remember(id, { nick, text: stripRelayPrefix(lines[i] ?? '', relayedAs) }),
    );
    return ids.map((id, part) => ({ id, part }));
  }
}

/** `<Alice> text` -> `text`, so a quote of a relayed line does not repeat the name. */
const stripRelayPrefix = (line: string, relayedAs: string | undefined) =>
  relayedAs === undefined ? line : line.replace(/^<[^>]*> /, '');
