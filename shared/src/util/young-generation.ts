// Keeps V8's young generation small during a long index: V8 doubles its semi-spaces while many objects survive
// (a cold index parses traces for seconds), up to 16 MiB each, 32 MiB of RSS that only holds short-lived garbage.
// `--max-semi-space-size` can only be given where Node starts; the growth factor is read at each growth, so once the
// semi-spaces reach the cap it is set to 1 (no further growth). The flag is process-wide and stays set: every later
// index of the process (the server's) keeps the same bound. A start with its own semi-space flag is left alone.

import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";

/** New space (both semi-spaces) at which growth stops: two 4 MiB semi-spaces cost no measurable CPU at 1 GB. */
const NEW_SPACE_CAP = 8 * 1024 * 1024;

let settled = process.execArgv.some((arg) => arg.includes("semi-space") || arg.includes("semi_space"));

/** Stops the young generation's growth once it reached the cap; cheap enough to call after every trace file. */
export function boundYoungGeneration(): void {
  if (settled) return;
  const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === "new_space");
  if (newSpace === undefined) {
    settled = true;
    return;
  }
  if (newSpace.space_size < NEW_SPACE_CAP) return;
  setFlagsFromString("--semi-space-growth-factor=1");
  // V8 hashes its flags into every code cache it makes and rejects a cache made under other flags: back at V8's
  // default before the CLI launcher's exit handler writes one (cli/src/launch.ts), or no index would ever leave a
  // cache the next run can use. Prepended, so it runs before listeners registered earlier, the launcher's included.
  process.prependOnceListener("exit", () => setFlagsFromString("--semi-space-growth-factor=2"));
  settled = true;
}
