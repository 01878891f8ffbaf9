// A child process for bulk-inlining.test.ts (V8's flags are process-wide): prints, as JSON, whether V8 took a code
// cache made before anything changed its flags (it rejects one made under other flags). Modes: "cap" (the budget
// capped, then back at its default: each step's answer), "index" (a first index of one Claude session through the
// engine, the heap's bounds set before the cache is made: the answer while each trace is applied, and after).

import { Script } from "node:vm";
import { createEngine } from "../../../src/engine";
import { capInliningForBulkIndex, endBulkIndexInlining } from "../../../src/util/bulk-inlining";
import { boundHeapForBulkIndex } from "../../../src/util/young-generation";

const [mode, project, home, dataDir] = process.argv.slice(2);
const PROBE = "(function probe(a, b) { return a * b; })";
let probes = 0;
let probeCache: Buffer;
const makeProbe = (): void => {
  probeCache = new Script(PROBE).createCachedData();
};
/** A name of its own for each check, or V8 would answer from the script it compiled before, reading no cache. */
const rejected = (): boolean => new Script(PROBE, { cachedData: probeCache, filename: `probe-${++probes}.js` }).cachedDataRejected === true;

async function main(): Promise<void> {
  if (mode === "cap") {
    makeProbe();
    const before = rejected();
    capInliningForBulkIndex();
    capInliningForBulkIndex();
    const capped = rejected();
    endBulkIndexInlining();
    const ended = rejected();
    endBulkIndexInlining();
    process.stdout.write(`${JSON.stringify({ before, capped, ended, endedTwice: rejected() })}\n`);
    return;
  }
  // The flags a first index keeps to its end (the heap's bounds) are set first, so the probe tells the budget apart.
  boundHeapForBulkIndex();
  makeProbe();
  const during: boolean[] = [];
  const engine = createEngine({ projectDir: project ?? "", home: home ?? "", env: { HOME: home ?? "" }, dataDir: dataDir ?? "" });
  const refreshed = await engine.refresh(() => during.push(rejected()));
  process.stdout.write(`${JSON.stringify({ filesRead: refreshed.filesRead, during, after: rejected() })}\n`);
}

void main();
