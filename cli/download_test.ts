import assert from "node:assert/strict";
import { DEFAULT_TARGETS, manualInstructions } from "../datasets/download.ts";
import { cacheDir } from "../datasets/data_dir.ts";
import { main } from "./download.ts";

/** Run `main` with console.log / console.error captured. */
async function capture(
  run: () => Promise<number>,
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...a: unknown[]) => void out.push(a.join(" "));
  console.error = (...a: unknown[]) => void err.push(a.join(" "));
  try {
    const code = await run();
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

Deno.test("download --help lists the targets and the manual steps with both tools", async () => {
  const { code, out, err } = await capture(() => main(["--help"]));
  assert.equal(code, 0);
  assert.equal(err, "");
  for (const name of DEFAULT_TARGETS) assert.match(out, new RegExp(`\n  ${name} +\\S`), name);
  assert.ok(out.includes(manualInstructions(cacheDir())), "the manual steps, for the default dir");
  assert.ok(out.includes("NAS-Bench-201-v1_1-096897.pth"));
  assert.ok(out.includes("python3 tools/export_nb201.py --benchmark"));
  assert.ok(out.includes("python3 tools/convert_imagenet16.py /path/to/ImageNet16"));
});

Deno.test("download offline: manual steps, then one error line naming what failed, exit 1", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const calls: string[] = [];
    const offline = (url: string) => {
      calls.push(url);
      return Promise.reject(
        new TypeError(`error sending request for url (${url}): client error (Connect)`),
      );
    };
    const { code, out, err } = await capture(() =>
      main(["--dir", dir, "--target", "cifar-split"], { fetchFn: offline })
    );
    assert.equal(code, 1);
    assert.equal(out, "");
    assert.equal(calls.length, 3, "every mirror tried");
    assert.ok(err.includes(manualInstructions(dir)), "the manual steps, for --dir");
    const last = err.trimEnd().split("\n").at(-1)!;
    assert.ok(
      last.startsWith(`error: cifar-split: download failed from every source (${calls[0]}: `),
      last,
    );
    assert.ok(last.includes(calls[2]));
    assert.ok(err.indexOf(manualInstructions(dir)) < err.lastIndexOf("error: "));
    assert.deepEqual([...Deno.readDirSync(dir)], [], "nothing written");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
