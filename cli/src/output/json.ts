// Machine-readable output: the engine's contract objects (SPEC §6) printed as they are, two-space indented with a
// final newline. Formatters never add or rename keys here, so `--json` is exactly the documented contract.

import type { CliIo } from "../io";

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
