// ESLint for the whole tree: rules that catch bugs, none that only restyle code (there is no formatter either: the
// code keeps its hand-written style, see docs/CONVENTIONS.md).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/', '**/node_modules/', '**/.tmp/', '.nx/', '**/coverage/', 'tools/e2e/artifacts/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Taste, not bugs: `any` and non-null assertions are reviewed, not linted.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-this-alias': 'off',
      // Nest's own API types controllers and handlers as Function.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      // Control characters in regexes are deliberate here: hostile-input checks and ANSI escapes.
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // CommonJS: require() is how these files load modules.
    files: ['**/*.cjs', 'tools/pack-test/apps/cjs-*/**'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Page scripts run in the browser.
    files: ['apps/*/public/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
