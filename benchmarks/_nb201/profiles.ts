/**
 * `--list` descriptions of the profiles of the NB201 benchmarks, and their default datasets and
 * seeds.
 *
 * @module
 */
import type { DatasetName, ProfileInfo, ProfileName } from "../types.ts";
import { describeSettings, type Nb201Settings, nb201Settings } from "./settings.ts";

/** All three NB201 datasets. */
export const NB201_DATASETS: readonly DatasetName[] = ["cifar10", "cifar100", "ImageNet16-120"];

/** Default datasets: CIFAR-10 for smoke and quick (the data here), all three for paper. */
export const DEFAULT_DATASETS: Readonly<Record<ProfileName, readonly DatasetName[]>> = {
  smoke: ["cifar10"],
  quick: ["cifar10"],
  paper: NB201_DATASETS,
};

/** Default seeds: 0 for smoke and quick, 0, 1, 2 for paper (three runs, as the paper). */
export const DEFAULT_SEEDS: Readonly<Record<ProfileName, readonly number[]>> = {
  smoke: [0],
  quick: [0],
  paper: [0, 1, 2],
};

/**
 * The `--list` entries of a NB201 benchmark; `time` gives the expected duration per profile
 * (per dataset and seed) and `overrides` the benchmark's changes to the profile settings.
 */
export function profileInfos(
  time: Readonly<Record<ProfileName, string>>,
  overrides: Partial<Record<ProfileName, Partial<Nb201Settings>>> = {},
): Record<ProfileName, ProfileInfo> {
  const env = () => undefined; // --list shows the profile as defined, not env overrides
  const info = (p: ProfileName, hw: ProfileInfo["hardware"]): ProfileInfo => ({
    description: `${describeSettings(nb201Settings(p, overrides[p], env))}; ${time[p]}`,
    hardware: hw,
  });
  return { smoke: info("smoke", "cpu"), quick: info("quick", "any"), paper: info("paper", "gpu") };
}
