import { describe, expect, it } from '@jest/globals';
import type { LoginRecord, LoginStore } from '@trestle/core';
import { CredentialDecryptError } from './credential-box';
import { IrcLogins, LoginsNotConfiguredError } from './irc-logins';

function memoryLoginStore(): LoginStore & { rows: Map<string, LoginRecord> } {
  const rows = new Map<string, LoginRecord>();
  return {
    rows,
    get: async (id) => structuredClone(rows.get(id)),
    put: async (r) => void rows.set(r.userId, structuredClone(r)),
    remove: async (id) => void rows.delete(id),
  };
}

const KEY = 'a-long-enough-test-secret-key';

describe('IRC logins', () => {
  it('store services passwords encrypted, never in plain text, and give them back', async () => {
    const store = memoryLoginStore();
    const logins = new IrcLogins(store, KEY);
    await logins.setAccount('@alice:hs', 'libera', { account: 'alice', password: 'hunter2-secret' });
    expect(JSON.stringify([...store.rows.values()])).not.toContain('hunter2-secret');
    expect(await logins.account('@alice:hs', 'libera')).toEqual({
      account: 'alice',
      password: 'hunter2-secret',
    });
  });

  it('refuse a stored password under a different key instead of misreading it', async () => {
    const store = memoryLoginStore();
    await new IrcLogins(store, KEY).setAccount('@alice:hs', 'libera', { account: 'a', password: 'p' });
    await expect(
      new IrcLogins(store, 'another-long-secret-key!').account('@alice:hs', 'libera'),
    ).rejects.toBeInstanceOf(CredentialDecryptError);
  });

  it('refuse to store passwords when no secret key is configured', async () => {
    const logins = new IrcLogins(memoryLoginStore(), undefined);
    await expect(logins.setAccount('@a:hs', 'n', { account: 'a', password: 'p' })).rejects.toBeInstanceOf(
      LoginsNotConfiguredError,
    );
  });

  it('keep the preferred nick per network and after forgetting the account', async () => {
    const logins = new IrcLogins(memoryLoginStore(), KEY);
    await logins.setPreferredNick('@a:hs', 'libera', 'ally');
    await logins.setAccount('@a:hs', 'libera', { account: 'a', password: 'p' });
    await logins.forgetAccount('@a:hs', 'libera');
    expect(await logins.forConnection('@a:hs', 'libera')).toEqual({ nick: 'ally' });
    expect(await logins.forConnection('@a:hs', 'oftc')).toEqual({});
    expect(await logins.account('@a:hs', 'libera')).toBeUndefined();
  });

  it('name the room to report a refused account in once per stored password', async () => {
    const logins = new IrcLogins(memoryLoginStore(), KEY);
    await logins.setAccount('@a:hs', 'libera', { account: 'a', password: 'p' }, '!dm:hs');
    expect(await logins.claimRejectionReport('@a:hs', 'libera', 'a')).toBe('!dm:hs');
    expect(await logins.claimRejectionReport('@a:hs', 'libera', 'a')).toBeUndefined();
    expect(await logins.claimRejectionReport('@a:hs', 'libera', 'other')).toBeUndefined();
    await logins.setAccount('@a:hs', 'libera', { account: 'a', password: 'p2' }, '!dm2:hs');
    expect(await logins.claimRejectionReport('@a:hs', 'libera', 'a')).toBe('!dm2:hs');
    expect(await logins.account('@a:hs', 'libera')).toEqual({ account: 'a', password: 'p2' });
    expect(await logins.forConnection('@a:hs', 'libera')).toEqual({
      account: { account: 'a', password: 'p2' },
    });
  });
});
