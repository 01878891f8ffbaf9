// Carries out annotation plans: computes each destination's new text with its writer, and either returns a unified
// diff (dry run) or writes it atomically. Every outcome is a result row — refused, missing, invalid and read-only
// files are reported and counted, never thrown; one file's failure never stops the others — and a file whose text
// would not change is not touched at all. Reading and replacing a file (BOM, owner, links, changes meanwhile) is
// write-target.ts; stale temp files of a killed run are removed from the folders written to.

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { createTwoFilesPatch } from "diff";
import { escapeCell } from "../transcripts/control-chars";
import { applyCommentBlock } from "./comment-block";
import { applyJsonHistory } from "./json-append";
import type { FilePlan } from "./plan";
import { isReadOnly } from "./safety";
import { removeStaleTempFiles } from "../store/stale-temp";
import { readTarget, TargetNotWritten, writeTarget } from "./write-target";
import { applyYamlHistory, newSidecarText, type TextOutcome } from "./yaml-append";

export type AnnotateStatus =
  | "updated"
  | "wrote-sidecar"
  | "unchanged"
  | "would-update"
  | "would-write-sidecar"
  | "skipped"
  | "no-rule"
  | "not-found"
  | "refused"
  | "invalid"
  | "read-only"
  | "failed";

export interface AnnotateResult {
  /** The edited file, project-relative. */
  file: string;
  status: AnnotateStatus;
  /** Where the history goes, project-relative (the file itself or its sidecar). */
  destination: string | null;
  /** Why the file was refused, skipped or failed. */
  message: string | null;
  /** Dry run: unified diff of the change. */
  diff: string | null;
  /** Entries in the written (or would-be) history of this run. */
  entries: number;
}

export interface AnnotateCounts {
  changed: number;
  unchanged: number;
  skipped: number;
  notFound: number;
  refused: number;
  invalid: number;
  readOnly: number;
  failed: number;
}

export interface AnnotateOutcome {
  results: AnnotateResult[];
  counts: AnnotateCounts;
}

function unifiedDiff(path: string, before: string | null, after: string): string {
  // The header names are one line each: a newline in a traced file name must not start a line of its own.
  const key = escapeCell(path);
  const patch = createTwoFilesPatch(before === null ? "/dev/null" : `a/${key}`, `b/${key}`, before ?? "", after);
  return patch.replace(/^=+\n/, "");
}

function newText(plan: FilePlan, current: string | null): TextOutcome {
  if (plan.policy === "sidecar") {
    if (current === null) return { ok: true, text: newSidecarText(plan.key.split("/").pop() ?? plan.key, plan.entries) };
    return applyYamlHistory(current, plan.entries);
  }
  if (current === null) return { ok: false, reason: "file not found" };
  if (plan.policy === "comment" && plan.commentSyntax) return applyCommentBlock(current, plan.commentSyntax, plan.entries);
  return plan.format === "json" ? applyJsonHistory(current, plan.entries) : applyYamlHistory(current, plan.entries);
}

function execute(plan: FilePlan, dryRun: boolean): AnnotateResult {
  const result: AnnotateResult = {
    file: plan.key, status: "unchanged", destination: plan.destinationKey, message: null, diff: null,
    entries: plan.entries.length,
  };
  const fail = (status: AnnotateStatus, message: string): AnnotateResult => ({ ...result, status, message });
  if (plan.problem) {
    const status: AnnotateStatus =
      plan.problem.kind === "outside-root" ? "refused"
      : plan.problem.kind === "not-found" ? "not-found"
      : plan.problem.kind === "skip" ? "skipped"
      : plan.problem.kind === "no-rule" ? "no-rule"
      : "failed";
    return fail(status, plan.problem.message);
  }
  const destination = plan.destination;
  if (destination === null) return fail("failed", `no destination for ${plan.key}`);
  if (plan.entries.length === 0) return { ...result, message: "no edit applies to the current content" };
  const read = readTarget(destination);
  if ("error" in read) return fail("invalid", `${plan.destinationKey}: ${read.error}`);
  const current = "text" in read ? read.text : null;
  const key = plan.destinationKey ?? plan.key;
  const outcome = newText(plan, current);
  if (!outcome.ok) return fail("invalid", `${plan.destinationKey}: ${outcome.reason}; left untouched`);
  if (current !== null && outcome.text === current) return result;
  if (current !== null && isReadOnly(destination)) return fail("read-only", `${plan.destinationKey} is read-only`);
  const sidecar = plan.policy === "sidecar";
  if (dryRun) {
    return {
      ...result,
      status: sidecar ? "would-write-sidecar" : "would-update",
      diff: unifiedDiff(plan.destinationKey ?? plan.key, current, outcome.text),
    };
  }
  try {
    if (current === null) mkdirSync(dirname(destination), { recursive: true });
    writeTarget(destination, outcome.text, "text" in read ? read : null, key);
  } catch (error) {
    if (error instanceof TargetNotWritten) return fail("failed", error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
      return fail("read-only", `${plan.destinationKey} cannot be written (${code})`);
    }
    return fail("failed", `${plan.destinationKey}: ${(error as Error).message}`);
  }
  return { ...result, status: sidecar ? "wrote-sidecar" : "updated" };
}

/** One file's outcome; whatever goes wrong with it (a writer's bug, a YAML bomb) is that file's failure only. */
function executeContained(plan: FilePlan, dryRun: boolean): AnnotateResult {
  try {
    return execute(plan, dryRun);
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return {
      file: plan.key, status: "failed", destination: plan.destinationKey, diff: null, entries: plan.entries.length,
      message: `${plan.destinationKey ?? plan.key}: ${message ?? "unexpected error"}; left untouched`,
    };
  }
}

/** Executes the plans in order (sorted by path); with `dryRun` nothing is written and each change carries a diff. */
export function applyPlans(plans: readonly FilePlan[], options: { dryRun: boolean }): AnnotateOutcome {
  const counts: AnnotateCounts = {
    changed: 0, unchanged: 0, skipped: 0, notFound: 0, refused: 0, invalid: 0, readOnly: 0, failed: 0,
  };
  // Temp files of an annotate that was killed before its renames (the atomic writer's naming, writer gone).
  if (!options.dryRun) {
    const folders = new Set(plans.flatMap((p) => (p.destination && !p.problem ? [dirname(p.destination)] : [])));
    removeStaleTempFiles([...folders]);
  }
  const results = plans.map((plan) => {
    const r = executeContained(plan, options.dryRun);
    if (r.status === "updated" || r.status === "wrote-sidecar" || r.status.startsWith("would-")) counts.changed++;
    else if (r.status === "unchanged") counts.unchanged++;
    else if (r.status === "skipped" || r.status === "no-rule") counts.skipped++;
    else if (r.status === "not-found") counts.notFound++;
    else if (r.status === "refused") counts.refused++;
    else if (r.status === "invalid") counts.invalid++;
    else if (r.status === "read-only") counts.readOnly++;
    else counts.failed++;
    return r;
  });
  return { results, counts };
}
