#!/usr/bin/env node
// Fuzzes a running `tideflow serve` with schemathesis against its own OpenAPI document
// (GET /v1/openapi.json), every phase including stateful: no 5xx, no response outside the document,
// no request that crashes or hangs the server. Needs the build (dist/).
//
//   node tools/fuzz.mjs [--examples N] [--max-time S] [--seed N] [--report DIR]
//
// The database: MONGODB_URI (+ TIDEFLOW_DB) when set, otherwise a fresh embedded server in a
// temporary TIDEFLOW_DATA_DIR, stopped afterwards. Exit code 0 when schemathesis found nothing,
// and the server still answers afterwards.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { installFuzzer } from './install-fuzz.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const { values } = parseArgs({
  options: {
    examples: { type: 'string', default: '25' },
    'max-time': { type: 'string' },
    seed: { type: 'string' },
    report: { type: 'string' },
  },
});

const dataDir = process.env.MONGODB_URI ? undefined : mkdtempSync(join(tmpdir(), 'tideflow-fuzz-'));
const LOTS = '1000000';
const env = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  ...(process.env.MONGODB_URI
    ? { MONGODB_URI: process.env.MONGODB_URI, TIDEFLOW_DB: process.env.TIDEFLOW_DB ?? 'tideflow_fuzz' }
    : { TIDEFLOW_DATA_DIR: dataDir }),
  // The fuzzer is one key sending thousands of requests: rate limits are tested elsewhere.
  TIDEFLOW_RATE_INGEST_PER_SECOND: LOTS,
  TIDEFLOW_RATE_INGEST_BURST: LOTS,
  TIDEFLOW_RATE_READ_PER_SECOND: LOTS,
  TIDEFLOW_RATE_READ_BURST: LOTS,
  TIDEFLOW_LINK_SECRET: 'fuzz-link-secret-0123456789abcdef0123456789',
};

function run(args) {
  return new Promise((done, fail) => {
    execFile(process.execPath, [cli, ...args], { cwd: root, env, timeout: 120_000 }, (err, stdout, stderr) =>
      err ? fail(new Error(`tideflow ${args.join(' ')}: ${stderr || err.message}`)) : done(stdout.trim()),
    );
  });
}

function serve() {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0'], { cwd: root, env });
  let log = '';
  const exited = new Promise((done) => child.on('exit', (code, signal) => done(signal ?? code)));
  const url = new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`tideflow serve did not start:\n${log}`)), 90_000);
    child.stderr.on('data', (d) => {
      log += d.toString();
      const m = /API listening on (http:\/\/\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        done(m[1].replace('localhost', '127.0.0.1'));
      }
    });
    void exited.then((code) => fail(new Error(`tideflow serve exited (${code}):\n${log}`)));
  });
  return {
    url,
    log: () => log,
    exited,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
    alive: () => child.exitCode === null && child.signalCode === null,
  };
}

function schemathesis(st, url, key) {
  const args = [
    'run',
    `${url}/v1/openapi.json`,
    '--header',
    `Authorization: Bearer ${key}`,
    '--phases',
    'examples,coverage,fuzzing,stateful',
    '--max-examples',
    values.examples,
    '--checks',
    'all',
    '--exclude-checks',
    'ignored_auth,positive_data_acceptance',
    // Revoking keys is tested in test/api; here it would revoke the fuzzer's own key (found in GET /v1/keys).
    '--exclude-operation-id',
    'revokeKey',
    '--request-timeout',
    '15',
    '--output-truncate',
    'true',
    '--workers',
    '1',
    '--suppress-health-check',
    'all',
    '--no-color',
    ...(values['max-time'] ? ['--max-time', values['max-time']] : []),
    ...(values.seed ? ['--seed', values.seed] : []),
    ...(values.report ? ['--report', 'junit,ndjson', '--report-dir', values.report] : []),
  ];
  return new Promise((done) => {
    const child = spawn(st, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
    child.on('exit', (code) => done(code ?? 1));
  });
}

async function main() {
  const st = installFuzzer((line) => console.error(line));
  const key = (await run(['keys', 'create', '--role', 'admin', '--name', 'fuzz'])).split('\n').pop();
  const server = serve();
  try {
    const url = await server.url;
    console.error(
      `tideflow fuzz: ${url}, ${values.examples} examples per operation${values['max-time'] ? `, at most ${values['max-time']} s` : ''}`,
    );
    const started = Date.now();
    const code = await schemathesis(st, url, key);
    const health = server.alive()
      ? await fetch(`${url}/health`).then(
          (r) => r.status,
          () => 0,
        )
      : 0;
    const log = server
      .log()
      .split('\n')
      .filter((l) => l && !l.includes('API listening on'));
    console.error(
      `tideflow fuzz: schemathesis exit ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s; server ${health === 200 ? 'up' : `not answering (${health})`}`,
    );
    if (code !== 0 || health !== 200) for (const line of log.slice(-30)) console.error(`  server: ${line}`);
    return code === 0 && health === 200 ? 0 : 1;
  } finally {
    if (server.alive()) await server.stop();
    if (dataDir) {
      await run(['db', 'stop']).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
