/**
 * What the ghost of a Telegram user or chat says when a Matrix user invites it into a direct chat the
 * bridge cannot make (see `directChatWithGhost` in the connector): why, and what to do instead.
 */

/** Where a Matrix user gets a pairing code, and where the Telegram user redeems it. */
export interface PairingPlaces {
  /** The bridge bot on Matrix, and the prefix of its commands in rooms. */
  botUserId: string;
  commandPrefix: string;
  /** The bot's username on Telegram (without `@`). */
  botUsername: string;
}

/** The Telegram user has not paired with the inviter (or paired with someone else): how to pair. */
export function notPairedAnswer(name: string | undefined, places: PairingPlaces): string {
  const who = name ?? 'This Telegram user';
  return (
    `${who} has not paired with you yet, so the bridge cannot write to them privately. To pair: send ` +
    `"${places.commandPrefix} pair" to ${places.botUserId} to get a code, and ask ${name ?? 'them'} to send ` +
    `"/pair <code>" to @${places.botUsername} on Telegram. Then invite them again, or wait for their first message.`
  );
}

/** The ghost that speaks for a group or channel (channel posts, anonymous admins) has no private chat. */
export const chatGhostAnswer =
  'This ghost speaks for a Telegram group or channel (its channel posts and anonymous admins), not for a ' +
  'person: there is no private chat to write to.';
