/**
 * Writes the report folder atomically: everything goes to a temp folder beside `outDir`, which
 * then replaces `outDir` by rename, so a reader never sees a half-written report.
 *
 * @module
 */

/** Write `files` (name -> content) as the folder `outDir`, replacing it whole. */
export async function writeReportDir(
  outDir: string,
  files: Readonly<Record<string, string | Uint8Array>>,
): Promise<void> {
  const parent = outDir.replace(/\/+$/, "").replace(/\/[^/]*$/, "") || ".";
  await Deno.mkdir(parent, { recursive: true });
  const tmp = `${outDir.replace(/\/+$/, "")}.tmp-${Deno.pid}-${Date.now()}`;
  const old = `${tmp}-old`;
  await Deno.mkdir(tmp);
  try {
    for (const [name, data] of Object.entries(files)) {
      if (typeof data === "string") await Deno.writeTextFile(`${tmp}/${name}`, data);
      else await Deno.writeFile(`${tmp}/${name}`, data);
    }
    let hadOld = false;
    try {
      await Deno.rename(outDir, old);
      hadOld = true;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    await Deno.rename(tmp, outDir);
    if (hadOld) await Deno.remove(old, { recursive: true });
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw e;
  }
}
