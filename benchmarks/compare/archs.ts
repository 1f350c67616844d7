/**
 * `compare --archs`: which NB201 architectures are scored. `all` (15,625), `naslib` (the 725 of
 * NASLib's zero-cost reference file, per dataset) or `N` (a seeded sample of N distinct
 * architectures, the same for every metric).
 *
 * @module
 */
import { UsageError } from "../../cli/args.ts";
import type { DataDir } from "../../datasets/data_dir.ts";
import type { DatasetName } from "../../datasets/image_set.ts";
import { loadNaslibZc } from "../../datasets/naslib_zc.ts";
import { tauSample } from "../_nb201/tau.ts";
import {
  genotypeFromNaslib,
  genotypeToIndex,
  NB201_SIZE,
} from "../../search_spaces/nb201/encoding.ts";

/** A parsed `--archs` value. */
export type ArchSelection = { kind: "all" } | { kind: "naslib" } | { kind: "sample"; n: number };

/** Seed of the `--archs N` sample (fixed, so every run scores the same architectures). */
export const ARCH_SAMPLE_SEED = 0;

/** Parses `--archs` (`all`, `naslib` or a count in [2, 15625]). */
export function parseArchs(value: string): ArchSelection {
  if (value === "all") return { kind: "all" };
  if (value === "naslib") return { kind: "naslib" };
  if (/^[0-9]+$/.test(value)) {
    const n = Number(value);
    if (n >= 2 && n <= NB201_SIZE) {
      return n === NB201_SIZE ? { kind: "all" } : { kind: "sample", n };
    }
  }
  throw new UsageError(
    `--archs: expected all, naslib or a count in [2, ${NB201_SIZE}], got "${value}"`,
  );
}

/** The text of a selection (`all`, `naslib`, `N`). */
export function formatArchs(s: ArchSelection): string {
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
    const idx = [...new Set(entries.map((e) => genotypeToIndex(genotypeFromNaslib(e.key))))];
    return {
      indices: Int32Array.from(idx.sort((a, b) => a - b)),
      description: `the ${idx.length} of NASLib's zero-cost file`,
    };
  }
  const sample = tauSample(selection.n, ARCH_SAMPLE_SEED);
  return { indices: sample.indices, description: sample.description };
}
