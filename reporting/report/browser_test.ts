/**
 * Opens the report of the committed results in headless Chromium: no console or page error, every
 * expected chart and table present and non-empty; saves a screenshot (`$RLNAS_REPORT_SCREENSHOT`,
 * else in the temp folder). Ignored when no Chromium is installed, unless
 * `RLNAS_REQUIRE_BROWSER=1` (CI), where a missing Chromium fails.
 *
 * @module
 */
import assert from "node:assert/strict";
import { findChromium, visitPage } from "./browser.ts";
import { main } from "../../cli/report.ts";

const _chromium = findChromium();
const _require = Deno.env.get("RLNAS_REQUIRE_BROWSER") === "1";
if (_chromium === null && !_require) {
  console.log("no chromium executable found (apt-get install -y chromium): browser test ignored");
}

Deno.test({
  name: "report of the committed results renders in headless Chromium without errors",
  ignore: _chromium === null && !_require,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    assert.ok(_chromium !== null, "RLNAS_REQUIRE_BROWSER=1 but no chromium executable found");
    const dir = await Deno.makeTempDir({ prefix: "rlnas-report-" });
    try {
      assert.equal(await main(["--out", `${dir}/report`]), 0);
      const shot = Deno.env.get("RLNAS_REPORT_SCREENSHOT") ?? `${dir}/report.png`;
      const v = await visitPage(_chromium, `file://${dir}/report/index.html`, {
        count: [
          "section.bench table.summary tbody",
          "section.bench table.checks tbody",
          "table.ranked tbody",
          "table.perf tbody",
          "[data-chart=figure1a] svg",
          "[data-chart=figure1b] svg",
          "[data-chart=scatter] svg",
          "[data-chart=perf] svg",
          "section.bench",
        ],
        screenshot: shot,
      });
      assert.deepEqual(v.errors, []);
      // committed: table1/2 quick+smoke, table6, table7 summaries; compare smoke+quick ranked
      assert.ok(v.counts["section.bench table.summary tbody"] >= 6, JSON.stringify(v.counts));
      assert.equal(
        v.counts["section.bench table.checks tbody"],
        v.counts["section.bench"],
        "every table has its verdict checks",
      );
      assert.equal(v.counts["table.ranked tbody"], 2);
      assert.equal(v.counts["[data-chart=figure1a] svg"], 1);
      assert.equal(v.counts["[data-chart=figure1b] svg"], 1);
      assert.ok(v.counts["[data-chart=scatter] svg"] >= 4, JSON.stringify(v.counts));
      assert.ok(v.counts["table.perf tbody"] >= 1);
      assert.ok(v.counts["[data-chart=perf] svg"] >= 1);
      const png = await Deno.readFile(shot);
      assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
