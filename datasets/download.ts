/**
 * Downloader for the official data sources (for users with internet access).
 *
 * Fetches the CIFAR-10 / CIFAR-100 binary tarballs from the Toronto site and the NAS-Bench-201
 * split files from GitHub, checks SHA-256 digests (`crypto.subtle`), extracts `.tar.gz` archives
 * with a small built-in tar reader (`DecompressionStream("gzip")`, no dependency), and writes
 * everything into the layout the readers expect:
 *
 * - `cifar10/cifar-10-batches-bin/{data_batch_1..5,test_batch}.bin` (read by `cifar.ts`)
 * - `cifar100/cifar-100-binary/{train,test}.bin`
 * - `nb201/splits/*.txt` (read by `splits.ts`)
 *
 * The NAS-Bench-201 benchmark file and ImageNet16-120 need a manual Google Drive download:
 * {@link manualInstructions} says how, and how to convert them with the Python tools
 * {@link EXPORT_NB201_TOOL} and {@link CONVERT_IMAGENET16_TOOL}. A target that no source delivers
 * (e.g. no network) throws a {@link DownloadError} with a one-line message.
 *
 * @module
 */
import { cacheDir } from "./data_dir.ts";

/** One thing to download. */
export interface DownloadTarget {
  /** Short name (`cifar10`, `cifar100`, `cifar-split`, ...). */
  name: string;
  /** One-line description. */
  description: string;
  /** Mirrors, tried in order until one gives bytes with the right digest. */
  urls: readonly string[];
  /** Expected SHA-256 (lower-case hex) of the downloaded bytes, when known. */
  sha256?: string;
  /** Expected size in bytes, when known. */
  bytes?: number;
  /** `tar.gz`: extract into `dest` (a directory); `file`: save as `dest`. */
  kind: "tar.gz" | "file";
  /** Path relative to the data directory. */
  dest: string;
  /** Files (relative to the data directory) that exist once the target is in place. */
  provides: readonly string[];
}

const _SPLIT_SHA256: Record<string, string> = {
  "cifar-split.txt": "986da6174822048d4c5a25ee8ebdb7e754cd5372b51c633ffd4898ace8db9e32",
  "cifar100-test-split.txt": "14a5e3708e790ad57f987cdbcf202f724519475d6e8b0db34d0182e73b581bba",
  "imagenet-16-120-test-split.txt":
    "c0edac1d3676a9f21acea8feeb31336202d75b1a73df62aec31c6b45bb289a18",
  "ImageNet16-120-split.txt": "b2f3d37fbc2e2c239eb90ce12abeb6bac7a539f8d3888b4d5a136d292cddbef9",
};

const _AUTODL_COMMIT = "a84f48388215d043d94c12c912e6a1defafca891";

function _splitTarget(file: string): DownloadTarget {
  const name = file.replace(/\.txt$/, "");
  return {
    name,
    description: `NAS-Bench-201 split file ${file}`,
    urls: [
      `https://raw.githubusercontent.com/D-X-Y/AutoDL-Projects/${_AUTODL_COMMIT}/configs/nas-benchmark/${file}`,
      `https://raw.githubusercontent.com/D-X-Y/AutoDL-Projects/main/configs/nas-benchmark/${file}`,
      `https://raw.githubusercontent.com/megvii-model/RLNAS/main/nas_bench_201/configs/nas-benchmark/${file}`,
    ],
    sha256: _SPLIT_SHA256[file],
    kind: "file",
    dest: `nb201/splits/${file}`,
    provides: [`nb201/splits/${file}`],
  };
}

/**
 * The official sources. Tarball digests and sizes: TensorFlow Datasets' `url_checksums`
 * (`cifar10.txt`, `cifar100.txt`); split-file digests: the shared data README (files as shipped
 * by NAS-Bench-201 / RLNAS).
 */
