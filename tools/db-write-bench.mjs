#!/usr/bin/env node
// What durable writes cost the embedded database (H2 backend): for each durability setting, a fresh
// file, then single inserts from one connection (each waits for its answer, as a claim does) and
// guarded updates from 8 connections at once (as a wave of sends does). Prints writes per second
// and the file's size. Run after a build: `node tools/db-write-bench.mjs [writes=2000]`.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startServer } from '../dist/store/embedded-server.js';

const writes = Number(process.argv[2] ?? 2000);
const parallel = 8;

async function timed(fn) {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function measure(durability) {
  const dir = mkdtempSync(join(tmpdir(), 'tideflow-bench-'));
  const file = join(dir, 'bench.mv.db');
  const server = await startServer({ backend: 'h2', file, durability, parentPid: process.pid });
  const clients = await Promise.all(Array.from({ length: parallel }, () => MongoClient.connect(server.uri)));
  try {
    const col = (i) => clients[i].db('bench').collection('ledger');
    const single = await timed(async () => {
      for (let i = 0; i < writes; i++) await col(0).insertOne({ _id: `d${i}`, state: 'planned', at: new Date() });
    });
    const each = Math.floor(writes / parallel);
    const concurrent = await timed(() =>
      Promise.all(
        clients.map(async (_, c) => {
          for (let i = c * each; i < (c + 1) * each; i++)
            await col(c).updateOne({ _id: `d${i}`, state: 'planned' }, { $set: { state: 'sent' } });
        }),
      ),
    );
    return {
      durability,
      singleInsertsPerSecond: Math.round(writes / single),
      concurrentUpdatesPerSecond: Math.round((each * parallel) / concurrent),
      fileMb: +(statSync(file).size / 1e6).toFixed(1),
    };
  } finally {
    await Promise.all(clients.map((c) => c.close(true)));
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const durability of ['none', 'commit', 'fsync']) console.log(JSON.stringify(await measure(durability)));
