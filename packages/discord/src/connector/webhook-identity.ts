/**
 * The name a Matrix user gets on Discord. Discord lets a webhook post under any name, so the
 * bridge must make sure a Matrix user can pass neither for a Discord member nor for another
 * Matrix user, and must avoid words Discord refuses in webhook names.
 */
import type { MatrixUser } from '@trestle/core';

const MAX_WEBHOOK_NAME = 80;
const ZERO_WIDTH_SPACE = '\u200b';

/** Display names remembered by {@link WebhookIdentities} at most; past that the memo starts over. */
const MAX_FITTED = 10_000;

export class WebhookIdentities {
  /** Per guild: lowercased webhook name -> the Matrix user who holds it. */
  private readonly claimed = new Map<string, Map<string, string>>();
  /** Display name (and suffix) -> its webhook name, worked out once: it runs for every message. */
  private readonly fitted = new Map<string, string>();

  constructor(private readonly suffix: string) {}

  /**
   * The webhook username for `sender` in a guild. `memberNames` are the guild members' display
   * and user names; a clash with one, or with another Matrix user, adds the Matrix id.
   */
  nameFor(guildId: string, sender: MatrixUser, memberNames: (name: string) => boolean): string {
    const display = sender.displayName.trim() || sender.userId;
    const plain = this.fit(display, this.suffix);
    let claims = this.claimed.get(guildId);
    if (!claims) this.claimed.set(guildId, (claims = new Map()));
    const holder = claims.get(plain.toLowerCase());
    const clashes =
      memberNames(plain) || memberNames(display) || (holder !== undefined && holder !== sender.userId);
    const name = clashes ? this.fit(display, ` (${sender.userId})`) : plain;
    claims.set(name.toLowerCase(), sender.userId);
    return name;
  }

  private fit(display: string, suffix: string): string {
    const key = `${suffix}\n${display}`;
    let name = this.fitted.get(key);
    if (name === undefined) {
      if (this.fitted.size >= MAX_FITTED) this.fitted.clear();
      name = fit(display, suffix);
      this.fitted.set(key, name);
    }
    return name;
  }
}

/** `name + suffix` within Discord's 80 characters, with forbidden words broken up. */
function fit(name: string, suffix: string): string {
  const room = MAX_WEBHOOK_NAME - suffix.length;
  const trimmed = [...name].slice(0, Math.max(1, room)).join('');
  return defuseForbiddenWords(trimmed + suffix);
}

/** Discord rejects webhook names containing "discord", "clyde" or ``` and ones equal to everyone/here. */
function defuseForbiddenWords(name: string): string {
  const defused = name
    .replace(/(d)(iscord)/gi, `$1${ZERO_WIDTH_SPACE}$2`)
    .replace(/(c)(lyde)/gi, `$1${ZERO_WIDTH_SPACE}$2`)
    .replace(/```/g, '`\u200b``');
  return /^(everyone|here)$/i.test(defused) ? `${defused}${ZERO_WIDTH_SPACE}` : defused;
}
