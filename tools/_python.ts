/**
 * Test helper: run `python3` (the Python tools' tests and checks), or tell the caller it is absent.
 *
 * @module
 */

/** Output of one `python3` run. */
export interface PythonRun {
  code: number;
  stdout: string;
  stderr: string;
}

const _decoder = new TextDecoder();

/** Run `python3 args...` from the repository root (also when `python3` is not installed: `null`). */
export async function runPython(args: string[], cwd?: string): Promise<PythonRun | null> {
  const root = new URL("..", import.meta.url).pathname;
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("python3", {
      args,
      cwd: cwd ?? root,
      stdin: "null",
      env: { PYTHONDONTWRITEBYTECODE: "1" }, // no __pycache__ in tools/
    }).output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  return {
    code: out.code,
    stdout: _decoder.decode(out.stdout),
    stderr: _decoder.decode(out.stderr),
  };
}

/**
 * Whether `python3` (with the Python `modules`) is available; prints why not when it is not, so
 * that a test can skip.
 */
export async function havePython(what: string, modules: readonly string[] = []): Promise<boolean> {
  const r = await runPython(["-c", modules.map((m) => `import ${m}`).join("\n") || "pass"]);
  if (r === null || r.code !== 0) {
    const needs = ["python3", ...modules].join(" + ");
    console.log(`skipping ${what}: ${needs} is not available`);
    return false;
  }
  return true;
}
