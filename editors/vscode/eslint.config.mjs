// Lint of the extension (TypeScript, type-aware) and its tests and scripts
// (JavaScript under Node).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/'] },
  js.configs.recommended,
  {
    files: ['src/**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      eqeqeq: 'error',
    },
  },
  {
    files: ['test/**/*.{mjs,cjs}', 'scripts/**/*.mjs', '*.mjs'],
    languageOptions: { globals: globals.node },
    rules: { eqeqeq: 'error' },
  },
);
