import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Which folders of src/ each folder may import (docs/architecture.md, "Layers"). Data flows one way
 * through the stages: ingest → metrics → evaluate → decide → deliver → track (tracking re-enters
 * outcomes through ingest). Adapters (store, channels, receivers) see only domain, rules and ports;
 * the composition root (main.ts, wiring/) and the applications (cli, demo, bench) sit on top.
 */
const base = ['domain', 'errors'];
const core = [...base, 'rules', 'ports'];
const stages = ['ingest', 'metrics', 'evaluate', 'decide', 'deliver', 'track'];
const adapters = ['config', 'access', ...stages, 'store', 'channels', 'jobs', 'main'];
export const LAYERS = {
  domain: base,
  rules: [...base, 'rules'],
  ports: core,
  config: [...base, 'config'],
  ingest: [...core, 'ingest'],
  metrics: [...core, 'metrics'],
  evaluate: [...core, 'metrics', 'evaluate'],
  decide: [...core, 'metrics', 'evaluate', 'decide'],
  deliver: [...core, 'metrics', 'evaluate', 'decide', 'deliver'],
  track: [...core, ...stages],
  access: [...core, 'access'],
  store: [...core, 'config', 'store'],
  channels: [...core, 'config', 'channels'],
  receivers: [...base, 'receivers'],
  report: [...base, 'track', 'report'],
  jobs: [...core, 'config', 'decide', 'deliver', 'track', 'jobs'],
  api: [...core, 'config', 'access', ...stages, 'channels', 'api'],
  wiring: [...core, ...adapters, 'receivers', 'api', 'wiring'],
  demo: [...core, ...adapters, 'receivers', 'report', 'wiring', 'demo'],
  cli: [...core, ...adapters, 'receivers', 'report', 'wiring', 'demo', 'api', 'cli'],
  bench: ['*'],
};
const FOLDERS = Object.keys(LAYERS).filter((l) => !['main', 'errors'].includes(l));
/** The top-level files of src/ that count as a layer. */
const FILES = { main: 'main.js', cli: 'cli.js', errors: 'errors.js' };

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
  // Import boundaries (docs/architecture.md): each library has one home; each layer imports only the ones below it.
  ...boundaries(),
);

/** eslint configs that refuse a wrong-way import and a library outside its home. */
export function boundaries() {
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
  const wrongWay = (layer) => {
    const allowed = LAYERS[layer];
    if (allowed.includes('*')) return [];
    const folders = FOLDERS.filter((f) => f !== layer && !allowed.includes(f)).map((f) => `../${f}/*`);
    const files = Object.entries(FILES)
      .filter(([name]) => !allowed.includes(name))
      .map(([, file]) => `../${file}`);
    return [
      {
        group: [...folders, ...files],
        message: `src/${layer} may import only ${allowed.filter((l) => l !== layer).join(', ')} (docs/architecture.md, Layers).`,
      },
    ];
  };
  return [
    { files: ['src/*.ts'], rules: { 'no-restricted-imports': ['error', { paths: forbid(null) }] } },
    ...FOLDERS.map((dir) => ({
      files: [`src/${dir}/**/*.ts`],
      rules: { 'no-restricted-imports': ['error', { paths: forbid(dir), patterns: wrongWay(dir) }] },
    })),
  ];
}
