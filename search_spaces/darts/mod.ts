/**
 * The DARTS-like space of RLNAS: genotypes (the DARTS literal and RLNAS's 28-gene form), their
 * rules, the published genotypes, and the FLOPs / parameter counts of the ImageNet (14-cell) and
 * CIFAR (20-cell) evaluation networks as RLNAS counts them.
 *
 * ```ts
 * import { dartsCost, parseDartsArch } from "./mod.ts";
 * const c = dartsCost(parseDartsArch("RLNAS_CIFAR10"), "imagenet", { channels: 48 });
 * // c.flops === 629123864, c.params === 5674720
 * ```
 *
 * @module
 */
export * from "./genotype.ts";
export * from "./genotypes.ts";
export * from "./parse.ts";
export * from "./cost.ts";
