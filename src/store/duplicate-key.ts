import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type Document } from 'mongodb';

const DUPLICATE_KEY = 11000;

/**
 * Runs an unordered bulk write in which duplicate-key failures are expected; returns the indexes
 * (into `ops`) that failed so. Any other failure throws. The indexes come from the write errors,
 * not from the counts: some servers misreport insertedCount on a partial failure.
 */
export async function bulkWriteExpectingDuplicates<T extends Document>(
  collection: Collection<T>,
  ops: AnyBulkWriteOperation<T>[],
): Promise<Set<number>> {
  if (ops.length === 0) return new Set();
  try {
    await collection.bulkWrite(ops, { ordered: false });
    return new Set();
  } catch (err) {
    if (!(err instanceof MongoBulkWriteError)) throw err;
    const writeErrors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
    if (writeErrors.length === 0 || writeErrors.some((w) => w.code !== DUPLICATE_KEY)) throw err;
    return new Set(writeErrors.map((w) => w.index));
  }
}
