// A child process for young-generation.test.ts: allocates like a cold index (many objects surviving a few
// scavenges), optionally calling boundYoungGeneration as the index does after each trace, and prints the largest
// new space V8 had.

import { getHeapSpaceStatistics } from "node:v8";
import { boundYoungGeneration } from "../../../src/util/young-generation";

const bound = process.argv[2] === "bound";
const newSpace = (): number =>
  getHeapSpaceStatistics().find((space) => space.space_name === "new_space")?.space_size ?? 0;
let largest = newSpace();
const window: object[] = new Array(60_000);
for (let round = 0; round < 200; round++) {
  for (let i = 0; i < 5000; i++) {
    window[(round * 5000 + i) % window.length] = {
      id: `event-${round}-${i}`,
      at: [round, i],
      text: "x".repeat(40 + (i % 50)),
    };
  }
  if (bound) boundYoungGeneration();
  largest = Math.max(largest, newSpace());
}
process.stdout.write(`${JSON.stringify({ largest, kept: window.length })}\n`);
