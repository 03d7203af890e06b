/**
 * Matrix identifiers inside links: `https://matrix.to/#/...` permalinks and `matrix:` URIs
 * (spec appendices, "Matrix URI scheme" and "matrix.to navigation").
 */

/** What a Matrix link points at, when it points at a user or a room (not at one event). */
export type MatrixLinkTarget = { kind: 'user'; matrixId: string } | { kind: 'room'; matrixId: string };

const MATRIX_TO = /^https?:\/\/(?:www\.)?matrix\.to\/#\/([^?]*)/i;
const MATRIX_URI = /^matrix:(u|r|roomid)\/([^?#]*)/i;
const SIGILS: Record<string, string> = { u: '@', r: '#', roomid: '!' };

function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

function classify(id: string | undefined): MatrixLinkTarget | undefined {
  // An identifier is a sigil, a localpart and a server name; anything shorter is not one.
  if (!id || id.length < 4 || !id.includes(':')) return undefined;
  switch (id[0]) {
    case '@':
      return { kind: 'user', matrixId: id };
    case '#':
    case '!':
      return { kind: 'room', matrixId: id };
    default:
      return undefined;
  }
}

/**
 * Reads a user or room out of a matrix.to permalink or a `matrix:` URI.
 * Returns `undefined` for anything else, including links to a single event (those stay links).
 */
export function parseMatrixLink(href: string): MatrixLinkTarget | undefined {
  const trimmed = href.trim();
  const permalink = MATRIX_TO.exec(trimmed);
  if (permalink) {
    const path = permalink[1]!;
    // User ids may contain '/' (the spec allows it in localparts, and Element does not encode it in pills),
    // and a user link never has an event part, so a user link is the whole path. For rooms, a second
    // segment means a link to one event.
    if (path.startsWith('@') || path.toLowerCase().startsWith('%40')) return classify(decode(path));
    const segments = path.split('/');
    if (segments.length !== 1) return undefined;
    return classify(decode(segments[0]!));
  }
  const uri = MATRIX_URI.exec(trimmed);
  if (uri) {
    const segments = uri[2]!.split('/');
    if (segments.length !== 1) return undefined;
    const localAndServer = decode(segments[0]!);
    return localAndServer ? classify(SIGILS[uri[1]!.toLowerCase()]! + localAndServer) : undefined;
  }
  return undefined;
}

/**
 * A matrix.to permalink for a user ID, room ID or room alias, as Element writes pills:
 * the identifier's usual characters stay readable, anything else is percent-encoded.
 */
export function matrixToPermalink(matrixId: string): string {
  const encoded = encodeURIComponent(matrixId).replace(/%(40|3A|21|23|2B|24)/gi, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
  return `https://matrix.to/#/${encoded}`;
}
