/**
 * Nicks for Matrix users: the configured template filled in, cut down to what the server accepts
 * (RFC 2812 nick characters, ISUPPORT NICKLEN), and a predictable suffix when a nick is taken.
 */

/** What the server allows, from ISUPPORT (NICKLEN; RFC 1459's 9 when the server does not say). */
export interface NickRules {
  maxLength: number;
}

const FIRST_CHAR = /[A-Za-z[\]\\`_^{|}]/;
const OTHER_CHAR = /[A-Za-z0-9[\]\\`_^{|}-]/;

/** Replace what a nick cannot contain; never returns an empty or over-long nick. */
export function sanitiseNick(raw: string, rules: NickRules, fallback = 'matrix'): string {
  const kept = [...raw.normalize('NFKD')].filter((ch) => OTHER_CHAR.test(ch)).join('');
  // A nick cannot start with a digit or '-': prefix rather than drop, so "1direction" stays readable.
  const nick = kept && FIRST_CHAR.test(kept[0]!) ? kept : kept ? `_${kept}` : fallback;
  return nick.slice(0, rules.maxLength);
}

/**
 * Fill a template: `$DISPLAY` (display name) and `$LOCALPART` (localpart of the user id). The
 * variable part is shortened before the template's fixed text, so `$DISPLAY[m]` keeps its `[m]`.
 */
export function renderNick(
  template: string,
  user: { userId: string; displayName?: string },
  rules: NickRules,
): string {
  const localpart = user.userId.replace(/^@/, '').split(':')[0] ?? '';
  const clean = (s: string) => [...s.normalize('NFKD')].filter((ch) => OTHER_CHAR.test(ch)).join('');
  const values: Record<string, string> = {
    $DISPLAY: clean(user.displayName ?? '') || clean(localpart),
    $LOCALPART: clean(localpart),
  };
  const fixed = template.replace(/\$(DISPLAY|LOCALPART)/g, '');
  const room = Math.max(1, rules.maxLength - sanitiseNick(fixed, { maxLength: 1000 }, '').length);
  const filled = template.replace(/\$(DISPLAY|LOCALPART)/g, (v) => (values[v] ?? '').slice(0, room));
  return sanitiseNick(filled, rules, sanitiseNick(localpart, rules));
}

/** The nick to try after `attempt` collisions: `nick`, then `nick_2`, `nick_3` … within the length limit. */
export function nickCandidate(nick: string, attempt: number, rules: NickRules): string {
  if (attempt === 0) return nick.slice(0, rules.maxLength);
  const suffix = `_${attempt + 1}`;
  return nick.slice(0, Math.max(1, rules.maxLength - suffix.length)) + suffix;
}

/** NICKLEN from a server's ISUPPORT options. */
export function nickRulesFrom(isupport: Record<string, unknown>): NickRules {
  const len = Number(isupport.NICKLEN ?? isupport.MAXNICKLEN);
  return { maxLength: Number.isInteger(len) && len > 0 ? len : 9 };
}
