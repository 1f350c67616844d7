/**
 * `deno task download`: fetch the official data files (CIFAR-10/100 binaries, NAS-Bench-201 split
 * files) into the cache directory, verify their checksums, and print how to get the files that
 * need a manual download (NAS-Bench-201 benchmark file, ImageNet16-120) and how to convert them
 * (`tools/export_nb201.py`, `tools/convert_imagenet16.py`).
 *
 * ```
 * deno task download [--dir DIR] [--target NAME ...] [--force]
 * ```
 *
 * `--help` lists the targets and the manual steps. When a target cannot be fetched (no network,
 * every mirror failing), it prints the manual steps, then one line `error: <target>: download
 * failed from every source (...)`, and exits 1.
 *
 * @module
 */
import { cacheDir } from "../datasets/data_dir.ts";
import {
  DEFAULT_TARGETS,
  download,
  DownloadError,
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

/** The `--help` text: usage, flags, the targets, and the manual steps for the other data. */
export function downloadHelp(dir: string = cacheDir()): string {
  const width = Math.max(...DEFAULT_TARGETS.map((n) => n.length));
  const targets = DEFAULT_TARGETS.map((n) => {
    const t = OFFICIAL_TARGETS[n];
    return `  ${n.padEnd(width)}  ${t.description}`;
  });
  return `Usage: deno task download [flags]\n\nFlags:\n${flagHelp(DOWNLOAD_FLAGS)}\n\n` +
    `Targets (default: all), fetched from the official sources into the directory, SHA-256 ` +
    `checked:\n${targets.join("\n")}\n\n${manualInstructions(dir)}`;
}

/** Injected dependencies of {@link main} (tests). */
export interface DownloadMainOptions {
  /** `fetch` to use; default the global `fetch`. */
  fetchFn?: (url: string) => Promise<Response>;
}

/** Run the downloader; returns the exit code. */
export async function main(args: string[], opts: DownloadMainOptions = {}): Promise<number> {
  let dir = cacheDir();
  try {
    const { values, positionals } = parseFlags(args, DOWNLOAD_FLAGS);
    if (values.help) {
      console.log(downloadHelp());
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    dir = stringFlag("dir", values.dir, { default: cacheDir() });
    const names = listFlag(values.target);
    const targets = (names.length > 0 ? names : DEFAULT_TARGETS).map((n) => OFFICIAL_TARGETS[n]);
    await download(targets, {
      dir,
      force: values.force === true,
      log: (l) => console.error(l),
      fetchFn: opts.fetchFn,
    });
    console.log(manualInstructions(dir));
    console.log(`\nUse the data with --data-dir ${dir} or RLNAS_DATA_DIR=${dir}.`);
    return 0;
  } catch (e) {
    if (e instanceof DownloadError) console.error(`\n${manualInstructions(dir)}`);
    console.error(`error: ${(e as Error).message}`);
    return e instanceof UsageError ? 2 : 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
