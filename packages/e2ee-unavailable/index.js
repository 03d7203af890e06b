'use strict';
// Stand-in for @matrix-org/matrix-sdk-crypto-nodejs (see docs/development.md): the native binary
// cannot be downloaded on the build machines, and Trestle does not offer end-to-bridge encryption yet.
// Everything loads; anything that would really use encryption throws a clear error.
const unavailable = () => {
  throw new Error('E2EE unavailable: Trestle does not bundle @matrix-org/matrix-sdk-crypto-nodejs');
};
const handler = {
  get(_target, prop) {
    if (prop === '__esModule') return false;
    if (prop === 'then') return undefined;
    return new Proxy(unavailable, {
      construct: unavailable,
      apply: unavailable,
      get: (_t, p) => (p === 'then' ? undefined : unavailable),
    });
  },
};
module.exports = new Proxy({}, handler);
