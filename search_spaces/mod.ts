/**
 * Search spaces: the registry (`getSearchSpace`) and the NAS-Bench-201 space.
 *
 * @module
 */
export * from "./registry.ts";
export * from "./nb201/mod.ts";
