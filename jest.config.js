/** One suite, two stores: embedded PGlite by default, PostgreSQL when DATABASE_URL is set (each test file gets a fresh database). */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/test', '<rootDir>/src'],
  testRegex: '.*\\.(spec|int-spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // generous: a loaded 2-core machine is slow, not wrong (issue 17); a test that truly hangs still fails
  testTimeout: 300000,
  maxWorkers: 2,
  globalSetup: '<rootDir>/test/support/global-setup.js',
};
