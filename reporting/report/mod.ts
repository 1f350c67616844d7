/**
 * The static HTML report of a results folder (`deno task report`): tables next to the paper with
 * verdicts, Figure 1, score scatter plots, the metric comparison, perf ratios and the history.
 *
 * @module
 */
export * from "./load.ts";
export * from "./nights.ts";
export * from "./svg.ts";
export * from "./html.ts";
export * from "./write.ts";
