/**
 * rlnas-bench: a reproducible benchmark suite for *Neural Architecture Search with Random Labels*
 * (RLNAS, CVPR 2021) on TensorFlow.js.
 *
 * The public API, one module per concern:
 * - backends: `initBackend`, `tf` and the custom kernels;
 * - data: data directory, CIFAR / ImageNet16 readers, NB201 splits and ground truth, augmentation;
 * - search spaces: the NB201 encoding, costs and SuperNet;
 * - labels: the numpy-compatible `RandomState` and the label-scheme registry;
 * - training: the SPOS trainer, SGD, schedules, safetensors checkpoints;
 * - metrics: the angle and accuracy metrics and their registry;
 * - search: evolutionary and random search;
 * - stats: Kendall tau-b, Spearman, Pearson, precision@k, the official ranking convention;
 * - reporting and benchmarks: result files with provenance and the registry of paper tables.
 *
 * ```ts
 * import { RandomState } from "./mod.ts";
 * const labels = new RandomState(0).randint(0, 10, 50000); // = numpy's np.random.randint
 * ```
 *
 * @module
 */
export * from "./backends/mod.ts";
export * from "./datasets/mod.ts";
export * from "./search_spaces/mod.ts";
export * from "./labels/mod.ts";
export * from "./training/mod.ts";
export * from "./metrics/mod.ts";
export * from "./search/mod.ts";
export * from "./stats/mod.ts";
export * from "./reporting/mod.ts";
export * from "./benchmarks/mod.ts";