export const OFFICIAL_TARGETS: Readonly<Record<string, DownloadTarget>> = {
  cifar10: {
    name: "cifar10",
    description: "CIFAR-10 binary version (50,000 train + 10,000 test images)",
    urls: ["https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"],
    sha256: "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd",
    bytes: 170052171,
    kind: "tar.gz",
    dest: "cifar10",
    provides: [1, 2, 3, 4, 5].map((k) => `cifar10/cifar-10-batches-bin/data_batch_${k}.bin`)
      .concat(["cifar10/cifar-10-batches-bin/test_batch.bin"]),
  },
  cifar100: {
    name: "cifar100",
    description: "CIFAR-100 binary version (50,000 train + 10,000 test images)",
    urls: ["https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz"],
    sha256: "58a81ae192c23a4be8b1804d68e518ed807d710a4eb253b1f2a199162a40d8ec",
    bytes: 168513733,
    kind: "tar.gz",
    dest: "cifar100",
    provides: ["cifar100/cifar-100-binary/train.bin", "cifar100/cifar-100-binary/test.bin"],
  },
  "cifar-split": _splitTarget("cifar-split.txt"),
  "cifar100-test-split": _splitTarget("cifar100-test-split.txt"),
  "imagenet-16-120-test-split": _splitTarget("imagenet-16-120-test-split.txt"),
  "ImageNet16-120-split": _splitTarget("ImageNet16-120-split.txt"),
};

/** Names of every official target (what `deno task download` fetches by default). */
export const DEFAULT_TARGETS: readonly string[] = Object.keys(OFFICIAL_TARGETS);

