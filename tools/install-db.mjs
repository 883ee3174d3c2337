#!/usr/bin/env node
// Installs Tideflow's embedded MongoDB-wire server (mongo-java-server) from Maven Central and
// compiles its launcher. Run by `npm install` (prepare); safe to run again (skips when up to date).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'tools', 'db');
const target = join(root, 'node_modules', '.tideflow-db');
const stampFile = join(target, 'stamp');

const javaSources = readdirSync(source)
  .filter((f) => f.endsWith('.java'))
  .sort()
  .map((f) => join(source, f));
const stamp = javaSources
  .reduce((h, f) => h.update(readFileSync(f)), createHash('sha256').update(readFileSync(join(source, 'pom.xml'))))
  .digest('hex');

if (process.env.MONGODB_URI && process.env.TIDEFLOW_SKIP_EMBEDDED_DB === '1') {
  console.log('tideflow: MONGODB_URI set and TIDEFLOW_SKIP_EMBEDDED_DB=1, not installing the embedded database');
  process.exit(0);
}
if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
  console.log('tideflow: embedded database already installed');
  process.exit(0);
}

function need(cmd, args, hint) {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
  } catch {
    console.error(`tideflow: '${cmd}' not found; ${hint}`);
    process.exit(1);
  }
}
need(
  'java',
  ['-version'],
  'the embedded database needs a Java 17+ runtime (or set MONGODB_URI and TIDEFLOW_SKIP_EMBEDDED_DB=1)',
);
need('javac', ['-version'], 'the embedded database needs a JDK 17+ (javac)');
need('mvn', ['-v'], 'the embedded database is resolved with Maven');

rmSync(target, { recursive: true, force: true });
mkdirSync(join(target, 'classes'), { recursive: true });
console.log('tideflow: resolving the embedded database (mongo-java-server) from Maven Central…');
execFileSync(
  'mvn',
  [
    '-q',
    '-B',
    '-f',
    join(source, 'pom.xml'),
    'dependency:copy-dependencies',
    `-DoutputDirectory=${join(target, 'lib')}`,
  ],
  { stdio: 'inherit' },
);
execFileSync('javac', ['-cp', join(target, 'lib', '*'), '-d', join(target, 'classes'), ...javaSources], {
  stdio: 'inherit',
});
writeFileSync(stampFile, stamp);
console.log(`tideflow: embedded database installed in ${target}`);
