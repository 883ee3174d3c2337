// The embedded database on its H2 file, killed with SIGKILL right after answering: every write it
// acknowledged is in the file when it comes back (H2 on its own keeps changes in memory for about a
// second, and lost them). Inserts, guarded updates, findOneAndUpdate and unordered batches, from
// several connections at once, as the ledger and the budget make them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startServer, type StartedServer } from '../../src/store/embedded-server.js';

const CLIENTS = 4;
const ROUNDS = 60;

interface Acknowledged {
  inserted: string[];
  increments: number;
  batched: string[];
}

/** Writes from `CLIENTS` connections at once; returns what the server acknowledged. */
async function write(uri: string): Promise<Acknowledged> {
  const clients = await Promise.all(Array.from({ length: CLIENTS }, () => MongoClient.connect(uri)));
  const acked: Acknowledged = { inserted: [], increments: 0, batched: [] };
  try {
    await clients[0]!
      .db('t_durable')
      .collection('counters')
      .insertOne({ _id: 'c' as never, n: 0, left: 1_000_000 });
    await Promise.all(
      clients.map(async (client, c) => {
        const db = client.db('t_durable');
        for (let i = 0; i < ROUNDS; i++) {
          const id = `k${c}-${i}`;
          await db.collection('ledger').insertOne({ _id: id as never, state: 'planned' });
          await db.collection('ledger').updateOne({ _id: id as never, state: 'planned' }, { $set: { state: 'sent' } });
          acked.inserted.push(id);
          const after = await db
            .collection('counters')
            .findOneAndUpdate({ _id: 'c' as never, left: { $gte: 1 } }, { $inc: { n: 1, left: -1 } });
          if (after) acked.increments++;
          const batch = [`b${c}-${i}-0`, `b${c}-${i}-1`];
          await db.collection('batches').insertMany(
            batch.map((b) => ({ _id: b as never })),
            { ordered: false },
          );
          acked.batched.push(...batch);
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.close(true)));
  }
  return acked;
}

test('acknowledged writes survive kill -9 of the embedded database', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tideflow-durable-'));
  const file = join(dir, 'tideflow.mv.db');
  const start = (): Promise<StartedServer> =>
    startServer({ backend: 'h2', file, parentPid: process.pid, logFile: join(dir, 'server.log') });
  let server = await start();
  try {
    const acked = await write(server.uri);
    // No pause: the kill lands while H2's own background commit would still be a second away.
    process.kill(server.pid, 'SIGKILL');
    await waitGone(server.pid);
    server = await start();
    const client = await MongoClient.connect(server.uri);
    try {
      const db = client.db('t_durable');
      const ledger = await db.collection('ledger').find({}).toArray();
      const batches = await db.collection('batches').find({}).toArray();
      const counter = await db.collection('counters').findOne({ _id: 'c' as never });
      expect(acked.inserted).toHaveLength(CLIENTS * ROUNDS);
      expect({
        missing: acked.inserted.filter((id) => !ledger.some((d) => String(d._id) === id)),
        notSent: ledger.filter((d) => d.state !== 'sent').map((d) => d._id),
        missingBatched: acked.batched.filter((id) => !batches.some((d) => String(d._id) === id)),
        counter: counter && { n: counter.n, left: counter.left },
      }).toEqual({
        missing: [],
        notSent: [],
        missingBatched: [],
        counter: { n: acked.increments, left: 1_000_000 - acked.increments },
      });
    } finally {
      await client.close(true);
    }
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}, 120_000);

async function waitGone(pid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
