/**
 * Provenance: how a result was made (code revision, runtime, backend, device, times).
 *
 * @module
 */
import { tf } from "../backends/tf.ts";
import { cpuModel } from "../backends/cpu_model.ts";

/** Columns every result row carries, in this order, before the benchmark's own columns. */
export const PROVENANCE_COLUMNS = [
  "benchmark",
  "paper_table",
  "method",
  "dataset",
  "profile",
  "seed",
  "backend",
  "device",
  "git_rev",
  "deno_version",
  "tfjs_version",
  "started_at",
  "duration_s",
  "run_id",
] as const;

/** One provenance column name. */
export type ProvenanceColumn = typeof PROVENANCE_COLUMNS[number];

/** Environment facts shared by every row of one run. */
export interface RunEnvironment {
  git_rev: string;
  deno_version: string;
  tfjs_version: string;
  cpu: string;
  os: string;
}

const _root = new URL("..", import.meta.url).pathname;
const _repo = _root.replace(/\/$/, "");
const _parent = _repo.slice(0, _repo.lastIndexOf("/"));

function _home(): string | undefined {
  try {
    return Deno.env.get("HOME") || undefined;
  } catch {
    return undefined;
  }
}

/**
 * A path as recorded in results: relative to the repository (`./…`) or its parent (`../…`, e.g.
 * `../shared/data`), under the home directory as `~/…`, any other absolute path as
 * `…/<last component>`. Results never carry the absolute paths of the machine that made them.
 */
export function portablePath(path: string): string {
  if (!path.startsWith("/")) return path;
  if (path === _repo) return ".";
  if (path.startsWith(`${_repo}/`)) return `./${path.slice(_repo.length + 1)}`;
  if (_parent !== "" && path.startsWith(`${_parent}/`)) {
    return `../${path.slice(_parent.length + 1)}`;
  }
  const home = _home();
  if (home !== undefined && home !== "/" && path.startsWith(`${home}/`)) {
    return `~/${path.slice(home.length + 1)}`;
  }
  const last = path.replace(/\/+$/, "").split("/").pop();
  return last ? `…/${last}` : "/";
}

const _ABS = /(^|[\s'"(=:,])(\/[^\s'"(),;]*)/g;

/** `value` with every absolute path inside its strings made {@link portablePath} (deep copy). */
export function portable<T>(value: T): T {
  if (typeof value === "string") {
    return value.replace(_ABS, (_m, pre: string, p: string) => pre + portablePath(p)) as T;
  }
  if (Array.isArray(value)) return value.map((v) => portable(v)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, portable(v)]),
    ) as T;
  }
  return value;
}

/** The git revision of this checkout (`<sha>` or `<sha>-dirty`), or `unknown`. */
export async function gitRevision(): Promise<string> {
  try {
    const out = await new Deno.Command("git", {
      args: ["describe", "--always", "--dirty", "--abbrev=12", "--exclude=*"],
      cwd: _root,
      stdout: "piped",
      stderr: "null",
    }).output();
    const rev = new TextDecoder().decode(out.stdout).trim();
    return out.success && rev !== "" ? rev : "unknown";
  } catch {
    return "unknown";
  }
}

/** Gather the environment facts of this run. */
export async function runEnvironment(): Promise<RunEnvironment> {
  return {
    git_rev: await gitRevision(),
    deno_version: Deno.version.deno,
    tfjs_version: tf.version.tfjs ?? tf.version_core,
    cpu: await cpuModel(),
    os: `${Deno.build.os}-${Deno.build.arch}`,
  };
}

/** A short unique run id: UTC timestamp plus random suffix. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "");
  return `${stamp}-${crypto.randomUUID().slice(0, 6)}`;
}
