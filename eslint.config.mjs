// Lint rules that catch what the compiler does not: floating promises (a forgotten await loses a
// failure), unsafe any flows, misused promises. Type-checked, so rules see the types tsc sees.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.tools/', 'bench/out/', '**/*.mjs', 'bench/bare.js', 'types/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Unused names are the compiler's job (noUnusedLocals); `_`-prefixed destructuring leftovers are intended.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Control characters are evidence here: renderers and the load driver match them on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // Tests build hostile and malformed input on purpose (parsed JSON, stand-in banks): `any` is their material.
    files: ['**/*.test.ts', 'test/**/*.ts', 'reports/__fixtures__/**', 'checks/__fixtures__/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
);
