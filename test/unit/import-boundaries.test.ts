import { ESLint } from 'eslint';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import tseslint from 'typescript-eslint';

/**
 * The lint step refuses an import against the layering of docs/architecture.md, between any two
 * layers: each probe is linted with the project's own boundary rules as if it lived in src/<layer>/.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Boundaries {
  LAYERS: Record<string, string[]>;
  boundaries: () => object[];
}

async function linter(): Promise<{ eslint: ESLint; layers: Record<string, string[]> }> {
  const config = (await import(pathToFileURL(join(root, 'eslint.config.js')).href)) as Boundaries;
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...config.boundaries()],
  });
  return { eslint, layers: config.LAYERS };
}

async function refused(eslint: ESLint, layer: string, spec: string): Promise<boolean> {
  const [result] = await eslint.lintText(`import { x } from '${spec}';\nexport const y = x;\n`, {
    filePath: join(root, 'src', layer, 'probe.ts'),
  });
  return (result?.messages ?? []).some((m) => m.ruleId === 'no-restricted-imports');
}

describe('import boundaries', () => {
  test('every wrong-way import between two layers fails the lint, every allowed one passes', async () => {
    const { eslint, layers } = await linter();
    const folders = Object.keys(layers);
    const wrong: string[] = [];
    for (const from of folders) {
      for (const to of folders) {
        if (from === to) continue;
        const allowed = layers[from]!.includes('*') || layers[from]!.includes(to);
        if ((await refused(eslint, from, `../${to}/thing.js`)) === allowed) wrong.push(`${from} -> ${to}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test('the cases the layering exists for', async () => {
    const { eslint } = await linter();
    expect(await refused(eslint, 'domain', '../store/deliveries.js')).toBe(true);
    expect(await refused(eslint, 'store', '../deliver/outbox.js')).toBe(true);
    expect(await refused(eslint, 'store', '../demo/steps.js')).toBe(true);
    expect(await refused(eslint, 'decide', '../deliver/outbox.js')).toBe(true);
    expect(await refused(eslint, 'ingest', '../track/record-status.js')).toBe(true);
    expect(await refused(eslint, 'deliver', '../decide/plan-occurrence.js')).toBe(false);
    expect(await refused(eslint, 'channels', '../main.js')).toBe(true);
    expect(await refused(eslint, 'domain', 'mongodb')).toBe(true);
  });
});
