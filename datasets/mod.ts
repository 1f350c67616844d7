/**
 * Data: the data directory, CIFAR-10/100 and ImageNet16-120 readers, the official NAS-Bench-201
 * splits, augmentation and batching on typed arrays, the NAS-Bench-201 ground truth, and the
 * downloader for the official sources.
 *
 * @module
 */
export * from "./errors.ts";
export * from "./data_dir.ts";
export * from "./image_set.ts";
export * from "./cifar.ts";
export * from "./imagenet16.ts";
export * from "./splits.ts";
export * from "./augment.ts";
export * from "./loader.ts";
export * from "./nb201_table.ts";
export * from "./download.ts";
