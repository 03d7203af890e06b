'use strict';
// Jest 30 + @swc/jest: TypeScript is transformed by swc (ts-jest cannot follow newer TypeScript).
// ESM-only packages in node_modules (matrix-js-sdk and friends) are transformed to CommonJS too.
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
];
const common = {
  transform: { '^.+\\.(t|j|mj)s$': swc },
  // better-sqlite3's and other CJS giants need no transform; everything ESM-only does.
  transformIgnorePatterns: ['/node_modules/\\.pnpm/(?!(matrix-js-sdk|@matrix-org\\+matrix-sdk-crypto-wasm|p-retry|is-network-error|another-json|uuid|oidc-client-ts|jwt-decode|matrix-widget-api|sdp-transform|unhomoglyph|bs58|base-x)@)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testEnvironment: 'node',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Tests run against the TypeScript sources; only bridge child processes use the built dist/.
  moduleNameMapper: { '^@trestle/(core|testkit|irc|discord|telegram)$': '<rootDir>/packages/$1/src' },
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/packages/*/src/**/*.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.test.ts'], testTimeout: 120000 },
  ],
};
