/**
 * IRC ban masks (`nick!ident@host` with `*` and `?` wildcards), matched the way servers do: the whole
 * hostmask, case-folded with the server's CASEMAPPING.
 */

/** A user as a ban mask sees them. */
export interface Hostmask {
  nick: string;
  ident: string;
  host: string;
}

/** True when `mask` covers `user`; a mask without `!` or `@` is completed as servers do (`nick!*@*`). */
export function banMaskMatches(mask: string, user: Hostmask, fold: (s: string) => string): boolean {
  const full = completeMask(mask);
  const pattern = globToRegExp(fold(full));
  return pattern.test(fold(`${user.nick}!${user.ident}@${user.host}`));
}

/** `bob` -> `bob!*@*`, `*@host` -> `*!*@host`, `bob!x` -> `bob!x@*`. */
function completeMask(mask: string): string {
  if (mask.includes('!')) return mask.includes('@') ? mask : `${mask}@*`;
  return mask.includes('@') ? `*!${mask}` : `${mask}!*@*`;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}
