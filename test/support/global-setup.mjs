// Starts one in-memory MongoDB-wire server for the whole test run, unless MONGODB_URI points at a
// real MongoDB. Each test file then uses a database of its own (test/support/test-db.ts).
// Plain ESM over the built code: jest loads global setup outside its module transform.
import { startServer } from '../../dist/store/embedded-server.js';

export default async function globalSetup() {
  if (process.env.MONGODB_URI) {
    process.env.TIDEFLOW_TEST_MONGODB_URI = process.env.MONGODB_URI;
    return;
  }
  const server = await startServer({ backend: 'memory', parentPid: process.pid });
  process.env.TIDEFLOW_TEST_MONGODB_URI = server.uri;
  globalThis.__tideflowDb = server;
}
