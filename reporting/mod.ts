/**
 * Results: CSV files with provenance, atomic writes, printed comparisons.
 *
 * @module
 */
export * from "./csv.ts";
export * from "./atomic.ts";
export * from "./provenance.ts";
export * from "./results_file.ts";
export * from "./comparison.ts";
