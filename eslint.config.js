import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'lib/**',
      '.test-build/**',
      'node_modules/**',
      '.mscope-cache/**',
      'coverage/**',
      'test/fixtures/**',
      'test/golden/**',
      '.ci/**',
      'examples/**/*.js',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  // A CommonJS file loads its dependencies with require (a service as users write one).
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
