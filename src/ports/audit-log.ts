import type { AuditEntry } from '../domain/audit-entry.js';

/** The audit log (`auditLog`), newest first when read. */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  list(query: { since?: Date; limit: number }): Promise<AuditEntry[]>;
}
