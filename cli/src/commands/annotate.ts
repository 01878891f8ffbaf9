// `ai-blame annotate [TARGET]`: writes each file's AI edit history as .ai-blame.yaml says (append, sidecar, comment,
// skip). One line per file in path order, then a count of what changed, stayed, was skipped, refused or failed.
// `--dry-run` writes nothing and prints a unified diff of every change instead. Exit 1 when any file failed.

import type { Command } from "commander";
import { type AnnotateOutcome, type AnnotateResult, applyPlans, escapeCell, escapeControlChars } from "@ai-blame/shared";
import { type CliIo, RuntimeError } from "../io";
import { plural } from "../output/text";
import { addSelectionOptions, type AnnotateSelectionOptions, configLine, selectPlans } from "./report";

interface AnnotateOptions extends AnnotateSelectionOptions {
  dryRun?: boolean;
}

/** One row per file: every value is a cell, so a newline in a traced file name cannot add a fake row. */
function resultLine(r: AnnotateResult): string {
  const row = { ...r, file: escapeCell(r.file), message: r.message === null ? null : escapeCell(r.message) };
  return resultRow(row, `"${escapeCell(r.destination ?? r.file)}"`);
}

function resultRow(r: AnnotateResult, dest: string): string {
  switch (r.status) {
    case "updated":
      return `  Updated: ${dest}`;
    case "wrote-sidecar":
      return `  Wrote sidecar: ${dest}`;
    case "would-update":
      return `  Would update: ${dest}`;
    case "would-write-sidecar":
      return `  Would write sidecar: ${dest}`;
    case "unchanged":
      return r.message ? `  Unchanged (${r.message}): ${dest}` : `  Unchanged: ${dest}`;
    case "skipped":
      return `  Skipped (policy=skip): ${r.file}`;
    case "no-rule":
      return `  Skipping (no matching rule): ${r.file}`;
    case "not-found":
      return `  Skipping (not found): ${r.file}`;
    case "refused":
      return `  Refused: ${r.message ?? r.file}`;
    case "invalid":
      return `  Warning: ${r.message ?? r.file}`;
    case "read-only":
      return `  Failed (read-only): ${r.message ?? r.file}`;
    default:
      return `  Failed: ${r.message ?? r.file}`;
  }
}

export function formatAnnotate(outcome: AnnotateOutcome, dryRun: boolean): string {
  const out: string[] = ["", dryRun ? "[DRY RUN] No files will be modified." : "Applying changes..."];
  for (const r of outcome.results) {
    out.push(resultLine(r));
    if (r.diff) out.push(r.diff.replace(/\n$/, ""));
  }
  const c = outcome.counts;
  const parts = [
    `${c.changed} ${dryRun ? "would change" : "changed"}`,
    `${c.unchanged} unchanged`,
    `${c.skipped + c.notFound} skipped`,
  ];
  if (c.refused > 0) parts.push(`${plural(c.refused, "path")} refused (outside the project root)`);
  const failed = c.invalid + c.readOnly + c.failed;
  if (failed > 0) parts.push(`${failed} failed`);
  out.push("", parts.join(", "));
  // No colour here: the whole text is escaped at once (paths, messages and diffs carry trace strings).
  return `${escapeControlChars(out.join("\n"))}\n`;
}

export function register(program: Command, io: CliIo): void {
  const cmd = program
    .command("annotate")
    .description("write AI edit history into files or sidecars following .ai-blame.yaml (writes unless --dry-run)")
    .argument("[TARGET]", "only files whose project-relative path contains this text")
    .option("--dry-run", "write nothing; print a unified diff of every change");
  addSelectionOptions(cmd);
  cmd.action(async (target: string | undefined, opts: AnnotateOptions) => {
    const selection = await selectPlans(target, opts, io);
    io.stdout.write(configLine(selection.config));
    if (selection.empty !== null) {
      io.stdout.write(`${selection.empty}\n`);
      return;
    }
    const dryRun = opts.dryRun === true;
    const outcome = applyPlans(selection.plans, { dryRun });
    io.stdout.write(formatAnnotate(outcome, dryRun));
    const failed = outcome.counts.invalid + outcome.counts.readOnly + outcome.counts.failed;
    // The summary above counts them; the exit code tells scripts that not every file got its history.
    if (failed > 0) throw new RuntimeError(`${plural(failed, "file")} could not be annotated (see above)`);
  });
}
