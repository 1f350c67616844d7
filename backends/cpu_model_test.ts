import assert from "node:assert/strict";
import { cpuModel, parseCpuinfoModel } from "./cpu_model.ts";

// Hand-written excerpts in the formats of Linux x86 and ARM /proc/cpuinfo.
const X86 = `processor\t: 0
vendor_id\t: GenuineIntel
cpu family\t: 6
model\t\t: 85
model name\t: Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz
stepping\t: 7

processor\t: 1
model name\t: Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz
`;
const ARM = `processor\t: 0
BogoMIPS\t: 50.00
Features\t: fp asimd evtstrm

Hardware\t: BCM2835
Revision\t: c03111
`;

Deno.test("parseCpuinfoModel reads the first x86 'model name'", () => {
  assert.equal(parseCpuinfoModel(X86), "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz");
});

Deno.test("parseCpuinfoModel falls back to ARM 'Hardware' and skips numeric 'processor'", () => {
  assert.equal(parseCpuinfoModel(ARM), "BCM2835");
  assert.equal(parseCpuinfoModel("processor\t: 0\n"), undefined);
  assert.equal(parseCpuinfoModel(""), undefined);
});

Deno.test("cpuModel names the logical core count", async () => {
  const s = await cpuModel();
  const n = navigator.hardwareConcurrency;
  assert.ok(s.endsWith(`(${n} logical core${n === 1 ? "" : "s"})`), s);
  assert.ok(!s.startsWith(" "), s);
});
