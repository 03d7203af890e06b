/** The conformance-suite driver for the loopback network: acts as a network user, watches what the bridge posts. */
import { irToPlainText } from '@trestle/core';
import type {
  ObservedRemoteEvent,
  ObservedRemoteMessage,
  RemoteAttachment,
  RemoteDriver,
  RemoteMessageRef,
  RemotePost,
} from '../conformance/remote-driver';
import type { LoopbackEvent, LoopbackMessage, LoopbackNetwork, LoopbackUser } from './loopback-network';

export class LoopbackDriver implements RemoteDriver {
  constructor(
    private readonly network: LoopbackNetwork,
    readonly chatId: string,
    private readonly user: LoopbackUser = { id: 'conformance-tester', name: 'Conformance Tester' },
  ) {}

  portalAlias(): string {
    return `#loopback_${this.chatId}`;
  }

  async post(message: RemotePost): Promise<RemoteMessageRef> {
    const m = this.network.post(this.chatId, this.user, irToPlainText(message.body), {
      rich: message.body,
      style: message.kind ?? 'text',
      replyTo: message.replyTo,
    });
    return { id: m.id };
  }

  async postImage(image: RemoteAttachment): Promise<RemoteMessageRef> {
    const file = {
      name: image.name,
      mimetype: image.mimetype ?? 'application/octet-stream',
      data: image.data.toString('base64'),
    };
    return { id: this.network.post(this.chatId, this.user, image.name, { file }).id };
  }

  async edit(messageId: string, message: RemotePost): Promise<void> {
    this.network.edit(messageId, this.user, irToPlainText(message.body), message.body);
  }

  async delete(messageId: string): Promise<void> {
    this.network.delete(messageId, this.user);
  }

  async react(messageId: string, key: string): Promise<void> {
    this.network.react(messageId, this.user, key);
  }

  expectEvent(
    predicate: (event: ObservedRemoteEvent) => boolean,
    timeoutMs: number,
  ): Promise<ObservedRemoteEvent> {
    return this.network.waitFor(
      (net) =>
        net
          .events()
          .filter((e) => e.origin === 'bridge')
          .map((e) => this.observe(e))
          .find((e): e is ObservedRemoteEvent => e !== undefined && predicate(e)),
      timeoutMs,
    );
  }

  private observe(e: LoopbackEvent): ObservedRemoteEvent | undefined {
    switch (e.type) {
      case 'message':
        return e.message.chatId === this.chatId
          ? { type: 'message', message: observed(e.message) }
          : undefined;
      case 'edit': {
        if (e.chatId !== this.chatId) return undefined;
        const target = this.network.message(e.messageId);
        return target
          ? {
              type: 'edit',
              targetId: e.messageId,
              message: { ...observed(target), text: e.text, rich: e.rich },
            }
          : undefined;
      }
      case 'delete':
        return e.chatId === this.chatId ? { type: 'delete', targetId: e.messageId } : undefined;
      case 'reaction':
        return e.chatId === this.chatId ? { type: 'reaction', targetId: e.messageId, key: e.key } : undefined;
      default:
        return undefined;
    }
  }
}

function observed(m: LoopbackMessage): ObservedRemoteMessage {
  return {
    id: m.id,
    kind: m.style ?? 'text',
    text: m.text,
    rich: m.rich,
    replyTo: m.replyTo,
    attachments: m.file
      ? [{ name: m.file.name, mimetype: m.file.mimetype, data: Buffer.from(m.file.data, 'base64') }]
      : [],
    senderName: m.sender.name,
  };
}
