#!/usr/bin/env node
// Installs the API fuzzer (schemathesis, from PyPI) in a Python virtual environment under
// node_modules/.tideflow-fuzz. Run by `npm install` (prepare) and again by tools/fuzz.mjs before a
// run; safe to repeat (skips when the pinned version is installed). TIDEFLOW_SKIP_FUZZ=1 skips it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCHEMATHESIS = 'schemathesis==4.32.5';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const venv = join(root, 'node_modules', '.tideflow-fuzz');
export const st = join(venv, 'bin', 'st');
const stampFile = join(venv, 'stamp');

/** Creates the environment unless the pinned schemathesis is already in it; returns the `st` path. */
export function installFuzzer(log = console.log) {
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === SCHEMATHESIS && existsSync(st)) {
    log('tideflow: API fuzzer already installed');
    return st;
  }
  const python = ['python3', 'python'].find((cmd) => {
    try {
      execFileSync(cmd, ['-c', 'import sys, venv; assert sys.version_info >= (3, 9)'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  if (!python) throw new Error('tideflow: the API fuzzer needs Python 3.9+ with venv (or set TIDEFLOW_SKIP_FUZZ=1)');
  rmSync(venv, { recursive: true, force: true });
  log(`tideflow: installing ${SCHEMATHESIS} in ${venv}…`);
  execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', SCHEMATHESIS], {
    stdio: 'inherit',
  });
  writeFileSync(stampFile, SCHEMATHESIS);
  log('tideflow: API fuzzer installed');
  return st;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.env.TIDEFLOW_SKIP_FUZZ === '1') {
    console.log('tideflow: TIDEFLOW_SKIP_FUZZ=1, not installing the API fuzzer');
  } else {
    try {
      installFuzzer();
    } catch (err) {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    }
  }
}
