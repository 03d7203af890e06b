/**
 * The core's rich-text IR -> Telegram text + entities (offsets in UTF-16 code units, which is
 * what JavaScript string lengths count).
 *
 * Telegram has no headings, lists, rules, colours or super/subscript: headings become bold lines,
 * lists become "• " / "1. " lines, rules a line of "———", and the rest keep their text. Blockquotes
 * cannot nest on Telegram, so an inner quote is merged into the outer one. Mentions become a
 * `text_mention` when the caller can name a Telegram user id, plain text otherwise.
 */
import type { Block, Inline, MentionTarget, RichText } from '@trestle/core';
import type { MessageEntity } from 'telegraf/types';

export interface TelegramText {
  text: string;
  entities: MessageEntity[];
}

export interface IrToTelegramOptions {
  /**
   * The Telegram user id a mention should point at (a Telegram user's ghost), or undefined to
   * write the mention as text (e.g. a Matrix user, who has no Telegram account).
   */
  telegramUserId?(target: MentionTarget): number | undefined;
}

const ruleText = '———';

/** Render rich text as Telegram text with entities. */
export function irToTelegram(rich: RichText, options: IrToTelegramOptions = {}): TelegramText {
  const writer = new EntityWriter(options);
  writer.blocks(rich.blocks, false);
  return {
    text: writer.text,
    entities: writer.entities.sort((a, b) => a.offset - b.offset || b.length - a.length),
  };
}

/** Render inline content only (e.g. a relay name prefix). */
export function inlinesToTelegram(nodes: readonly Inline[], options: IrToTelegramOptions = {}): TelegramText {
  const writer = new EntityWriter(options);
  writer.inlines(nodes);
  return { text: writer.text, entities: writer.entities };
}

class EntityWriter {
  text = '';
  entities: MessageEntity[] = [];

  constructor(private readonly options: IrToTelegramOptions) {}

  blocks(blocks: readonly Block[], inQuote: boolean): void {
    blocks.forEach((block, index) => {
      if (index > 0) this.text += '\n';
      this.block(block, inQuote);
    });
  }

  inlines(nodes: readonly Inline[]): void {
    for (const node of nodes) this.inline(node);
  }

  private block(block: Block, inQuote: boolean): void {
    switch (block.type) {
      case 'paragraph':
        return this.inlines(block.children);
      case 'heading':
        return this.wrap({ type: 'bold' }, () => this.inlines(block.children));
      case 'codeblock':
        this.startLine();
        return this.wrap(
          block.language ? { type: 'pre', language: block.language } : { type: 'pre' },
          () => (this.text += block.text),
        );
      case 'quote':
        if (inQuote) return this.blocks(block.children, true);
        this.startLine();
        return this.wrap({ type: 'blockquote' }, () => this.blocks(block.children, true));
      case 'list':
        return this.list(block, inQuote, '');
      case 'rule':
        this.text += ruleText;
        return;
    }
  }

  private list(list: Extract<Block, { type: 'list' }>, inQuote: boolean, indent: string): void {
    list.items.forEach((item, index) => {
      if (index > 0) this.text += '\n';
      this.text += indent + (list.ordered ? `${(list.start ?? 1) + index}. ` : '• ');
      item.forEach((block, blockIndex) => {
        if (blockIndex > 0) this.text += '\n';
        if (block.type === 'list') this.list(block, inQuote, `${indent}  `);
        else this.block(block, inQuote);
      });
    });
  }

  private inline(node: Inline): void {
    switch (node.type) {
      case 'text':
        this.text += node.text;
        return;
      case 'linebreak':
        this.text += '\n';
        return;
      case 'bold':
      case 'italic':
      case 'underline':
      case 'spoiler':
        return this.wrap({ type: node.type }, () => this.inlines(node.children));
      case 'strike':
        return this.wrap({ type: 'strikethrough' }, () => this.inlines(node.children));
      case 'superscript':
      case 'subscript':
      case 'color':
        return this.inlines(node.children);
      case 'code':
        return this.wrap({ type: 'code' }, () => (this.text += node.text));
      case 'link':
        return this.link(node);
      case 'mention':
        return this.mention(node);
      case 'emoji':
        this.text += node.fallback;
        return;
    }
  }

  private link(node: Extract<Inline, { type: 'link' }>): void {
    if (/^(https?|tg):/i.test(node.href)) {
      return this.wrap({ type: 'text_link', url: node.href }, () => this.inlines(node.children));
    }
    // Telegram links only web and tg: URLs; spell others (mailto:, matrix: …) out.
    const start = this.text.length;
    this.inlines(node.children);
    const label = this.text.slice(start);
    const target = node.href.replace(/^mailto:/i, '');
    if (label === '') this.text += target;
    else if (label !== target) this.text += ` (${target})`;
  }

  private mention(node: Extract<Inline, { type: 'mention' }>): void {
    const userId = this.options.telegramUserId?.(node.target);
    if (userId === undefined) {
      this.text += node.text;
      return;
    }
    this.wrap(
      { type: 'text_mention', user: { id: userId, is_bot: false, first_name: node.text } },
      () => (this.text += node.text),
    );
  }

  /** Telegram shows pre and blockquote as blocks: start them on a line of their own. */
  private startLine(): void {
    if (this.text.length > 0 && !this.text.endsWith('\n')) this.text += '\n';
  }

  /** Write content and cover it with an entity (dropped when empty, as Telegram would). */
  private wrap(entity: DistributiveOmit<MessageEntity, 'offset' | 'length'>, write: () => void): void {
    const offset = this.text.length;
    write();
    const length = this.text.length - offset;
    if (length > 0) this.entities.push({ ...entity, offset, length } as MessageEntity);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
