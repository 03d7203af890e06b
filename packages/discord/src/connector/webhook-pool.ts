/** One bridge-owned webhook per Discord channel, found or created on first use and then cached. */
import type { Client, TextChannel, Webhook } from 'discord.js';

export class WebhookPool {
  private readonly byChannel = new Map<string, Promise<Webhook>>();
  /** Ids of the bridge's own webhooks, to recognise their echoes. */
  readonly ownIds = new Set<string>();

  constructor(
    private readonly client: Client<true>,
    private readonly name: string,
  ) {}

  /** The bridge's webhook in a text channel (threads use their parent's webhook with `threadId`). */
  forChannel(channel: TextChannel): Promise<Webhook> {
    let pending = this.byChannel.get(channel.id);
    if (!pending) {
      pending = this.findOrCreate(channel);
      // A failure (e.g. missing Manage Webhooks) must not be cached forever.
      pending.catch(() => this.byChannel.delete(channel.id));
      this.byChannel.set(channel.id, pending);
    }
    return pending;
  }

  /**
   * Forget a channel's webhook that Discord no longer knows (someone deleted it): the next use finds or
   * creates another. Its id stays known, so its late echoes are still recognised.
   */
  forget(channelId: string): void {
    this.byChannel.delete(channelId);
  }

  /** True for messages posted by one of the bridge's webhooks (its echoes). */
  isOwn(webhookId: string | null, applicationId: string | null): boolean {
    if (!webhookId) return false;
    return (
      this.ownIds.has(webhookId) || (applicationId !== null && applicationId === this.client.application?.id)
    );
  }

  private async findOrCreate(channel: TextChannel): Promise<Webhook> {
    const existing = await channel.fetchWebhooks();
    const mine = existing.find((w) => w.owner?.id === this.client.user.id && w.name === this.name && w.token);
    const webhook =
      mine ??
      (await channel.createWebhook({ name: this.name, reason: 'Matrix bridge: relays Matrix users' }));
    this.ownIds.add(webhook.id);
    return webhook;
  }
}
