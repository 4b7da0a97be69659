import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The client core runs in browsers too: no Node module. */
const BROWSER = [
  { regex: '^node:', message: 'The client core runs in browsers too: use Web APIs.' },
  {
    regex: '^(fs|path|os|crypto|buffer|url|util|stream|child_process)(/|$)',
    message: 'The client core runs in browsers too: use Web APIs.',
  },
];

/** An import-boundary rule for some files: each pattern names imports they must not make. */
const layer = (files, patterns, ignores = []) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'web/dist',
      'web/node_modules',
      'test-results',
      'playwright-report',
      'data',
      '.scratch',
      'docs/openapi.json',
      'bin',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests: tap schedules t.test() itself, and res.json() is untyped by nature.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/use-unknown-in-catch-callback-variable': 'off',
    },
  },
  // The layers (docs/architecture.md): what each folder may import of the app. One block per folder,
  // since a later block's no-restricted-imports replaces an earlier one's for the same files.
  layer(
    ['src/kernel/**/*.ts'],
    [{ regex: '^(?!zod$|\\./)', message: 'The kernel imports nothing of the app, and no package but zod.' }],
  ),
  layer(
    ['src/crypto/**/*.ts'],
    [...BROWSER, { regex: '^\\.\\./', message: 'The crypto core imports nothing of the app.' }],
  ),
  layer(
    ['src/client/**/*.ts'],
    [
      ...BROWSER,
      {
        regex: '^\\.\\./(?!crypto/|kernel/)(?!.*-schema\\.js$)',
        message:
          'The SDK imports only src/crypto, src/kernel and wire schemas (*-schema.ts): the browser runs it.',
      },
    ],
  ),
  layer(
    ['src/stats/**/*.ts'],
    [
      {
        regex: '^(\\.\\./)+(cases|consent|entries|keys|sittings|unit-of-work|access-report)/',
        message: 'The statistics code never opens a situation: it works on the facts recorded for it.',
      },
    ],
  ),
  // Last, so that it wins over the statistics rule (it is the stricter); the crypto core's own
  // schemas keep the crypto rule.
  layer(
    ['src/**/*-schema.ts'],
    [
      { regex: '^(?!zod$|\\.)', message: 'A wire schema runs in the browser: no package but zod.' },
      {
        regex: '^\\.(?!.*/(kernel|crypto)/[^/]+\\.js$)(?!.*[/-]schema\\.js$)',
        message:
          'A wire schema imports only src/kernel, src/crypto and other schema modules: the SDK runs it.',
      },
    ],
    ['src/crypto/**', 'src/client/**', 'src/kernel/**'],
  ),
  {
    // The client core runs in the browser as well as in Node: no Buffer, no process.
    files: ['src/client/**/*.ts', 'src/crypto/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'Buffer', message: 'Use Uint8Array and src/crypto/encoding.ts.' },
        { name: 'process', message: 'The client core runs in browsers too.' },
      ],
    },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
