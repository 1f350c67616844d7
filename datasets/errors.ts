/**
 * Errors raised for missing or malformed data files.
 *
 * @module
 */

/** How to obtain the data, appended to every {@link DataError}. */
export const DATA_HELP =
  "Point --data-dir (or RLNAS_DATA_DIR) at a data directory, or fetch the official files with " +
  "`deno task download` (see README, 'Data').";

/** A data file is missing, unreadable or malformed. The message names the path. */
export class DataError extends Error {
  /** The offending file or directory. */
  readonly path: string;
  constructor(path: string, problem: string) {
    super(`${problem}: ${path}. ${DATA_HELP}`);
    this.name = "DataError";
    this.path = path;
  }
}
