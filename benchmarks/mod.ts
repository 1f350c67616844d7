/**
 * Benchmarks: the interface and the registry of the paper's tables.
 *
 * @module
 */
export * from "./types.ts";
export * from "./registry.ts";
