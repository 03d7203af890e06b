import { hash } from 'node:crypto';

/**
 * The Matrix transaction id for one part of one remote event. Deterministic, so that a retry or a
 * replay after a crash reuses it and the homeserver answers with the event it already has
 * instead of posting the message twice.
 */
export function remoteTransactionId(
  network: string,
  chatId: string,
  remoteId: string,
  part: number | string,
): string {
  const digest = hash('sha256', `${network}\0${chatId}\0${remoteId}\0${part}`, 'base64url');
  return `trestle.${digest.slice(0, 32)}`;
}
