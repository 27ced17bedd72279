// ESLint flat config for the whole monorepo: typescript-eslint's recommended rules (syntax only, not
// type-checked, so `npm run lint` stays a few seconds) plus import-x/no-cycle, which follows relative `.ts`
// imports and `@dlm/*` workspace imports (package.json `exports` → `./src/index.ts`) through
// eslint-import-resolver-typescript. Formatting is Prettier's job (.prettierrc.json); ESLint only adds
// `max-len` for what Prettier does not wrap (comments). `npm run lint:selftest` proves the cycle rule fires.
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

export default defineConfig(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/runs/**',
      'data/**',
      '.test-results/**',
      '.nx/**',
      'coverage/**',
      // Deliberately broken inputs of scripts/lint-selftest.mjs (it lints them with `ignore: false`).
      'scripts/lint-fixtures/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,js,mjs,cjs}'],
    plugins: { 'import-x': importX },
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: {
        // Node globals used by scripts, loaders and the CLI (no browser code in this repo).
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        queueMicrotask: 'readonly',
        structuredClone: 'readonly',
        performance: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        AbortController: 'readonly',
        fetch: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'writable',
      },
    },
    settings: {
      // Which files import-x may parse when it follows an import (without this it skips `.ts` dependencies
      // and no-cycle silently sees no edges), and which folders hold external packages.
      'import-x/extensions': ['.ts', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      // The @dlm/* workspaces resolve through node_modules symlinks; they are our own code, so no-cycle must
      // follow them (it skips external packages such as tfjs, which keeps the rule fast).
      'import-x/internal-regex': '^@dlm/',
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json', alwaysTryTypes: true })],
    },
    rules: {
      // A cycle between modules (or between @dlm packages through their barrels) is an error: it makes
      // evaluation order depend on which file is imported first. Type-only imports count too (default), so
      // the package graph stays a DAG for the type checker and for readers.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // Line length ≤ 120 for the whole tree. Prettier wraps code at 120; this catches comments and
      // lines Prettier cannot break (long strings/template literals and URLs are allowed to run over,
      // breaking them would hurt grep-ability of error messages).
      'max-len': [
        'error',
        {
          code: 120,
          tabWidth: 2,
          ignoreUrls: true,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreRegExpLiterals: true,
        },
      ],
      // House style: with noUncheckedIndexedAccess every `a[i]` is `T | undefined`; the numeric kernels
      // index arrays inside proven bounds and assert with `!` deliberately (the alternative is a runtime
      // check per element in hot loops).
      '@typescript-eslint/no-non-null-assertion': 'off',
      // `_`-prefixed names are the convention for deliberately unused parameters (interface conformance,
      // positional callbacks) and destructured rest siblings.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // CommonJS files (the wasm pthread worker shim) use require/module.exports by necessity.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { __filename: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
