/**
 * `compare --archs`: which NB201 architectures are scored. `all` (15,625), `naslib` (the 725 of
 * NASLib's zero-cost reference file, per dataset), `naslib:N` (a seeded sample of N of those) or
 * `N` (a seeded sample of N distinct architectures, the same for every metric).
 *
 * @module
 */
import { UsageError } from "../../cli/args.ts";
import type { DataDir } from "../../datasets/data_dir.ts";
import type { DatasetName } from "../../datasets/image_set.ts";
import { loadNaslibZc } from "../../datasets/naslib_zc.ts";
import { tauSample } from "../_nb201/tau.ts";
import { RandomState } from "../../labels/random_state.ts";
import {
  genotypeFromNaslib,
  genotypeToIndex,
  NB201_SIZE,
} from "../../search_spaces/nb201/encoding.ts";

/** A parsed `--archs` value. */
export type ArchSelection =
  | { kind: "all" }
  | { kind: "naslib"; n?: number }
  | { kind: "sample"; n: number };

/** Seed of the `--archs N` sample (fixed, so every run scores the same architectures). */
export const ARCH_SAMPLE_SEED = 0;

/**
 * Parses `--archs` (`all`, `naslib`, `naslib:N` with N >= 2, or a count in [2, 15625]); whether
 * the file holds N architectures is checked by {@link selectArchs}.
 */
export function parseArchs(value: string): ArchSelection {
  if (value === "all") return { kind: "all" };
  if (value === "naslib") return { kind: "naslib" };
  const sub = /^naslib:([0-9]+)$/.exec(value);
  if (sub !== null && Number(sub[1]) >= 2) return { kind: "naslib", n: Number(sub[1]) };
  if (/^[0-9]+$/.test(value)) {
    const n = Number(value);
    if (n >= 2 && n <= NB201_SIZE) {
      return n === NB201_SIZE ? { kind: "all" } : { kind: "sample", n };
    }
  }
  throw new UsageError(
    `--archs: expected all, naslib, naslib:N (N >= 2) or a count in [2, ${NB201_SIZE}], got "${value}"`,
  );
}

/** The text of a selection (`all`, `naslib`, `naslib:N`, `N`). */
export function formatArchs(s: ArchSelection): string {
  if (s.kind === "naslib") return s.n === undefined ? "naslib" : `naslib:${s.n}`;
  return s.kind === "sample" ? String(s.n) : s.kind;
}

/** The NB201 enumeration indices of `selection` on `dataset`, ascending, and what they are. */
export async function selectArchs(
  selection: ArchSelection,
  dataset: DatasetName,
  dataDir: DataDir,
): Promise<{ indices: Int32Array; description: string }> {
  if (selection.kind === "all") {
    return { indices: Int32Array.from({ length: NB201_SIZE }, (_, i) => i), description: "all" };
  }
  if (selection.kind === "naslib") {
    const zc = await loadNaslibZc(dataDir);
    const entries = zc[dataset] ?? [];
    let idx = [...new Set(entries.map((e) => genotypeToIndex(genotypeFromNaslib(e.key))))];
    idx.sort((a, b) => a - b);
    const all = idx.length;
    if (selection.n !== undefined) {
      if (selection.n > all) {
        throw new UsageError(
          `--archs naslib:${selection.n}: NASLib's file holds ${all} ${dataset} architectures`,
        );
      }
      const order = new RandomState(ARCH_SAMPLE_SEED).permutation(all).subarray(0, selection.n);
      idx = Array.from(order, (i) => idx[i]).sort((a, b) => a - b);
    }
    return {
      indices: Int32Array.from(idx),
      description: selection.n === undefined
        ? `the ${all} of NASLib's zero-cost file`
        : `a seeded sample (RandomState(${ARCH_SAMPLE_SEED}).permutation) of ${idx.length} of the ${all} of NASLib's zero-cost file`,
    };
  }
  const sample = tauSample(selection.n, ARCH_SAMPLE_SEED);
  return { indices: sample.indices, description: sample.description };
}
