/**
 * The MobileNet-like (ProxylessNAS-style) space of RLNAS: architectures as 21 block choices, their
 * validation and parsing, and the cost model RLNAS's FLOPs constraint uses.
 *
 * ```ts
 * import { mobilenetCost, parseMobilenetArch } from "./mod.ts";
 * const c = mobilenetCost(parseMobilenetArch("2 0 -1 2 2 0 2 4 0 4 4 2 4 2 4 2 0 0 0 2 2"));
 * // c.flops === 473248184, c.params === 5255648
 * ```
 *
 * @module
 */
export * from "./architecture.ts";
export * from "./cost.ts";
