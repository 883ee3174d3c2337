import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test } from '@jest/globals';
import { testUri } from '../support/test-db.js';

/**
 * The bounded fuzz run of CI: `tideflow serve` (with an admin key) on this run's database server,
 * schemathesis against GET /v1/openapi.json in every phase, stateful included, with a fixed seed.
 * Fails on any 5xx, any response the document does not allow, a request that times out (15 s) or
 * a server that no longer answers. `npm run fuzz` runs longer, with a fresh seed each time.
 */
const EXAMPLES = '10';
const SEED = '20261122';

test('schemathesis finds no server error, no undocumented response and no hang', async () => {
  const db = `t_fuzz_${randomBytes(4).toString('hex')}`;
  const { code, output } = await new Promise<{ code: number | null; output: string }>((done) => {
    const child = spawn(
      process.execPath,
      ['tools/fuzz.mjs', '--examples', EXAMPLES, '--seed', SEED, '--max-time', '75'],
      {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', MONGODB_URI: testUri(), TIDEFLOW_DB: db },
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('exit', (c) => done({ code: c, output: out }));
  });
  // The whole run is kept for reading; the assertion shows the failures.
  mkdirSync('test-artifacts', { recursive: true });
  writeFileSync('test-artifacts/fuzz-output.txt', output);
  const summary = output.slice(output.lastIndexOf('SUMMARY') - 40);
  const failures = output.slice(output.indexOf('FAILURES'), output.indexOf('SUMMARY')).slice(0, 8000);
  expect({ code, failures: code === 0 ? 'none' : failures }).toEqual({ code: 0, failures: 'none' });
  expect(summary).toMatch(/\d+ generated, \d+ passed/);
  expect(summary).toMatch(/schemathesis exit 0 .* server up/);
}, 240_000);
