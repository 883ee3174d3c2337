// A running `tideflow serve` reloads its rule files: a new valid set is served (its hashes logged
// and audited), a broken one is refused with its problems and the previous set stays; SIGHUP
// reloads on demand.
import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../src/store/connection.js';
import { startTideflow, tideflow, type CliProcess } from '../support/cli.js';
import { testUri } from '../support/test-db.js';
import { send } from '../support/http.js';

const DB = `t_reload_${process.pid}`;
let dir: string;
let serve: CliProcess;
let url: string;
let key: string;
const env = (): Record<string, string> => ({
  MONGODB_URI: testUri(),
  TIDEFLOW_DB: DB,
  TIDEFLOW_RULES_DIR: join(dir, 'rules'),
  TIDEFLOW_TEMPLATES_DIR: join(dir, 'templates'),
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tideflow-reload-'));
  cpSync('rules', join(dir, 'rules'), { recursive: true });
  cpSync('templates', join(dir, 'templates'), { recursive: true });
  key = (await tideflow(['keys', 'create', '--role', 'admin'], env())).stdout.trim();
  serve = startTideflow(['serve', '--port', '0'], env());
  url = (await serve.waitFor(/API listening on (http:\/\/\S+)/))[1] ?? '';
});
afterAll(async () => {
  expect(await serve.stop()).toBe(0);
  rmSync(dir, { recursive: true, force: true });
  const db = await connect(testUri(), DB);
  await db.dropDatabase();
  await db.close();
});

async function segmentIds(): Promise<string[]> {
  const res = (await send(`${url}/v1/segments`, 'GET', undefined, key)) as {
    status: number;
    body: { segments: { id: string }[] };
  };
  expect(res.status).toBe(200);
  return res.body.segments.map((s) => s.id);
}

/** Resolves when the server's log has `n` matches of `pattern`. */
async function logged(pattern: RegExp, n: number): Promise<string> {
  const global = new RegExp(pattern.source, 'g');
  for (;;) {
    const m = serve.output().match(global) ?? [];
    if (m.length >= n) return m[n - 1] ?? '';
    await serve.waitFor(new RegExp(`(${pattern.source}[\\s\\S]*){${n}}`));
  }
}

const segment = (id: string, fact = 'registered'): string =>
  JSON.stringify({ id, name: id, conditions: { all: [{ fact, operator: 'equal', value: true }] } });

test('a new segment file is served without a restart, its hash logged and audited', async () => {
  expect(await segmentIds()).not.toContain('reload-new');
  writeFileSync(join(dir, 'rules/segments/reload-new.json'), segment('reload-new'));
  const line = await logged(
    /rules reloaded \(change\): \d+ files, 1 changed:\n {2}[0-9a-f]{12} {2}rules\/segments\/reload-new\.json \(new\)/,
    1,
  );
  expect(line).toContain('reload-new.json');
  expect(await segmentIds()).toContain('reload-new');
});

test('a broken set is refused with its problems, and the previous set stays in force', async () => {
  writeFileSync(join(dir, 'rules/segments/reload-bad.json'), segment('reload-bad', 'registerd'));
  await logged(
    /rules not reloaded \(1 problem\); the previous set stays in force:\n.*reload-bad\.json: conditions\.all\[0\]\.fact: .*registered/,
    1,
  );
  const ids = await segmentIds();
  expect(ids).toContain('reload-new');
  expect(ids).not.toContain('reload-bad');
});

test('SIGHUP reloads once the set is valid again; every load is in the audit log with its files', async () => {
  unlinkSync(join(dir, 'rules/segments/reload-bad.json'));
  serve.signal('SIGHUP');
  await logged(/rules reloaded \(SIGHUP\)/, 1);
  const audit = await tideflow(['audit', '--json'], env());
  const loads = (JSON.parse(audit.stdout) as { action: string; detail: Record<string, unknown> }[])
    .filter((e) => e.action === 'rules.load')
    .reverse();
  expect(loads.map((e) => e.detail.reload ?? 'start')).toEqual(['start', 'change', 'SIGHUP']);
  expect(loads[1]?.detail.changed).toEqual(['rules/segments/reload-new.json']);
  const files = (loads[2]?.detail.files ?? []) as { file: string; sha256: string }[];
  expect(files.map((f) => f.file)).toContain('rules/segments/reload-new.json');
  expect(files.map((f) => f.file)).not.toContain('rules/segments/reload-bad.json');
});
