import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';
import { portIsFree } from './free-port.js';

/**
 * The embedded MongoDB-wire server (mongo-java-server, see docs/decisions/0001-database.md),
 * installed by `npm install` into node_modules/.tideflow-db and started on demand.
 */

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const installDir = join(packageRoot, 'node_modules', '.tideflow-db');

export interface StartOptions {
  /** `memory` for tests (gone on exit), `h2` for a persistent file. */
  backend: 'memory' | 'h2';
  /** H2 database file (backend h2). */
  file?: string;
  /**
   * When a write reaches the H2 file: `commit` before it is acknowledged (survives kill -9 of the
   * server), `fsync` also forced to the disk (survives power loss), `none` within about a second
   * (H2's own background commit). See docs/decisions/0001-database.md. @defaultValue commit
   */
  durability?: 'commit' | 'fsync' | 'none';
  /** The server exits when this process does (tests). */
  parentPid?: number;
  /** Keep running after this process exits (CLI commands sharing one data directory). */
  detached?: boolean;
  /** Where the server's output goes. @defaultValue ignored */
  logFile?: string;
  /** Listen on this port (a restart that clients find where they left it). @defaultValue 0, any free port */
  port?: number;
  /** Stop after this many minutes without a client connection. @defaultValue never */
  idleMinutes?: number;
  /** Largest Java heap in MB (the in-memory backend holds every document there). @defaultValue the JVM's, a quarter of the machine's memory */
  maxHeapMb?: number;
}

export interface StartedServer {
  uri: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** Starts a server process and resolves once it accepts connections. */
export async function startServer(opts: StartOptions): Promise<StartedServer> {
  if (!existsSync(join(installDir, 'stamp'))) {
    throw new ConfigError(
      'the embedded database is not installed: run `npm install` (or `node tools/install-db.mjs`), or set MONGODB_URI',
    );
  }
  const portFile = join(
    opts.file ? dirname(opts.file) : installDir,
    `.port-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
  );
  const args = [
    '-Xss4m',
    ...(opts.maxHeapMb ? [`-Xmx${Math.round(opts.maxHeapMb)}m`] : []),
    '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
    '-cp',
    `${join(installDir, 'classes')}:${join(installDir, 'lib', '*')}`,
    'TideflowDb',
    '--backend',
    opts.backend,
    '--port',
    String(opts.port ?? 0),
    '--port-file',
    portFile,
  ];
  if (opts.file) args.push('--file', opts.file);
  if (opts.backend === 'h2') args.push('--durability', opts.durability ?? 'commit');
  if (opts.parentPid) args.push('--parent-pid', String(opts.parentPid));
  if (opts.idleMinutes) args.push('--idle-minutes', String(opts.idleMinutes));
  const out = opts.logFile ? openSync(opts.logFile, 'a') : 'ignore';
  const child = spawn(javaCommand(), args, { detached: opts.detached ?? false, stdio: ['ignore', out, out] });
  if (typeof out === 'number') closeSync(out);
  let exited: number | null = null;
  child.on('exit', (code) => {
    exited = code ?? -1;
  });
  if (opts.detached) child.unref();
  const port = await waitFor(
    () => {
      if (exited !== null)
        throw new ConfigError(
          `the embedded database exited with code ${exited}${opts.logFile ? ` (see ${opts.logFile})` : ''}`,
        );
      return existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : undefined;
    },
    60_000,
    'the embedded database did not start within 60 s',
  );
  rmSync(portFile, { force: true });
  const pid = child.pid ?? 0;
  return {
    uri: `mongodb://127.0.0.1:${port}`,
    port,
    pid,
    stop: () => stopPid(pid),
  };
}

interface ServerRecord {
  /** Absent once the server was stopped: the port stays, for the next start. */
  pid?: number;
  port: number;
}

export interface EnsureOptions {
  /** A server started now stops itself after this many minutes without a client. @defaultValue never */
  idleMinutes?: number;
}

/** The server of a data directory: where it listens, and whether this call started it. */
export interface EnsuredServer {
  uri: string;
  started: boolean;
}

/**
 * The persistent embedded server for `dataDir`, started if none is running for that directory and
 * reused if one is. Safe against concurrent callers (a lock file).
 *
 * The port is chosen once per data directory and kept in `server.json`: a server started again
 * after `db stop`, a crash or a reboot listens where the running workers and `serve` left it, so
 * they reconnect by themselves. Only when another program has taken that port is a new one chosen
 * (and kept from then on).
 */
export async function ensureEmbeddedServer(dataDir: string, opts: EnsureOptions = {}): Promise<EnsuredServer> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const recordFile = join(dir, 'server.json');
  const running = await liveRecord(recordFile);
  if (running) return { uri: `mongodb://127.0.0.1:${running.port}`, started: false };
  const release = await lock(join(dir, 'server.lock'));
  try {
    const again = await liveRecord(recordFile);
    if (again) return { uri: `mongodb://127.0.0.1:${again.port}`, started: false };
    const kept = readRecord(recordFile)?.port;
    const start = (port?: number): Promise<StartedServer> =>
      startServer({
        backend: 'h2',
        file: join(dir, 'tideflow.mv.db'),
        detached: true,
        logFile: join(dir, 'server.log'),
        ...(port ? { port } : {}),
        ...(opts.idleMinutes ? { idleMinutes: opts.idleMinutes } : {}),
      });
    // The kept port, unless taken meanwhile (then the OS picks one, kept from now on).
    const server = kept && (await portIsFree(kept)) ? await start(kept).catch(() => start()) : await start();
    writeFileSync(recordFile, JSON.stringify({ pid: server.pid, port: server.port } satisfies ServerRecord));
    return { uri: server.uri, started: true };
  } finally {
    release();
  }
}

