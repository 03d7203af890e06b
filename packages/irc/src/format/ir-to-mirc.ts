/* eslint-disable no-control-regex -- IRC formatting and line structure are made of control characters */
/**
 * IR -> mIRC control codes. The result is a list of lines (IRC has no multi-line messages);
 * the splitter later fits each line into the 512-byte limit.
 *
 * IRC cannot express everything the IR can, so: mentions become the nick, links `text (url)`
 * (just the URL when the text is the URL), code blocks monospace lines, quotes `> ` lines, lists
 * `- ` / `1. ` lines, headings bold lines, spoilers text coloured like its background (IRC's
 * convention, readable by selecting it; clients that strip colour show it plainly).
 */
import type { Block, Inline, MentionTarget, RichText } from '@trestle/core';
import { CONTROL, colorCode, PLAIN_STYLE, type MircStyle, type ToggleStyle } from './mirc-style';
import { MIRC_PALETTE } from './mirc-colors';
import { stripMircFormatting } from './strip';
import { nickOfGhostId } from '../ids';

const SPOILER_COLOR = MIRC_PALETTE[1]!; // black on black

/** Render a document as IRC lines with mIRC formatting. Empty lines are dropped. Never throws. */
export function irToMircLines(doc: RichText): string[] {
  return blocksToLines(doc.blocks).filter((line) => stripMircFormatting(line).trim() !== '');
}

/** Render inline nodes as one string; `\n` separates lines where the IR had line breaks. */
export function inlinesToMirc(inlines: Inline[]): string {
  const writer = new StyledWriter();
  writer.inlines(inlines, { ...PLAIN_STYLE });
  return writer.finish();
}

function blocksToLines(blocks: Block[]): string[] {
  return blocks.flatMap(blockToLines);
}

function blockToLines(block: Block): string[] {
  switch (block.type) {
    case 'paragraph':
      return inlinesToMirc(block.children).split('\n');
    case 'heading':
      return inlinesToMirc([{ type: 'bold', children: block.children }]).split('\n');
    case 'codeblock':
      return block.text
        .replace(/\r\n?/g, '\n')
        .replace(/\n$/, '')
        .split('\n')
        .map((line) => (line.trim() ? CONTROL.monospace + sanitiseText(line) + CONTROL.monospace : ''));
    case 'quote':
      return blocksToLines(block.children).map((line) => `> ${line}`);
    case 'list':
      return block.items.flatMap((item, index) => {
        const marker = block.ordered ? `${(block.start ?? 1) + index}. ` : '- ';
        const lines = blocksToLines(item);
        return lines.map((line, i) => (i === 0 ? marker : ' '.repeat(marker.length)) + line);
      });
    case 'rule':
      return ['----'];
  }
}

/** Text from Matrix must not smuggle control codes (CTCP \x01, formatting, NUL) onto IRC. */
function sanitiseText(text: string): string {
  return text
    .replace(/\t/g, ' ')
    .replace(/\r\n?/g, '\n')
    .replace(/[\x00-\x09\x0b-\x1f\x7f]/g, '');
}

/** The nick a mention shows on IRC: the nick from an IRC ghost's id (`network.nick`), else its text. */
function mentionText(target: MentionTarget, text: string): string {
  const nick = target.kind === 'user' && target.remoteId ? nickOfGhostId(target.remoteId) : undefined;
  return nick ?? text;
}

/** Writes text while tracking the mIRC style in effect, emitting only the codes that change it. */
class StyledWriter {
  private out = '';
  private current: MircStyle = { ...PLAIN_STYLE };
  /** Set right after a colour code, to guard against the following text extending it. */
  private lastColorCode: string | undefined;

  inlines(nodes: Inline[], style: MircStyle): void {
    for (const node of nodes) this.inline(node, style);
  }

  /** Close whatever is open, so the text can be embedded and the line ends plain. */
  finish(): string {
    this.transition({ ...PLAIN_STYLE });
    return this.out;
  }

  private inline(node: Inline, style: MircStyle): void {
    switch (node.type) {
      case 'text':
        return this.text(sanitiseText(node.text), style);
      case 'linebreak':
        return this.text('\n', style);
      case 'bold':
      case 'italic':
      case 'underline':
        return this.inlines(node.children, { ...style, [node.type]: true });
      case 'strike':
        return this.inlines(node.children, { ...style, strike: true });
      case 'superscript':
      case 'subscript':
        return this.inlines(node.children, style);
      case 'spoiler':
        return this.inlines(node.children, { ...style, fg: SPOILER_COLOR, bg: SPOILER_COLOR });
      case 'code':
        return this.text(sanitiseText(node.text).replace(/\n/g, ' '), { ...style, monospace: true });
      case 'color': {
        const next = { ...style };
        if (node.fg) next.fg = node.fg.toLowerCase();
        if (node.bg) next.bg = node.bg.toLowerCase();
        return this.inlines(node.children, next);
      }
      case 'link': {
        const label = stripMircFormatting(inlinesToMirc(node.children));
        this.inlines(node.children, style);
        if (label.trim() !== node.href && label.trim() !== node.href.replace(/^mailto:/, '')) {
          this.text(` (${sanitiseText(node.href)})`, style);
        }
        return;
      }
      case 'mention':
        return this.text(sanitiseText(mentionText(node.target, node.text)), style);
      case 'emoji':
        return this.text(sanitiseText(node.fallback), style);
    }
  }

  private text(text: string, style: MircStyle): void {
    if (!text) return;
    // Formatting never spans lines: each IRC line starts plain, so close before and reopen after.
    const [first, ...rest] = text.split('\n');
    this.styledText(first!, style);
    for (const line of rest) {
      this.transition({ ...PLAIN_STYLE });
      this.out += '\n';
      this.styledText(line, style);
    }
  }

  private styledText(text: string, style: MircStyle): void {
    if (!text) return;
    this.transition(style);
    if (this.lastColorCode !== undefined && needsGuard(this.lastColorCode, text)) {
      // A digit or comma right after a colour code would be read as part of it: a bold on/off pair separates them.
      this.out += CONTROL.bold + CONTROL.bold;
    }
    this.lastColorCode = undefined;
    this.out += text;
  }

  private transition(next: MircStyle): void {
    const cur = this.current;
    const toggles: ToggleStyle[] = ['bold', 'italic', 'underline', 'strike', 'monospace'];
    const toggleChars: Record<ToggleStyle, string> = {
      bold: CONTROL.bold,
      italic: CONTROL.italic,
      underline: CONTROL.underline,
      strike: CONTROL.strike,
      monospace: CONTROL.monospace,
      reverse: CONTROL.reverse,
    };
    for (const t of toggles) if (cur[t] !== next[t]) this.out += toggleChars[t];
    if (cur.fg !== next.fg || cur.bg !== next.bg) {
      let code = '';
      // A colour code cannot unset only the background: clear all colour first.
      if ((cur.bg !== undefined && next.bg === undefined) || (next.fg === undefined && next.bg === undefined))
        code += CONTROL.color;
      if (next.fg !== undefined || next.bg !== undefined) code += colorCode(next.fg, next.bg);
      this.out += code;
      this.lastColorCode = code;
    }
    this.current = { ...next };
  }
}

function needsGuard(code: string, text: string): boolean {
  const hasBg = code.includes(',');
  if (code.endsWith(CONTROL.color)) return /^\d/.test(text) || text.startsWith(',');
  if (code.endsWith(CONTROL.hexColor)) return /^[0-9a-fA-F]/.test(text) || text.startsWith(',');
  return !hasBg && text.startsWith(',');
}
