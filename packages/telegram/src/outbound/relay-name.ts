/**
 * The prefix that tells Telegram readers which Matrix user a relayed message is from, e.g.
 * "**Alice**: ". Rendered from a configured format with `$NAME`, `$DISPLAYNAME`, `$USERID` and
 * the tags <b>, <i>, <u>, <code>. `$NAME` adds the Matrix id when two senders in one chat share
 * a display name, so they cannot pass for each other.
 */
import type { Inline, MatrixUser } from '@trestle/core';
import { inlinesToTelegram, type TelegramText } from '../format';

const tagTypes: Record<string, 'bold' | 'italic' | 'underline' | 'code'> = {
  b: 'bold',
  i: 'italic',
  u: 'underline',
  code: 'code',
};

/** Rendered prefixes kept at most (a busy bridge renders the same few senders over and over). */
const renderedLimit = 1000;

export class RelayNames {
  /** chat id -> display name -> Matrix ids seen using it. */
  private readonly seen = new Map<string, Map<string, Set<string>>>();
  /** Expanded format -> its rendering (treated as read-only by callers). */
  private readonly rendered = new Map<string, TelegramText>();

  /** Render `format` for `sender` in `chatId`. */
  prefix(format: string, chatId: string, sender: MatrixUser): TelegramText {
    const displayName = sender.displayName || sender.userId;
    const name = this.isAmbiguous(chatId, sender) ? `${displayName} (${sender.userId})` : displayName;
    const expanded = format
      .replaceAll('$DISPLAYNAME', displayName)
      .replaceAll('$USERID', sender.userId)
      .replaceAll('$NAME', name);
    let text = this.rendered.get(expanded);
    if (!text) {
      if (this.rendered.size >= renderedLimit) this.rendered.clear();
      text = inlinesToTelegram(parseFormat(expanded));
      this.rendered.set(expanded, text);
    }
    return text;
  }

  private isAmbiguous(chatId: string, sender: MatrixUser): boolean {
    const byName = this.seen.get(chatId) ?? new Map<string, Set<string>>();
    this.seen.set(chatId, byName);
    const users = byName.get(sender.displayName) ?? new Set<string>();
    users.add(sender.userId);
    byName.set(sender.displayName, users);
    return users.size > 1;
  }
}

/** Parse the tiny tag language of the format into inline IR; unknown tags stay literal text. */
function parseFormat(format: string): Inline[] {
  const root: Inline[] = [];
  const stack: Array<{ tag: string; children: Inline[] }> = [];
  const current = () => stack[stack.length - 1]?.children ?? root;
  for (const token of format.split(/(<\/?(?:b|i|u|code)>)/)) {
    const open = /^<(b|i|u|code)>$/.exec(token);
    const close = /^<\/(b|i|u|code)>$/.exec(token);
    if (open) stack.push({ tag: open[1]!, children: [] });
    else if (close && stack[stack.length - 1]?.tag === close[1]) {
      const { tag, children } = stack.pop()!;
      const type = tagTypes[tag]!;
      current().push(
        type === 'code'
          ? { type, text: children.map((c) => (c.type === 'text' ? c.text : '')).join('') }
          : { type, children },
      );
    } else if (token) current().push({ type: 'text', text: token });
  }
  // Unclosed tags keep their content as plain text.
  while (stack.length > 0) {
    const { children } = stack.pop()!;
    current().push(...children);
  }
  return root;
}
