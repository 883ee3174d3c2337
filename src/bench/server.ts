import { totalmem } from 'node:os';
import { connect, type Db } from '../store/connection.js';
import { startServer } from '../store/embedded-server.js';
import { procMemory } from './measure.js';

/**
 * The database the benchmarks run against: MONGODB_URI when set (a real MongoDB; its memory is
 * not sampled), otherwise a fresh embedded server (mongo-java-server, in-memory backend) whose
 * process memory is read from /proc.
 */
export interface BenchServer {
  uri: string;
  /** The server's pid when it runs on this machine. */
  pid?: number;
  kind: string;
  /** A connection to database `name` (prefixed, so a shared server is never touched elsewhere). */
  open(name: string): Promise<Db>;
  memory(): { rssMb: number; hwmMb: number } | undefined;
  stop(): Promise<void>;
}

const PREFIX = 'tideflow_bench_';

/**
 * Java heap the in-memory server needs for `users` stored profiles: about 11 KB each (measured,
 * see docs/benchmarks.md) plus room for the ledger and the collector, at least the JVM's own
 * default, at most three quarters of the machine's memory.
 */
export function heapForUsers(users: number, totalMb = totalmem() / 2 ** 20): number {
  const needed = 2048 + (users * 16) / 1024;
  return Math.round(Math.min(totalMb * 0.75, Math.max(totalMb / 4, needed)));
}

/** The database for a population of `users` (sizes the embedded server's heap), or for anything small. */
export async function startBenchServer(users = 0): Promise<BenchServer> {
  const external = process.env.MONGODB_URI;
  if (external) {
    return {
      uri: external,
      kind: 'MONGODB_URI (external server)',
      open: (name) => connect(external, `${PREFIX}${name}`),
      memory: () => undefined,
      stop: () => Promise.resolve(),
    };
  }
  const server = await startServer({ backend: 'memory', parentPid: process.pid, maxHeapMb: heapForUsers(users) });
  return {
    uri: server.uri,
    pid: server.pid,
    kind: 'embedded mongo-java-server 1.47, in-memory backend',
    open: (name) => connect(server.uri, `${PREFIX}${name}`),
    memory: () => procMemory(server.pid),
    stop: () => server.stop(),
  };
}

/** Drops the database and closes the connection. */
export async function dropDatabase(db: Db): Promise<void> {
  await db.dropDatabase();
  await db.close();
}
