import { describe, expect, it } from '@jest/globals';
import { supportFor } from './capabilities';

describe('supportFor', () => {
  it('treats a boolean as both directions', () => {
    expect(supportFor({ edit: true }, 'edit', 'remote-to-matrix')).toEqual({ supported: true });
    expect(supportFor({ edit: false }, 'edit', 'matrix-to-remote')).toMatchObject({ supported: false });
  });

  it('reads per-direction support and gives the declared reason for the missing direction', () => {
    const caps = {
      redaction: { matrixToRemote: true, remoteToMatrix: false, reason: 'no deletion updates' },
    };
    expect(supportFor(caps, 'redaction', 'matrix-to-remote')).toEqual({ supported: true });
    expect(supportFor(caps, 'redaction', 'remote-to-matrix')).toEqual({
      supported: false,
      reason: 'no deletion updates',
    });
  });

  it('counts an undeclared feature as unsupported, saying so', () => {
    expect(supportFor({}, 'image', 'matrix-to-remote')).toEqual({
      supported: false,
      reason: 'not declared by the bridge',
    });
  });
});
