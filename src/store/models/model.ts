import { Schema, type Model, type SchemaDefinition } from 'mongoose';
import type { Db } from '../connection.js';

/**
 * A collection's schema as declared in this folder: its fields and `_id` shape, no `__v`, and
 * fields it does not declare kept as they are (the stores write whole domain records; the
 * schema documents them and carries the indexes, it does not trim them).
 */
export function collectionSchema<T>(
  fields: SchemaDefinition,
  options: { idType?: 'string' | 'objectId' } = {},
): Schema<T> {
  const id = options.idType === 'objectId' ? {} : { _id: { type: String, required: true } };
  return new Schema<T>({ ...id, ...fields } as SchemaDefinition, {
    versionKey: false,
    strict: false,
    autoIndex: false,
    autoCreate: false,
  });
}

/** The model of `collection` on this connection, compiled once per connection. */
export function modelOn<T>(db: Db, collection: string, schema: Schema<T>): Model<T> {
  return (db.models[collection] as Model<T> | undefined) ?? db.model<T>(collection, schema, collection);
}
