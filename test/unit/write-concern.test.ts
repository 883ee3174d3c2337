import { connect } from '../../src/store/connection.js';
import { writeConcernFor } from '../../src/store/write-concern.js';
import { testUri } from '../support/test-db.js';

test('writes are majority-acknowledged and journaled unless the URI names a write concern', () => {
  const durable = { w: 'majority', journal: true, wtimeoutMS: 10_000 };
  expect(writeConcernFor('mongodb://db1,db2,db3/tideflow?replicaSet=rs0')).toEqual(durable);
  expect(writeConcernFor('mongodb://127.0.0.1:27017')).toEqual(durable);
  expect(writeConcernFor('mongodb://db/tideflow?w=2')).toBeUndefined();
  expect(writeConcernFor('mongodb+srv://cluster.example.com/?retryWrites=true&journal=false')).toBeUndefined();
  expect(writeConcernFor('mongodb://db/?wtimeoutMS=500')).toBeUndefined();
});

test('a connection acknowledges writes with the durable write concern, and the URI can override it', async () => {
  const base = testUri().replace(/\/$/, '');
  const durable = await connect(base, 't_write_concern');
  const custom = await connect(`${base}/?w=1`, 't_write_concern');
  try {
    expect(durable.db!.writeConcern).toMatchObject({ w: 'majority', journal: true });
    expect(custom.db!.writeConcern).toMatchObject({ w: 1 });
    expect(custom.db!.writeConcern?.journal).toBeUndefined();
    // The embedded server accepts it: the write is acknowledged.
    const res = await durable.collection('probe').insertOne({ _id: 'x' as never });
    expect(res.acknowledged).toBe(true);
  } finally {
    await durable.dropDatabase();
    await durable.close();
    await custom.close();
  }
});
