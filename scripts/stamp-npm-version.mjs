// Release step: writes the root package.json's version (the one version of ai-blame) into cli/package.json, the
// `ai-blame` npm package, which keeps a 0.0.0 placeholder in the repository so no second copy of the version is kept.
// Usage: node scripts/stamp-npm-version.mjs [repository root]; prints the version it wrote.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(process.argv[2] ?? join(import.meta.dirname, ".."));
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
if (typeof version !== "string" || !/^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$/.test(version)) {
  process.stderr.write(`stamp-npm-version: the root package.json has no valid version (${String(version)})\n`);
  process.exit(1);
}
const target = join(root, "cli", "package.json");
const pkg = JSON.parse(readFileSync(target, "utf8"));
pkg.version = version;
writeFileSync(`${target}.tmp`, `${JSON.stringify(pkg, null, 2)}\n`);
renameSync(`${target}.tmp`, target);
process.stdout.write(`${version}\n`);
