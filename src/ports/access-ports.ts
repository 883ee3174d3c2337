import type { Clock } from './clock.js';
import type { ApiKeyStore } from './api-key-store.js';
import type { AuditLog } from './audit-log.js';

export interface AccessPorts {
  keys: ApiKeyStore;
  audit: AuditLog;
  clock: Clock;
}
