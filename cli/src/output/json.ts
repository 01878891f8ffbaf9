// Machine-readable output: the engine's contract objects (SPEC §6) printed as they are, two-space indented with a
// final newline. Formatters never add or rename keys here, so `--json` is exactly the documented contract; DEL and
// C1 controls inside strings are written as `\u` escapes (same values), so no raw control reaches a terminal.

import { jsonForTerminal } from "@ai-blame/shared";
import type { CliIo } from "../io";

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${jsonForTerminal(value)}\n`);
}
