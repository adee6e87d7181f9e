import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import tanba, { BANNED_HELPERS } from './tools/eslint/layers.js';

/**
 * Data tables, generated code and contract mirrors exempt from the size limits (a table is long
 * because the data is, not because the logic is).
 */
const SIZE_EXEMPT = [
  'src/ui/shared/i18n.ts', // message tables, three languages
  'src/marking/tables.ts',
  'drivers/printer/fonts/**',
];

/**
 * Functions and modules still over the limits, to be split next (issue 14). The limits are
 * errors everywhere else and off here; test/static.test.ts checks that each file listed still
 * breaks a limit, so a file that has been split must leave the list. Shrink only.
 */
export const SIZE_LIMITS = {
  'max-lines-per-function': ['error', { max: 120, skipBlankLines: true, skipComments: true }],
  'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
};
export const SIZE_TODO = [
  'emulators/ofd/emulator.ts',
  'emulators/registry/dataset.ts',
  'src/cache/import.ts',
  'src/checkout/checkout.ts',
  'src/marking/parse.ts',
  'src/registry/ofd/client.ts',
  'src/server/routes/checkout.ts',
  'src/server/services.ts',
  'src/store/migrations/002-checkout.ts',
  'src/sync/sender.ts',
  'src/ui/app.tsx',
  'src/ui/cashier/cashier.tsx',
  'src/ui/manager/sync.tsx',
  'src/ui/shared/api.ts',

];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', 'docs/**', 'src/ui/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { tanba },
    rules: {
      'tanba/layers': 'error',
      'tanba/packages': 'error',
      'tanba/no-cycle': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // One "show GS visibly" helper: src/marking/visible.ts (visibleGs, visibleBytes).
      'no-restricted-syntax': ['error', {
        selector: `FunctionDeclaration[id.name=/^(${BANNED_HELPERS.join('|')})$/]`,
        message: 'use visibleGs / visibleBytes from src/marking/visible.ts instead of another copy',
      }],
    },
  },
  {
    // Size limits for production code (tests are long lists of cases).
    files: ['src/**/*.ts', 'src/**/*.tsx', 'drivers/**/*.ts', 'electron/**/*.ts', 'emulators/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', ...SIZE_EXEMPT],
    rules: SIZE_LIMITS,
  },
  {
    files: SIZE_TODO,
    rules: { 'max-lines-per-function': 'off', 'max-lines': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
