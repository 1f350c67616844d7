/**
 * Architecture search: the RLNAS evolutionary search (spec §5) and a random-search baseline, both
 * with a plug-in batch fitness.
 *
 * @module
 */
export * from "./fitness.ts";
export * from "./evolution.ts";
export * from "./random_search.ts";
