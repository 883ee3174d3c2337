import type { ApiKeyRecord } from '../domain/api-key.js';

/** The stored keys (`apiKeys`). */
export interface ApiKeyStore {
  /** Inserts; false when the id is taken. */
  insert(record: ApiKeyRecord): Promise<boolean>;
  get(id: string): Promise<ApiKeyRecord | null>;
  list(): Promise<ApiKeyRecord[]>;
  /** Marks a key revoked; false when there is no such key. Revoking twice keeps the first time. */
  revoke(id: string, at: Date, by: string): Promise<boolean>;
}
