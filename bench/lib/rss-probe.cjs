// Preloaded into a Node child (`node --require rss-probe.cjs ...`) when GNU time is missing: at exit it writes the
// process's own peak resident set size (KiB) and CPU seconds, as GNU time's "%M %U %S", to $AI_BLAME_BENCH_RSS_FILE.
"use strict";
const { writeFileSync } = require("node:fs");

const target = process.env.AI_BLAME_BENCH_RSS_FILE;
if (target) {
  process.on("exit", () => {
    // resourceUsage().maxRSS is in KiB on every platform Node supports; CPU times are in microseconds.
    const usage = process.resourceUsage();
    writeFileSync(target, `${usage.maxRSS} ${usage.userCPUTime / 1e6} ${usage.systemCPUTime / 1e6}\n`);
  });
}
