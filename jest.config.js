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
  // Many dependencies are ESM-only now (matrix-js-sdk, htmlparser2 12, content-type …) and Jest on Node 20
  // cannot require ESM, so node_modules are transformed too, except large CommonJS packages that need not be.
  transformIgnorePatterns: [
    '/node_modules/\.pnpm/(better-sqlite3|pg|pg-[a-z]+|kysely|discord\.js|@discordjs\+[a-z-]+|telegraf|irc-framework|typescript|@swc\+[a-z-]+|jest-[a-z-]+|@jest\+[a-z-]+|prom-client|@matrix-org\+matrix-sdk-crypto-wasm|matrix-appservice-bridge|matrix-appservice|@vector-im\+matrix-bot-sdk|express|lodash|undici|ws|yaml|@sinclair\+typebox|fast-check)@',
  ],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testEnvironment: 'node',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Tests run against the TypeScript sources; only bridge child processes use the built dist/.
  moduleNameMapper: { '^@trestle/(core|testkit|irc|discord|telegram)$': '<rootDir>/packages/$1/src' },
};
module.exports = {
  // End-to-end suites start real servers; unit tests finish far sooner.
  testTimeout: 120000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/packages/*/src/**/*.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.test.ts'] },
  ],
};
