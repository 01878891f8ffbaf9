// `ai-blame gc`: copies into the index every file content its edits still read from their traces (the index leaves a
// large whole-file text in its trace until then, see the README's index section), so those edits blame exactly after
// their traces are deleted. Reports how many were copied and how many their traces no longer hold.

import type { Command } from "commander";
import type { CliIo } from "../io";
import { openSnapshot } from "../open";
import { printJson } from "../output/json";
import { plural } from "../output/text";
import { addTraceOptions, type TraceOptionValues } from "../options";

interface GcOptions extends TraceOptionValues {
  json?: boolean;
}

export function register(program: Command, io: CliIo): void {
  const cmd = program
    .command("gc")
    .description("copy into the index the file contents it still reads from trace files, so edits outlive their traces")
    .option("--json", "print the counts as JSON");
  addTraceOptions(cmd);
  cmd.action(async (opts: GcOptions) => {
    const { engine } = await openSnapshot(opts, io, { quiet: opts.json === true });
    const result = await engine.keepContents(Number.POSITIVE_INFINITY);
    if (opts.json) {
      printJson(io, { copied: result.copied, unavailable: result.unavailable });
      return;
    }
    const lines = [`Copied ${plural(result.copied, "file content")} from trace files into the index.`];
    if (result.unavailable > 0) {
      lines.push(`${plural(result.unavailable, "file content")} could not be copied: their trace files were deleted, shrunk or rewritten.`);
    }
    if (engine.dataDir() === null) lines.push("The index is off (--no-cache): nothing is kept.");
    io.stdout.write(`${lines.join("\n")}\n`);
  });
}
