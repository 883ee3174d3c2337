import { randomBytes } from 'node:crypto';
import { connect, type Db } from '../../src/store/connection.js';

/** The wire server of this test run: the embedded in-memory one, or MONGODB_URI. */
export function testUri(): string {
  const uri = process.env.TIDEFLOW_TEST_MONGODB_URI;
  if (!uri) throw new Error('TIDEFLOW_TEST_MONGODB_URI unset: run tests through jest (global setup starts the server)');
  return uri;
}

/** A fresh, uniquely named database for one test file; drop it with `dropTestDatabase`. */
export async function openTestDatabase(label: string): Promise<Db> {
  const name = `t_${label.replace(/[^A-Za-z0-9]/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  return connect(testUri(), name);
}

export async function dropTestDatabase(db: Db): Promise<void> {
  await db.dropDatabase();
  await db.close();
}
