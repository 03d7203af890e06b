import { describe, expect, it } from '@jest/globals';
import { meetsLevel, permissionLevelOf } from './permission-level';

describe('permissionLevelOf', () => {
  const permissions = {
    '*': 'relay',
    'example.org': 'user',
    '@boss:example.org': 'admin',
    '@troll:example.org': 'relay',
  } as const;

  it('prefers a user entry over the server entry over "*"', () => {
    expect(permissionLevelOf('@boss:example.org', permissions)).toBe('admin');
    expect(permissionLevelOf('@troll:example.org', permissions)).toBe('relay');
    expect(permissionLevelOf('@alice:example.org', permissions)).toBe('user');
    expect(permissionLevelOf('@bob:elsewhere.net', permissions)).toBe('relay');
  });

  it('matches server names regardless of case, but not their subdomains', () => {
    expect(permissionLevelOf('@alice:Example.ORG', permissions)).toBe('user');
    expect(permissionLevelOf('@alice:evil.example.org', { 'example.org': 'user' })).toBeUndefined();
  });

  it('gives no level to users nobody listed', () => {
    expect(permissionLevelOf('@bob:elsewhere.net', { 'example.org': 'user' })).toBeUndefined();
  });
});

describe('meetsLevel', () => {
  it('orders relay < user < admin and refuses users without a level', () => {
    expect(meetsLevel('admin', 'user')).toBe(true);
    expect(meetsLevel('user', 'user')).toBe(true);
    expect(meetsLevel('relay', 'user')).toBe(false);
    expect(meetsLevel(undefined, 'relay')).toBe(false);
  });
});
