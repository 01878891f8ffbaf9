// `ai-blame init`: writes a starter `.ai-blame.yaml` (flavor `sidecar` or `in-place`) into the project folder and
// touches nothing else; an existing config is an error unless `--force`.

import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { type InitFlavor, writeInitConfig } from "@ai-blame/shared";
import type { CliIo } from "../io";

interface InitOptions {
  dir?: string;
  flavor: InitFlavor;
  force?: boolean;
}

export function register(program: Command, io: CliIo): void {
  program
    .command("init")
    .description("write a starter .ai-blame.yaml config into the project directory")
    .option("-d, --dir <dir>", "directory to write the config into (default: the current directory)")
    .addOption(
      new Option("--flavor <flavor>", "sidecar: history beside each file; in-place: inside YAML/JSON files and comments")
        .choices(["sidecar", "in-place"])
        .default("sidecar"),
    )
    .option("--force", "overwrite an existing config")
    .action((opts: InitOptions) => {
      const path = writeInitConfig(resolve(io.cwd, opts.dir ?? "."), opts.flavor, opts.force === true);
      io.stdout.write(
        `Wrote "${path}"\n\nNext steps:\n  - Preview (no writes): ai-blame annotate --dry-run\n  - Apply (writes files): ai-blame annotate\n`,
      );
    });
}
