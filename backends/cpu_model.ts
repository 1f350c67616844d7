/**
 * A human-readable description of the host CPU, used as the `device` of CPU backends.
 *
 * @module
 */

/**
 * Extracts the processor name from the text of Linux `/proc/cpuinfo`: the first `model name`
 * line (x86), else `Hardware`/`Processor`/`cpu model` (ARM / MIPS), else `undefined`.
 *
 * @param text contents of `/proc/cpuinfo`
 */
export function parseCpuinfoModel(text: string): string | undefined {
  for (const key of ["model name", "hardware", "processor", "cpu model"]) {
    for (const line of text.split("\n")) {
      const colon = line.indexOf(":");
      if (colon < 0) continue;
      const k = line.slice(0, colon).trim().toLowerCase();
      const v = line.slice(colon + 1).trim();
      // ARM "processor : 0" lines are indices, not names.
      if (k === key && v !== "" && !/^\d+$/.test(v)) return v;
    }
  }
  return undefined;
}

/**
 * The CPU model and logical core count, e.g. `"Intel(R) Xeon(R) Processor (2 logical cores)"`.
 * Reads `/proc/cpuinfo` (needs `--allow-read`), falls back to `node:os` `cpus()` (needs
 * `--allow-sys`), and to `"unknown CPU"` when neither is permitted or available.
 */
export async function cpuModel(): Promise<string> {
  let model: string | undefined;
  try {
    model = parseCpuinfoModel(await Deno.readTextFile("/proc/cpuinfo"));
  } catch {
    // Not Linux, or no read permission.
  }
  if (model === undefined) {
    try {
      const os = await import("node:os");
      model = os.cpus()[0]?.model?.trim() || undefined;
    } catch {
      // No --allow-sys.
    }
  }
  const cores = navigator.hardwareConcurrency;
  return `${model ?? "unknown CPU"} (${cores} logical core${cores === 1 ? "" : "s"})`;
}
