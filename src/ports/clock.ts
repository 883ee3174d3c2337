/**
 * Ports of the ingest and profile verbs. The pipeline owns them; src/store implements them.
 * Other verbs declare their ports in their own files.
 */

/** The current instant. Injected everywhere so tests can fix it. */
export type Clock = () => Date;
