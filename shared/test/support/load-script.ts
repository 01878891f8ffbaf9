// A test's load script: a TypeScript entry that exercises process-wide state (V8's flags, the heap's bounds), bundled
// into one CommonJS file in a temp folder so that each case runs it in a fresh Node process. Made in beforeAll,
// removed in afterAll.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSync } from "esbuild";

export interface LoadScript {
  /** The bundled script, to run as `node <path> …`. */
  path: string;
  remove(): void;
}

export function bundleLoadScript(entry: string, prefix: string): LoadScript {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, "load.cjs");
  buildSync({ entryPoints: [entry], outfile: path, bundle: true, platform: "node", format: "cjs", logLevel: "error" });
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
