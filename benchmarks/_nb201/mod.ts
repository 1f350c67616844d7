/**
 * Shared pipeline of the NAS-Bench-201 paper benchmarks (`table1`, `table2`, `table6`,
 * `table7`, `figure1`; private to `benchmarks/`): profile settings, data loading with the paper
 * profile's checks, the SuperNet cache, angle / accuracy scorers, evolution + NB201 lookup, tau,
 * mean ± std summaries, the SVG line chart and the result checks.
 *
 * @module
 */
export * from "./settings.ts";
export * from "./data.ts";
export * from "./supernet_cache.ts";
export * from "./metric_scorer.ts";
export * from "./search.ts";
export * from "./tau.ts";
export * from "./summary.ts";
export * from "./summary_file.ts";
export * from "./svg_chart.ts";
export * from "./checks.ts";
export * from "./profiles.ts";
export * from "./run.ts";
export * from "./methods.ts";
