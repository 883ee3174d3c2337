import { openTestDatabase, dropTestDatabase } from '../support/test-db.js';
import { Agenda } from 'agenda';

test('wire server answers and agenda imports under ESM', async () => {
  const db = await openTestDatabase('smoke');
  await db.collection('x').insertOne({ _id: 'a' } as never);
  expect(await db.collection('x').countDocuments()).toBe(1);
  expect(typeof Agenda).toBe('function');
  await dropTestDatabase(db);
});
