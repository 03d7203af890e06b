/**
 * Telling a Matrix user that services refused the account they stored with `login`: a notice in
 * the room where they stored it (their private room with the bot, or the management room), once
 * per stored password. Their connection goes on without an account meanwhile.
 */
import type { Logger } from '@trestle/core';
import type { LoginRejection } from '../network/services-login';
import type { IrcLogins } from './irc-logins';

/** The notice: which network and account, what services said, and the commands that fix it. */
export function loginRejectedNotice(network: string, rejection: LoginRejection): string {
  return [
    `⚠️ ${network}: services did not accept the password stored for your IRC account ${rejection.account} (${rejection.method}: ${rejection.reason}).`,
    `You are on ${network} as ${rejection.nick}, without an account.`,
    `To fix it, send the command "login ${network} <account> <password>" here again with the right password (then delete that message), or "logout ${network}" to stop logging in.`,
  ].join(' ');
}

export class LoginRejectionReports {
  constructor(
    private readonly logins: () => IrcLogins,
    private readonly notice: (roomId: string, text: string) => Promise<void>,
    private readonly log: Logger,
  ) {}

  /** Report a refusal to the user, if it is the first for the password they stored. Never rejects. */
  async report(userId: string, network: string, rejection: LoginRejection): Promise<void> {
    try {
      const room = await this.logins().claimRejectionReport(userId, network, rejection.account);
      if (room) await this.notice(room, loginRejectedNotice(network, rejection));
    } catch (err) {
      this.log.warn('could not tell a user their services login was refused', { network, user: userId, err });
    }
  }
}
