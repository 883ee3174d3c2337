import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Roles of API keys. `ingest` writes events and profiles; `viewer` reads; `operator` reads and
 * runs, pauses, resumes and simulates campaigns; `admin` does all of that and manages keys and
 * reads the audit log.
 */
export const ROLES = ['ingest', 'viewer', 'operator', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/**
 * What a route needs: `ingest` (write events and profiles), `read`, `operate` (campaign actions),
 * `admin` (keys, audit), `any` (any valid key, e.g. the API description).
 */
export type Permission = 'ingest' | 'read' | 'operate' | 'admin' | 'any';

const GRANTS: Record<Role, readonly Permission[]> = {
  ingest: ['ingest', 'any'],
  viewer: ['read', 'any'],
  operator: ['read', 'operate', 'any'],
  admin: ['ingest', 'read', 'operate', 'admin', 'any'],
};

export function mayDo(role: Role, need: Permission): boolean {
  return GRANTS[role].includes(need);
}

/** The public part of a key, used to list, revoke and audit it: 8 lowercase letters or digits. */
export const KeyId = z
  .string()
  .regex(/^[a-z0-9]{8}$/, { message: 'a key id: 8 lowercase letters or digits, as `tideflow keys list` shows' });

/** A key's name: what it is for, e.g. `app-backend`. */
export const KeyName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 _.:-]{0,63}$/, {
  message: 'up to 64 letters, digits, spaces and _.:- starting with a letter or digit',
});

/** A key as given to clients: `tfk_<id>_<secret>`, the secret 43 base64url characters (256 bits). */
const KEY = /^tfk_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export function formatApiKey(id: string, secret: string): string {
  return `tfk_${id}_${secret}`;
}

/** The key's id, when `text` has the shape of a key; nothing else is read from it. */
export function apiKeyId(text: string): string | undefined {
  return KEY.exec(text)?.[1];
}

/** What is stored instead of the key: its SHA-256 (the key has 256 random bits, so no salt or stretching). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Whether `key` hashes to `hash`, compared in constant time. */
export function apiKeyMatches(key: string, hash: string): boolean {
  const a = Buffer.from(hashApiKey(key), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A stored key: never the key itself. */
export interface ApiKeyRecord {
  id: string;
  role: Role;
  name?: string;
  hash: string;
  createdAt: Date;
  /** Who created it: a key id, or `cli:<user>`. */
  createdBy: string;
  revokedAt?: Date;
  revokedBy?: string;
}

/** A key as listed: no hash. */
export type ApiKeyView = Omit<ApiKeyRecord, 'hash'>;

export function apiKeyView(record: ApiKeyRecord): ApiKeyView {
  const { hash: _hash, ...view } = record;
  return view;
}

/** Who made a request or ran a command; audited as `actor`. */
export interface Principal {
  keyId: string;
  role: Role;
}