/** What a command that started the embedded database says, once. */
export function embeddedStartedNotice(dataDir: string, idleMinutes: number): string {
  const idle = idleMinutes > 0 ? `, or it stops itself after ${idleMinutes} minutes without a client` : '';
  return `the embedded database keeps running for this data directory (${resolve(dataDir)}); \`tideflow db stop\` stops it${idle}`;
}

/** Stops the persistent embedded server for `dataDir`; false when none was running. */
export async function stopEmbeddedServer(dataDir: string): Promise<boolean> {
  const recordFile = join(resolve(dataDir), 'server.json');
  const running = await liveRecord(recordFile);
  if (!running?.pid) return false;
  await stopPid(running.pid);
  writeFileSync(recordFile, JSON.stringify({ port: running.port } satisfies ServerRecord));
  return true;
}

/** The persistent embedded server running for `dataDir`, if any. */
export async function embeddedServerStatus(dataDir: string): Promise<{ pid: number; uri: string } | undefined> {
  const running = await liveRecord(join(resolve(dataDir), 'server.json'));
  return running?.pid ? { pid: running.pid, uri: `mongodb://127.0.0.1:${running.port}` } : undefined;
}

function readRecord(file: string): ServerRecord | undefined {
  try {
    const rec = JSON.parse(readFileSync(file, 'utf8')) as Partial<ServerRecord>;
    return typeof rec.port === 'number' ? { port: rec.port, ...(rec.pid ? { pid: rec.pid } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

async function liveRecord(file: string): Promise<ServerRecord | undefined> {
  const rec = readRecord(file);
  if (!rec?.pid || !isAlive(rec.pid) || !(await accepts(rec.port))) return undefined;
  return rec;
}

async function lock(file: string): Promise<() => void> {
  await waitFor(
    () => {
      try {
        closeSync(openSync(file, 'wx'));
        writeFileSync(file, String(process.pid));
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const holder = Number(safeRead(file));
        const age = Date.now() - safeMtime(file);
        if ((holder > 0 && !isAlive(holder)) || age > 120_000) rmSync(file, { force: true });
        return undefined;
      }
    },
    120_000,
    `could not lock ${file}`,
  );
  return () => rmSync(file, { force: true });
}

async function stopPid(pid: number): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  await waitFor(() => (isAlive(pid) ? undefined : true), 30_000, `database process ${pid} did not stop`).catch(() =>
    process.kill(pid, 'SIGKILL'),
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', () => done(false));
  });
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number, message: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new ConfigError(message);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function javaCommand(): string {
  const home = process.env.JAVA_HOME;
  return home && existsSync(join(home, 'bin', 'java')) ? join(home, 'bin', 'java') : 'java';
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function safeMtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return Date.now();
  }
}
