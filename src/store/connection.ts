import mongoose from 'mongoose';
import type { Config } from '../config/config.js';
import { DatabaseTimeoutError } from '../errors.js';
import { ensureEmbeddedServer } from './embedded-server.js';
import { writeConcernFor } from './write-concern.js';

export type Db = mongoose.Connection;

/**
 * Opens the database: MONGODB_URI when set, otherwise the embedded server for TIDEFLOW_DATA_DIR
 * (started if not yet running). One connection per process, passed down from the composition root.
 */
export async function openDatabase(
  config: Pick<Config, 'MONGODB_URI' | 'TIDEFLOW_DB' | 'TIDEFLOW_DATA_DIR'> &
    Partial<Pick<Config, 'TIDEFLOW_DB_IDLE_MINUTES'>>,
): Promise<Db> {
  const uri =
    config.MONGODB_URI ??
    (await ensureEmbeddedServer(config.TIDEFLOW_DATA_DIR, { idleMinutes: config.TIDEFLOW_DB_IDLE_MINUTES ?? 0 })).uri;
  return connect(uri, config.MONGODB_URI ? undefined : config.TIDEFLOW_DB, config.TIDEFLOW_DB);
}

/**
 * Connects to `uri`; `dbName` overrides the database named in the URI (fallback when it names none).
 * Writes are majority-acknowledged and journaled unless the URI sets a write concern (write-concern.ts).
 */
export async function connect(uri: string, dbName?: string, fallbackDb = 'tideflow'): Promise<Db> {
  const named = new URL(uri.replace(/^mongodb(\+srv)?:/, 'http:')).pathname.replace(/^\//, '');
  const writeConcern = writeConcernFor(uri);
  const conn = mongoose.createConnection(uri, {
    ...(writeConcern ? { writeConcern } : {}),
    dbName: dbName ?? (named || fallbackDb),
    sanitizeFilter: true,
    autoIndex: false,
    serverSelectionTimeoutMS: 15_000,
  });
  await conn.asPromise();
  return conn;
}

/**
 * Resolves when the database answers a ping (health checks, outage probes); rejects with a
 * DatabaseTimeoutError when it does not answer within `timeoutMs` (a frozen server keeps its
 * connections open, so the driver alone would wait).
 */
export async function pingDatabase(db: Db, timeoutMs = 2000): Promise<void> {
  if (!db.db) throw new Error('database connection is not open');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DatabaseTimeoutError(`the database did not answer a ping within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([db.db.command({ ping: 1 }), late]);
  } finally {
    clearTimeout(timer);
  }
}
