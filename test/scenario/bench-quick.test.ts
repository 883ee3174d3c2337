// `npm run bench -- --quick` is run here so that the suite keeps working; nothing in it is judged
// by speed. It must finish, write every benchmark's results, and fail none of them.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PACKAGE_ROOT } from '../../src/bench/setup.js';
import type { BenchResult } from '../../src/bench/result-shapes.js';

const run = promisify(execFile);

test('the quick benchmark suite runs every benchmark and writes its results', async () => {
  const out = await mkdtemp(join(tmpdir(), 'tideflow-bench-quick-'));
  try {
    await run(process.execPath, [join(PACKAGE_ROOT, 'dist', 'bench', 'run.js'), '--quick', '--out', out], {
      cwd: PACKAGE_ROOT,
      maxBuffer: 1 << 24,
    });
    const files = (await readdir(out)).sort();
    const names = ['ingest', 'evaluate', 'sweep', 'campaign', 'memory'];
    expect(files).toEqual(
      expect.arrayContaining([
        ...names.map((n) => expect.stringMatching(new RegExp(`-quick-${n}\\.json$`))),
        'latest-quick.md',
      ]),
    );
    for (const name of names) {
      const file = files.find((f) => f.endsWith(`-quick-${name}.json`)) ?? '';
      const result = JSON.parse(await readFile(join(out, file), 'utf8')) as BenchResult;
      expect(result.notes.filter((n) => n.startsWith('**failed**'))).toEqual([]);
      expect(result.comparisons.length).toBeGreaterThan(0);
      for (const c of result.comparisons) expect(c.ratio).toBeGreaterThan(0);
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}, 300_000);
