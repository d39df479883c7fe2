import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * The import boundaries of the architecture (README, *Architecture*): the pure core knows nothing
 * of Strapi, koa or the layers above it; contracts, the admin and the client share the wire's
 * facts but no server code; and no part of the plugin reaches into the playground app.
 */
const NO_PLAYGROUND = {
  group: ['**/playground', '**/playground/**'],
  message: 'The playground is an app that uses the plugin: the plugin never imports it.',
};
const NO_SERVER = {
  group: ['**/server', '**/server/**'],
  message: 'Import shared facts from contracts/, not from server code.',
};
const PURE_CORE = {
  group: [
    '@strapi/*',
    'koa',
    'koa/*',
    '**/services',
    '**/services/**',
    '**/controllers',
    '**/controllers/**',
  ],
  message: 'server/src/core is pure: no Strapi, no koa, no services or controllers.',
};
const boundaries = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
/** The admin bundle takes values only from contracts/wire: the other modules would bring zod along. */
const ADMIN_CONTRACT_VALUES = {
  group: ['**/contracts/*', '!**/contracts/wire'],
  allowTypeImports: true,
  message:
    'The admin imports constants from contracts/wire and only types (import type) from other contracts.',
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'playground/.strapi/**',
      'playground/build/**',
      'playground/.tmp/**',
      'playground/types/**',
      'coverage/**',
      'examples/next/.next/**',
      'examples/next/next-env.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // contracts/ declares one namespace per endpoint, as Strapi's content-releases does.
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
      // Rendering strips control characters on purpose; those regexes name them.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['admin/**/*.{ts,tsx}', 'examples/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['server/**/*.ts'],
    languageOptions: { globals: { strapi: 'readonly' } },
    rules: boundaries(NO_PLAYGROUND),
  },
  {
    files: ['server/src/core/**/*.ts'],
    rules: boundaries(NO_PLAYGROUND, PURE_CORE),
  },
  {
    files: ['contracts/**/*.ts', 'admin/**/*.{ts,tsx}', 'client/**/*.ts'],
    rules: boundaries(NO_PLAYGROUND, NO_SERVER),
  },
  {
    files: ['admin/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [ADMIN_CONTRACT_VALUES] }],
    },
  }
);
