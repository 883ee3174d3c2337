/**
 * What the demo needs from the database beyond the pipeline verbs: a marker that says a database
 * holds demo data (so the demo never overwrites real data), and a way to start over.
 */

/** The `meta` document that marks a database as a demo database, with how it was seeded. */
export interface DemoMarker {
  seed: number;
  users: number;
  days: number;
  /** The generator's `now`, ISO. */
  now: string;
}

export interface DemoStore {
  /** The marker, when this database is a demo database. */
  readMarker(): Promise<DemoMarker | null>;
  /** True when no collection holds a document (the marker aside). */
  isEmpty(): Promise<boolean>;
  /** Marks the database as a demo database, then drops all its data and recreates the indexes. */
  reset(marker: DemoMarker): Promise<void>;
}
