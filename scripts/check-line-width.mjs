// Part of `npm run lint`: no line of the project's code is wider than MAX_WIDTH characters. Code is every tracked
// source file outside tests and the example's trace writers (those hold whole trace records on one line, as the
// agents write them). New and touched code is formatted to Biome's 120 columns (biome.jsonc); this is the ceiling
// every line must stay under. Prints each offending line as `path:line: width` and exits 1 when there is one.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const MAX_WIDTH = 200;
const root = join(import.meta.dirname, "..");
const CODE = /\.(ts|mts|cts|js|mjs|cjs|py|lua|sh)$/;
const NOT_CODE = [/(^|\/)test\//, /^tests\//, /^examples\//, /(^|\/)fixtures\//];

const files = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" })
  .split("\0")
  .filter((f) => CODE.test(f) && !NOT_CODE.some((re) => re.test(f)));
const wide = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(join(root, file), "utf8");
  } catch {
    continue; // Deleted in the work tree but still tracked.
  }
  text.split("\n").forEach((line, i) => {
    const width = [...line].length;
    if (width > MAX_WIDTH) wide.push(`${file}:${i + 1}: ${width} characters`);
  });
}
if (wide.length > 0) {
  process.stderr.write(`${wide.join("\n")}\ncheck-line-width: ${wide.length} line(s) over ${MAX_WIDTH} characters\n`);
  process.exit(1);
}
process.stderr.write(`check-line-width: ${files.length} files, no line over ${MAX_WIDTH} characters\n`);
