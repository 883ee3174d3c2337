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
  // Import boundaries (docs/architecture.md): each library has one home; domain/ does no I/O.
  ...boundaries(),
);

function boundaries() {
  const homes = {
    store: ['mongoose', 'mongodb'],
    rules: ['json-rules-engine'],
    jobs: ['agenda', '@agendajs/mongo-backend'],
    api: ['express'],
    channels: ['nodemailer', 'twilio'],
  };
  const all = Object.entries(homes).flatMap(([home, libs]) => libs.map((name) => ({ name, home })));
  const forbid = (own) =>
    all.filter((l) => l.home !== own).map(({ name, home }) => ({ name, message: `Only src/${home} imports ${name}.` }));
  const layers = ['store', 'rules', 'jobs', 'api', 'channels', 'pipeline', 'cli'];
  return [
    { files: ['src/*.ts'], rules: { 'no-restricted-imports': ['error', { paths: forbid(null) }] } },
    ...[...layers, 'domain'].map((dir) => ({
      files: [`src/${dir}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: forbid(dir),
            patterns:
              dir === 'domain'
                ? [
                    {
                      group: layers.map((l) => `../${l}/*`).concat(['../main.js', '../cli.js']),
                      message: 'domain/ is pure: no I/O layers.',
                    },
                  ]
                : [],
          },
        ],
      },
    })),
  ];
}
