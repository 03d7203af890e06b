/**
 * Map any remote id to a valid Matrix localpart and back, following the spec's recommended
 * "mapping from other character sets": lowercase letters, digits and `-.=/` pass; `_` becomes `__`;
 * an uppercase letter becomes `_` + its lowercase; anything else becomes `=` + two hex digits per UTF-8 byte.
 */
const PLAIN_LOCALPART = /^[a-z0-9\-./]*$/;

export function escapeLocalpart(id: string): string {
  if (PLAIN_LOCALPART.test(id)) return id; // most remote ids (numbers, lowercase nicks) pass as they are
  let out = '';
  for (const byte of Buffer.from(id, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[a-z0-9\-./]/.test(ch)) out += ch;
    else if (ch === '_') out += '__';
    else if (/[A-Z]/.test(ch)) out += '_' + ch.toLowerCase();
    else out += '=' + byte.toString(16).padStart(2, '0');
  }
  return out;
}

/** Inverse of {@link escapeLocalpart}; returns undefined for strings it could not have produced. */
export function unescapeLocalpart(localpart: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < localpart.length; i++) {
    const ch = localpart[i]!;
    if (ch === '_') {
      const next = localpart[i + 1];
      if (next === '_') bytes.push(0x5f);
      else if (next && /[a-z]/.test(next)) bytes.push(next.toUpperCase().charCodeAt(0));
      else return undefined;
      i++;
    } else if (ch === '=') {
      const hex = localpart.slice(i + 1, i + 3);
      if (!/^[0-9a-f]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(ch.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}
