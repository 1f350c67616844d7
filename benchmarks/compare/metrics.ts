/**
 * `compare --metric`: registered metric names, or paths of plug-in modules whose default export
 * is an {@link ArchMetric}. Every problem is a one-line `UsageError` naming the name or file.
 *
 * @module
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { UsageError } from "../../cli/args.ts";
import type { ArchMetric } from "../../metrics/metric.ts";
import { metricNames, METRICS } from "../../metrics/registry.ts";

/** A metric of a comparison, and the plug-in file it came from. */
export interface ResolvedMetric {
  metric: ArchMetric;
  /** The plug-in module (as given), absent for registered metrics. */
  plugin?: string;
}

/** Whether `spec` names a file rather than a registered metric. */
export function isPluginPath(spec: string): boolean {
  return spec.includes("/") || /\.[cm]?[jt]s$/.test(spec);
}

/** Checks the shape of a plug-in's default export; returns the problem, or null. */
export function pluginProblem(value: unknown): string | null {
  if (typeof value !== "object" || value === null) {
    return "its default export is not an ArchMetric object (export default { name, ... })";
  }
  const m = value as Record<string, unknown>;
  if (typeof m.name !== "string" || !/^[A-Za-z0-9_.-]+$/.test(m.name)) {
    return "its ArchMetric needs a name of letters, digits, '_', '.' or '-'";
  }
  if (typeof m.higherIsBetter !== "boolean") return "its ArchMetric needs higherIsBetter: boolean";
  if (!Array.isArray(m.requires) || m.requires.some((r) => typeof r !== "string")) {
    return "its ArchMetric needs requires: an array of context field names (may be empty)";
  }
  if (typeof m.create !== "function") return "its ArchMetric needs create(ctx)";
  return null;
}

async function _loadPlugin(path: string): Promise<ArchMetric> {
  const abs = resolve(path);
  try {
    const st = await Deno.stat(abs);
    if (!st.isFile) throw new UsageError(`--metric ${path}: not a file`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(
      `--metric ${path}: no such file (a registered metric, one of ${metricNames().join(", ")}, ` +
        `or the path of a .ts module whose default export is an ArchMetric)`,
    );
  }
  let mod: Record<string, unknown>;
  try {
    mod = await import(pathToFileURL(abs).href);
  } catch (e) {
    throw new UsageError(
      `--metric ${path}: the module failed to load: ${(e as Error).message.split("\n")[0]}`,
    );
  }
  const problem = pluginProblem(mod.default);
  if (problem !== null) throw new UsageError(`--metric ${path}: ${problem}`);
  const m = mod.default as ArchMetric;
  return { ...m, description: typeof m.description === "string" ? m.description : "" };
}

/**
 * The metrics of `specs` (names or plug-in paths, in order, duplicates dropped).
 *
 * @throws UsageError for an unknown name (listing the registered ones), a plug-in that is
 *   missing, fails to load or exports no ArchMetric, or two metrics of one name
 */
export async function resolveMetrics(specs: readonly string[]): Promise<ResolvedMetric[]> {
  const out: ResolvedMetric[] = [];
  for (const spec of [...new Set(specs)]) {
    let r: ResolvedMetric;
    if (isPluginPath(spec)) {
      r = { metric: await _loadPlugin(spec), plugin: spec };
      if (METRICS.has(r.metric.name)) {
        throw new UsageError(
          `--metric ${spec}: its name "${r.metric.name}" is a registered metric's; rename it`,
        );
      }
    } else {
      const m = METRICS.get(spec);
      if (m === undefined) {
        throw new UsageError(
          `--metric: unknown metric "${spec}" (valid: ${metricNames().join(", ")}, ` +
            `or the path of a plug-in .ts file)`,
        );
      }
      r = { metric: m };
    }
    if (out.some((o) => o.metric.name === r.metric.name)) {
      throw new UsageError(`--metric: two metrics are named "${r.metric.name}"`);
    }
    out.push(r);
  }
  return out;
}
