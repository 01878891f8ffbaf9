import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

const version = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")).version;

export default defineConfig({
  define: { __AI_BLAME_VERSION__: JSON.stringify(version) },
  test: {
    include: ["{shared,cli,server,client-vscode,tests,python-dist}/test/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["**/node_modules/**", "client-vscode/test/e2e/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    globalSetup: ["tests/support/temp-root.ts"],
  },
});
