/**
 * What a Matrix user told the bridge about themselves on each IRC network — a preferred nick and
 * services credentials — kept in the core's login store. Passwords are sealed with
 * {@link CredentialBox} before they are stored and never logged.
 */
import type { LoginStore } from '@trestle/core';
import { CredentialBox, type SealedSecret } from './credential-box';

export interface IrcAccount {
  account: string;
  password: string;
}

interface StoredNetworkLogin {
  nick?: string;
  account?: string;
  password?: SealedSecret;
  /** The room where the user stored the account: a refusal of it is reported there. */
  reportRoom?: string;
  /** Services refused this account and the user was told (once per stored password). */
  rejectionReported?: boolean;
}

export class LoginsNotConfiguredError extends Error {
  constructor() {
    super('storing IRC passwords needs `secretKey` in the bridge config; ask your bridge admin');
    this.name = 'LoginsNotConfiguredError';
  }
}

export class IrcLogins {
  private readonly box: CredentialBox | undefined;

  constructor(
    private readonly store: LoginStore,
    secretKey: string | undefined,
  ) {
    this.box = secretKey ? new CredentialBox(secretKey) : undefined;
  }

  get canStorePasswords(): boolean {
    return this.box !== undefined;
  }

  async setPreferredNick(userId: string, network: string, nick: string): Promise<void> {
    await this.update(userId, network, (n) => ({ ...n, nick }));
  }

  async account(userId: string, network: string): Promise<IrcAccount | undefined> {
    return this.unsealed((await this.read(userId))[network]);
  }

  /** The preferred nick and the account a new connection of the user uses, in one read of the store. */
  async forConnection(userId: string, network: string): Promise<{ nick?: string; account?: IrcAccount }> {
    const login = (await this.read(userId))[network];
    const account = this.unsealed(login);
    return { ...(login?.nick && { nick: login.nick }), ...(account && { account }) };
  }

  private unsealed(login: StoredNetworkLogin | undefined): IrcAccount | undefined {
    if (!login?.account || !login.password || !this.box) return undefined;
    return { account: login.account, password: this.box.open(login.password) };
  }

  /** Store an account; `reportRoom` is where the user is told if services ever refuse it. */
  async setAccount(userId: string, network: string, account: IrcAccount, reportRoom?: string): Promise<void> {
    if (!this.box) throw new LoginsNotConfiguredError();
    const password = this.box.seal(account.password);
    await this.update(userId, network, ({ nick }) => ({
      ...(nick && { nick }),
      account: account.account,
      password,
      ...(reportRoom && { reportRoom }),
    }));
  }

  async forgetAccount(userId: string, network: string): Promise<void> {
    await this.update(userId, network, ({ nick }) => (nick ? { nick } : {}));
  }

  /**
   * Services refused `account`: the room to tell the user in, the first time only for the stored
   * password (later refusals of it, on every reconnect, stay in the log). Undefined when the user
   * was told already, stored another account meanwhile, or stored it before rooms were recorded.
   */
  async claimRejectionReport(userId: string, network: string, account: string): Promise<string | undefined> {
    const login = (await this.read(userId))[network];
    if (!login?.reportRoom || login.account !== account || login.rejectionReported) return undefined;
    await this.update(userId, network, (n) => ({ ...n, rejectionReported: true }));
    return login.reportRoom;
  }

  private async read(userId: string): Promise<Record<string, StoredNetworkLogin>> {
    const record = await this.store.get(userId);
    return (record?.data.networks as Record<string, StoredNetworkLogin> | undefined) ?? {};
  }

  private async update(
    userId: string,
    network: string,
    change: (login: StoredNetworkLogin) => StoredNetworkLogin,
  ): Promise<void> {
    const networks = await this.read(userId);
    networks[network] = change(networks[network] ?? {});
    await this.store.put({ userId, remoteId: Object.keys(networks).join(','), data: { networks } });
  }
}
