/**
 * `deno task download`: fetch the official data files (CIFAR-10/100 binaries, NAS-Bench-201 split
 * files) into the cache directory, verify their checksums, and print how to get the files that
 * need a manual download (NAS-Bench-201 benchmark file, ImageNet16-120).
 *
 * ```
 * deno task download [--dir DIR] [--target NAME ...] [--force]
 * ```
 *
 * @module
 */
import { cacheDir } from "../datasets/data_dir.ts";
import {
  DEFAULT_TARGETS,
  download,
  manualInstructions,
  OFFICIAL_TARGETS,
} from "../datasets/download.ts";
import { flagHelp, type FlagSpec, listFlag, parseFlags, stringFlag, UsageError } from "./args.ts";

/** The flags of `download`. */
export const DOWNLOAD_FLAGS: Readonly<Record<string, FlagSpec>> = {
  dir: { type: "string", placeholder: "DIR", help: `target directory (default ${cacheDir()})` },
  target: {
    type: "string",
    multiple: true,
    choices: DEFAULT_TARGETS,
    placeholder: "name",
    help: "what to fetch, repeatable (default: all)",
  },
  force: { type: "boolean", help: "fetch again even when present" },
  help: { type: "boolean", short: "h", help: "show this help" },
};

/** Run the downloader; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  try {
    const { values, positionals } = parseFlags(args, DOWNLOAD_FLAGS);
    if (values.help) {
      console.log(`Usage: deno task download [flags]\n\nFlags:\n${flagHelp(DOWNLOAD_FLAGS)}`);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const dir = stringFlag("dir", values.dir, { default: cacheDir() });
    const names = listFlag(values.target);
    const targets = (names.length > 0 ? names : DEFAULT_TARGETS).map((n) => OFFICIAL_TARGETS[n]);
    await download(targets, { dir, force: values.force === true, log: (l) => console.error(l) });
    console.log(manualInstructions(dir));
    console.log(`\nUse the data with --data-dir ${dir} or RLNAS_DATA_DIR=${dir}.`);
    return 0;
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return e instanceof UsageError ? 2 : 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
