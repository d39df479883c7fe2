import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

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
  }
);