/** Lower-case hex SHA-256 of `bytes`. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Decompress gzip bytes with `DecompressionStream`. */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new DecompressionStream("gzip"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** One member of a tar archive. */
export interface TarEntry {
  /** Path inside the archive (GNU long names and pax `path` records applied). */
  name: string;
  /** `file` (regular), `dir`, or `other` (links, devices, ...: not extracted). */
  type: "file" | "dir" | "other";
  /** Contents (empty for non-files); a view into the archive bytes. */
  data: Uint8Array;
}

const _decoder = new TextDecoder();

function _cstr(h: Uint8Array, at: number, len: number): string {
  const field = h.subarray(at, at + len);
  const end = field.indexOf(0);
  return _decoder.decode(end < 0 ? field : field.subarray(0, end));
}

function _octal(h: Uint8Array, at: number, len: number): number {
  if (h[at] & 0x80) {
    // GNU base-256 encoding for large sizes.
    let v = h[at] & 0x7f;
    for (let i = 1; i < len; i++) v = v * 256 + h[at + i];
    return v;
  }
  const s = _cstr(h, at, len).trim();
  if (s === "") return 0;
  if (!/^[0-7]+$/.test(s)) throw new Error(`corrupt tar header: numeric field "${s}"`);
  return parseInt(s, 8);
}

function _paxPath(data: Uint8Array): string | undefined {
  const text = _decoder.decode(data);
  let path: string | undefined;
  let at = 0;
  while (at < text.length) {
    const space = text.indexOf(" ", at);
    if (space < 0) break;
    const len = parseInt(text.slice(at, space), 10);
    if (!(len > 0)) break;
    const rec = text.slice(space + 1, at + len - 1);
    const eq = rec.indexOf("=");
    if (eq > 0 && rec.slice(0, eq) === "path") path = rec.slice(eq + 1);
    at += len;
  }
  return path;
}

/**
 * Parse an (uncompressed) tar archive: ustar, GNU (`L` long names) and pax (`x` path records).
 * Throws an `Error` on a bad header checksum or a truncated member.
 */
export function parseTar(bytes: Uint8Array): TarEntry[] {
  const out: TarEntry[] = [];
  let at = 0;
  let longName: string | undefined;
  while (at + 512 <= bytes.length) {
    const h = bytes.subarray(at, at + 512);
    if (h.every((b) => b === 0)) break;
    const stored = _octal(h, 148, 8);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
    if (sum !== stored) {
      throw new Error(`corrupt tar header at byte ${at}: checksum ${stored}, computed ${sum}`);
    }
    const size = _octal(h, 124, 12);
    const flag = String.fromCharCode(h[156]);
    const start = at + 512;
    if (start + size > bytes.length) {
      throw new Error(`truncated tar archive: member at byte ${at} needs ${size} bytes`);
    }
    const data = bytes.subarray(start, start + size);
    at = start + Math.ceil(size / 512) * 512;
    if (flag === "L") {
      longName = _cstr(data, 0, data.length);
      continue;
    }
    if (flag === "x") {
      longName = _paxPath(data) ?? longName;
      continue;
    }
    if (flag === "g") continue;
    let name = _cstr(h, 0, 100);
    if (_decoder.decode(h.subarray(257, 262)) === "ustar") {
      const prefix = _cstr(h, 345, 155);
      if (prefix !== "") name = `${prefix}/${name}`;
    }
    if (longName !== undefined) {
      name = longName;
      longName = undefined;
    }
    const type = flag === "0" || flag === "\0" || flag === "7"
      ? "file"
      : flag === "5"
      ? "dir"
      : "other";
    out.push({ name, type, data: type === "file" ? data : new Uint8Array(0) });
  }
  return out;
}

/** A relative path made safe for extraction; throws on absolute paths or `..` components. */
export function safeRelativePath(name: string): string {
  const parts = name.split("/").filter((p) => p !== "" && p !== ".");
  if (name.startsWith("/") || parts.some((p) => p === "..") || parts.length === 0) {
    throw new Error(`unsafe path in archive: "${name}"`);
  }
  return parts.join("/");
}

async function _writeAtomic(path: string, data: Uint8Array): Promise<void> {
  const dir = path.slice(0, path.lastIndexOf("/"));
  if (dir !== "") await Deno.mkdir(dir, { recursive: true });
  const tmp = `${path}.part`;
  await Deno.writeFile(tmp, data);
  await Deno.rename(tmp, path);
}

/**
 * Extract `.tar.gz` bytes into `destDir` (created as needed). Regular files and directories are
 * written; other members are skipped. Returns the written file paths.
 */
export async function extractTarGz(bytes: Uint8Array, destDir: string): Promise<string[]> {
  const entries = parseTar(await gunzip(bytes));
  const written: string[] = [];
  for (const e of entries) {
    if (e.type === "other") continue;
    const path = `${destDir}/${safeRelativePath(e.name)}`;
    if (e.type === "dir") {
      await Deno.mkdir(path, { recursive: true });
      continue;
    }
    await _writeAtomic(path, e.data);
    written.push(path);
  }
  return written;
}

/** Options of {@link download}. */
export interface DownloadOptions {
  /** Data directory to fill; default {@link cacheDir}. */
  dir?: string;
  /** `fetch` to use (injected in tests); default the global `fetch`. */
  fetchFn?: (url: string) => Promise<Response>;
  /** Download again even when the target's files are present. */
  force?: boolean;
  /** Progress lines; default `console.log`. */
  log?: (line: string) => void;
}

/** What happened to one target. */
export interface DownloadResult {
  /** Target name. */
  name: string;
  /** `present`: already there, nothing fetched; `downloaded`: fetched and written. */
  status: "present" | "downloaded";
  /** URL the bytes came from (when downloaded). */
  url?: string;
  /** Files written (when downloaded). */
  files: string[];
}

function _exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** No source of a target gave bytes with the expected size and digest (e.g. no network). */
export class DownloadError extends Error {
  /** The target's name. */
  readonly target: string;
  /** One entry per source tried: `<url>: <what went wrong>`. */
  readonly problems: readonly string[];
  constructor(target: string, problems: readonly string[]) {
    const why = problems.map((p) => p.replace(/\s*\n\s*/g, " ")).join("; ");
    super(`${target}: download failed from every source (${why})`);
    this.name = "DownloadError";
    this.target = target;
    this.problems = problems;
  }
}

async function _fetchVerified(
  t: DownloadTarget,
  fetchFn: (url: string) => Promise<Response>,
  log: (line: string) => void,
): Promise<{ url: string; bytes: Uint8Array }> {
  const problems: string[] = [];
  for (const url of t.urls) {
    log(`${t.name}: fetching ${url}`);
    let bytes: Uint8Array;
    try {
      const res = await fetchFn(url);
      if (!res.ok) {
        problems.push(`${url}: HTTP ${res.status}`);
        await res.body?.cancel();
        continue;
      }
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch (e) {
      problems.push(`${url}: ${(e as Error).message}`);
      continue;
    }
    if (t.bytes !== undefined && bytes.length !== t.bytes) {
      problems.push(`${url}: ${bytes.length} bytes, expected ${t.bytes}`);
      continue;
    }
    if (t.sha256 !== undefined) {
      const got = await sha256Hex(bytes);
      if (got !== t.sha256) {
        problems.push(`${url}: SHA-256 ${got}, expected ${t.sha256}`);
        continue;
      }
    } else {
      log(`${t.name}: no known SHA-256, not verified`);
    }
    return { url, bytes };
  }
  throw new DownloadError(t.name, problems);
}

/**
 * Download `targets` (names of {@link OFFICIAL_TARGETS} or target objects) into the data
 * directory, verify them, and extract / save them in the readers' layout. Targets whose files are
 * all present are skipped unless `force`. Throws a {@link DownloadError} naming the target and
 * every failed source when no source gives bytes with the expected size and digest (nothing is
 * written for that target then; targets before it stay written).
 */
export async function download(
  targets: readonly (string | DownloadTarget)[],
  opts: DownloadOptions = {},
): Promise<DownloadResult[]> {
  const dir = opts.dir ?? cacheDir();
  const fetchFn = opts.fetchFn ?? ((url: string) => fetch(url));
  const log = opts.log ?? ((line: string) => console.log(line));
  const resolved = targets.map((t) => {
    if (typeof t !== "string") return t;
    const found = OFFICIAL_TARGETS[t];
    if (found === undefined) {
      throw new RangeError(
        `Unknown download target "${t}": expected one of ${
          Object.keys(OFFICIAL_TARGETS).join(", ")
        }`,
      );
    }
    return found;
  });
  const results: DownloadResult[] = [];
  for (const t of resolved) {
    if (!opts.force && t.provides.length > 0 && t.provides.every((p) => _exists(`${dir}/${p}`))) {
      log(`${t.name}: present in ${dir}`);
      results.push({ name: t.name, status: "present", files: [] });
      continue;
    }
    const { url, bytes } = await _fetchVerified(t, fetchFn, log);
    const dest = `${dir}/${safeRelativePath(t.dest)}`;
    let files: string[];
    if (t.kind === "tar.gz") {
      files = await extractTarGz(bytes, dest);
    } else {
      await _writeAtomic(dest, bytes);
      files = [dest];
    }
    const missing = t.provides.filter((p) => !_exists(`${dir}/${p}`));
    if (missing.length > 0) {
      throw new Error(`${t.name}: ${url} did not provide ${missing.join(", ")}`);
    }
    log(`${t.name}: ${files.length} file(s) written under ${dir}`);
    results.push({ name: t.name, status: "downloaded", url, files });
  }
  return results;
}

/** The exporter of the NAS-Bench-201 ground truth (run from the repository root). */
export const EXPORT_NB201_TOOL = "tools/export_nb201.py";

/** The converter of the official ImageNet16-120 pickles (run from the repository root). */
export const CONVERT_IMAGENET16_TOOL = "tools/convert_imagenet16.py";

/**
 * Instructions for the data that needs a manual (Google Drive) download: the NAS-Bench-201
 * benchmark file (exported with {@link EXPORT_NB201_TOOL}) and ImageNet16-120 (converted with
 * {@link CONVERT_IMAGENET16_TOOL}). `dir` is the data directory to fill.
 */
export function manualInstructions(dir: string = cacheDir()): string {
  return `Manual downloads (Google Drive: no direct URL this tool can fetch). Run the commands from
the repository root.

1. NAS-Bench-201 ground truth -> ${dir}/nb201/nb201.csv
   Download the benchmark file NAS-Bench-201-v1_1-096897.pth (Python package nas-bench-201, which
   needs torch) or the NATS-Bench topology benchmark NATS-tss-v1_0-3ffb9-simple (extract the .tar
   to a directory; package nats_bench, numpy only); links in https://github.com/D-X-Y/NAS-Bench-201
   and https://github.com/D-X-Y/NATS-Bench. Then export and check the table (hp=200, mean over
   seeds; the script's docstring says which dataset, split and metric feed each column):

     python3 ${EXPORT_NB201_TOOL} --benchmark /path/to/NAS-Bench-201-v1_1-096897.pth \\
       --out ${dir}/nb201/nb201.csv

   (or --benchmark /path/to/NATS-tss-v1_0-3ffb9-simple). Check an existing file with
   python3 ${EXPORT_NB201_TOOL} --check ${dir}/nb201/nb201.csv

2. ImageNet16-120 -> ${dir}/imagenet16-120/{train,val}.bin
   Download the "ImageNet16" folder (train_data_batch_1 .. train_data_batch_10, val_data) from
     https://drive.google.com/drive/folders/1T3UIyZXUhMmIuJLOBMIYKAsJknAtrrO4
   (e.g. \`gdown --folder <url>\`), then convert it (needs numpy; verifies the official MD5s,
   keeps classes 1..120 with labels 0..119: 151,700 train and 6,000 val images):

     python3 ${CONVERT_IMAGENET16_TOOL} /path/to/ImageNet16 ${dir}
`;
}
