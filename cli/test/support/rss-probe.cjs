// Preloaded into a spawned CLI (NODE_OPTIONS=--require) by tests that bound memory: on exit it writes the process's
// peak resident set size in KiB to the file named by AI_BLAME_TEST_RSS_FILE.
const { writeFileSync } = require("node:fs");
process.on("exit", () => {
  const file = process.env.AI_BLAME_TEST_RSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
