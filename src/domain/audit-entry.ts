/**
 * What the audit log records: campaign actions (by API key or CLI user), key management, and the
 * rule files a process loaded (by content hash).
 */
export const AUDIT_ACTIONS = [
  'campaign.run',
  'campaign.pause',
  'campaign.resume',
  'campaign.simulate',
  'key.create',
  'key.revoke',
  'rules.load',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** A rule or template file and the SHA-256 of its content. */
export interface FileDigest {
  file: string;
  sha256: string;
}

/** One audit row. */
export interface AuditEntry {
  at: Date;
  /** A key id, or `cli:<user>` for commands run on the server. */
  actor: string;
  action: AuditAction;
  /** The campaign or key acted on. */
  target?: string;
  /** E.g. the role of a created key, the occurrence of a run, the files of a rules load. */
  detail?: Record<string, unknown>;
}
