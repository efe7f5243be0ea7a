// `npm run lint`: typescript-eslint's recommended rules over the product, the tests, benches and
// scripts, plus the house's size limits for product code (functions ≤ 80 lines, files ≤ 400).
// Formatting is prettier's (`prettier --check`, .prettierrc.json).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const productCode = ['language-server/src/**/*.ts', 'extension/src/**/*.ts', 'protocol/**/*.ts', 'backend/src/**/*.ts', 'webview/src/**/*.ts'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.cache/**', 'test-results/**', 'examples/**', 'test/fixtures/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      // A leading underscore marks what is left out on purpose (a destructured field dropped).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Paths, names and terminal output are checked for control characters on purpose.
      'no-control-regex': 'off',
      // Lazy require() keeps heavy modules (LanceDB, Ruff's wasm, panels) out of start-up; the bundles are CommonJS.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  // Tests read JSON off the wire field by field.
  { files: ['test/**/*.ts', 'bench/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['webview/src/**/*.ts'], languageOptions: { globals: { ...globals.browser } } },
  {
    files: productCode,
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
    },
  },
);
