/**
 * Four projects: fast unit tests of the pure core, integration tests that boot the playground,
 * browser tests of the admin panel against one playground server (run alone: `npm run test:e2e`),
 * and the packed plugin installed into a freshly generated Strapi app (`npm run test:install`).
 */
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
// The client imports with the `.js` endings its ES module build needs; jest reads the sources.
const moduleNameMapper = { '^(\\.{1,2}/.*)\\.js$': '$1' };

module.exports = {
  // Booting Strapi on a fresh PostgreSQL or MariaDB database takes a few seconds.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      moduleNameMapper,
      testMatch: ['<rootDir>/tests/unit/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      moduleNameMapper,
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/integration/global-setup.js',
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/e2e/global-setup.js',
      globalTeardown: '<rootDir>/tests/e2e/global-teardown.js',
    },
    {
      // Packs the plugin and installs it into a generated Strapi app: minutes, so apart from the rest.
      displayName: 'install',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/tests/install/**/*.test.ts'],
    },
  ],
};
