/**
 * The core's rich-text IR -> Discord markdown. User text is escaped (see `escape.ts`), so only the
 * IR's own structure turns into markdown and Matrix text cannot inject mentions or formatting.
 */
import type { Block, Inline, MentionTarget, RichText } from '@trestle/core';
import { escapeDiscordText, neutraliseMassMentions } from './escape';

export interface IrToDiscordOptions {
  /** Write `@everyone` for an IR `everyone` mention (else it is defused text). Default false. */
  allowEveryone?: boolean;
  /** The guild emoji id for a custom emoji name, to send `<:name:id>` instead of the fallback. */
  customEmoji?(name: string): { id: string; animated: boolean } | undefined;
}

const ZERO_WIDTH_SPACE = '\u200b';

export function irToDiscord(ir: RichText, options: IrToDiscordOptions = {}): string {
  return new DiscordRenderer(options).blocks(ir.blocks, '\n\n');
}

class DiscordRenderer {
  constructor(private readonly options: IrToDiscordOptions) {}

  blocks(blocks: Block[], separator: string): string {
    return blocks.map((b) => this.block(b)).join(separator);
  }

  private block(block: Block): string {
    switch (block.type) {
      case 'paragraph':
        return this.inlines(block.children, true);
      case 'heading':
        // Discord has three heading sizes; deeper ones render as the smallest.
        return `${'#'.repeat(Math.min(block.level, 3))} ${this.inlines(block.children, false)}`;
      case 'codeblock':
        return `\`\`\`${block.language && /^[\w+#.-]{1,32}$/.test(block.language) ? block.language : ''}\n${breakFences(block.text)}\n\`\`\``;
      case 'quote':
        // Discord cannot nest quotes: nested ones are flattened into the outer one.
        return this.flattenQuote(block.children)
          .split('\n')
          .map((line) => (line ? `> ${line}` : '>'))
          .join('\n');
      case 'list':
        return block.items
          .map((item, i) => {
            const marker = block.ordered ? `${(block.start ?? 1) + i}.` : '-';
            const body = this.blocks(item, '\n').split('\n');
            return [`${marker} ${body[0] ?? ''}`, ...body.slice(1).map((l) => `  ${l}`)].join('\n');
          })
          .join('\n');
      case 'rule':
        return '───';
    }
  }

  private flattenQuote(children: Block[]): string {
    return children
      .map((b) => (b.type === 'quote' ? this.flattenQuote(b.children) : this.block(b)))
      .join('\n');
  }

  /** `lineStart`: whether the first inline begins a line (so `#`, `>`, `-` must be escaped). */
  private inlines(nodes: Inline[], lineStart: boolean): string {
    let out = '';
    for (const node of nodes) {
      out += this.inline(node, out === '' ? lineStart : out.endsWith('\n'));
    }
    return out;
  }

  private inline(node: Inline, lineStart: boolean): string {
    switch (node.type) {
      case 'text':
        return escapeDiscordText(node.text, lineStart);
      case 'linebreak':
        return '\n';
      case 'bold':
        return this.wrap('**', node.children);
      case 'italic':
        return this.wrap('*', node.children);
      case 'underline':
        return this.wrap('__', node.children);
      case 'strike':
        return this.wrap('~~', node.children);
      case 'spoiler':
        return this.wrap('||', node.children);
      case 'superscript':
      case 'subscript':
      case 'color':
        return this.inlines(node.children, lineStart);
      case 'code':
        return inlineCode(node.text);
      case 'link':
        return this.link(node.href, node.children, lineStart);
      case 'mention':
        return this.mention(node.target, node.text, lineStart);
      case 'emoji': {
        const custom = this.options.customEmoji?.(node.name);
        if (custom) return `<${custom.animated ? 'a' : ''}:${node.name}:${custom.id}>`;
        return escapeDiscordText(node.fallback, lineStart);
      }
    }
  }

  private wrap(delim: string, children: Inline[]): string {
    const inner = this.inlines(children, false);
    if (inner === '') return '';
    // A delimiter cannot wrap text that starts or ends with whitespace in Discord; keep it outside.
    const lead = /^\s*/.exec(inner)![0];
    const trail = /\s*$/.exec(inner.slice(lead.length))![0];
    const core = inner.slice(lead.length, inner.length - trail.length);
    if (core === '') return inner;
    return `${lead}${delim}${core}${delim}${trail}`;
  }

  private link(href: string, children: Inline[], lineStart: boolean): string {
    const label = this.inlines(children, lineStart);
    const plainLabel = children.length === 1 && children[0]!.type === 'text' ? children[0]!.text : undefined;
    if (!/^https?:\/\//i.test(href)) return label;
    if (plainLabel === href) return escapeDiscordText(href, lineStart);
    return `[${label}](${href.replace(/[()\s]/g, percentEncode)})`;
  }

  private mention(target: MentionTarget, text: string, lineStart: boolean): string {
    switch (target.kind) {
      case 'user':
        return target.remoteId ? `<@${target.remoteId}>` : escapeDiscordText(text, lineStart);
      case 'channel':
        return target.remoteId ? `<#${target.remoteId}>` : escapeDiscordText(text, lineStart);
      case 'role':
        return `<@&${target.remoteId}>`;
      case 'everyone':
        return this.options.allowEveryone ? '@everyone' : neutraliseMassMentions('@everyone');
    }
  }
}

function percentEncode(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}

/** Inline code that may itself contain backticks. */
function inlineCode(text: string): string {
  if (text === '') return '';
  if (!text.includes('`')) return `\`${text}\``;
  if (!text.includes('``')) return `\`\` ${text} \`\``;
  return `\`\` ${breakFences(text).replace(/``/g, `\`${ZERO_WIDTH_SPACE}\``)} \`\``;
}

/** Keep ``` inside a code block from closing it. */
function breakFences(text: string): string {
  return text.replace(/```/g, `\`${ZERO_WIDTH_SPACE}\`\``);
}
