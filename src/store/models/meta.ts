import type { Model } from 'mongoose';
import type { DemoMarker } from '../../ports/demo-store.js';
import type { Db } from '../connection.js';
import { collectionSchema, modelOn } from './model.js';

/** `meta`: small documents about the database itself (`_id: 'demo'`: the demo marker). */
export type MetaDoc = Partial<DemoMarker> & { _id: string };

export const metaSchema = collectionSchema<MetaDoc>({});

export const metaModel = (db: Db): Model<MetaDoc> => modelOn(db, 'meta', metaSchema);
