import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.tideflow/', 'coverage/', 'test/support/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      'no-undef': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // Import boundaries (docs/architecture.md): each library has one home.
  ...[
    ['src/store/**', ['mongoose', 'mongodb']],
    ['src/rules/**', ['json-rules-engine']],
    ['src/jobs/**', ['agenda', '@agendajs/mongo-backend']],
    ['src/api/**', ['express']],
    ['src/channels/**', ['nodemailer', 'twilio']],
  ].map(([home, libs]) => ({
    files: ['src/**/*.ts'],
    ignores: [home],
    rules: { 'no-restricted-imports': ['error', { paths: libs.map((name) => ({ name, message: `Only ${home} imports ${name}.` })) }] },
  })),
  {
    files: ['src/domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [
      { group: ['../store/*', '../pipeline/*', '../api/*', '../jobs/*', '../channels/*', '../cli/*', 'mongoose', 'express', 'agenda'], message: 'domain/ is pure: no I/O layers.' },
    ] }] },
  },
);
