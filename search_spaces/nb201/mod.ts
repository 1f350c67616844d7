/**
 * The NAS-Bench-201 search space: encoding, costs (and the SuperNet, added by its own module).
 *
 * @module
 */
export * from "./encoding.ts";
export * from "./cost.ts";
export * from "./supernet.ts";
export * from "./sampling.ts";
export { createNb201Network, Nb201Network } from "./network.ts";
