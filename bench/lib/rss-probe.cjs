// Preloaded into a Node child (`node --require rss-probe.cjs ...`) when GNU time is missing: at exit it writes the
// process's own peak resident set size, in KiB as GNU time's %M, to $AI_BLAME_BENCH_RSS_FILE.
"use strict";
const { writeFileSync } = require("node:fs");

const target = process.env.AI_BLAME_BENCH_RSS_FILE;
if (target) {
  process.on("exit", () => {
    // resourceUsage().maxRSS is in KiB on every platform Node supports.
    writeFileSync(target, `${process.resourceUsage().maxRSS}\n`);
  });
}
