/**
 * Search spaces: the registry (`getSearchSpace`), the NAS-Bench-201 space, the DARTS-like and
 * MobileNet-like spaces (architectures and cost models) and the cost-model registry
 * (`getCostModel`, used by `deno task cost`).
 *
 * @module
 */
export * from "./registry.ts";
export * from "./nb201/mod.ts";
export * from "./darts/mod.ts";
export * from "./mobilenet/mod.ts";
export * from "./cost_models.ts";
export * from "./arch_syntax_error.ts";
