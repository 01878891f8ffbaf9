// Plans annotation per file: which rule and policy apply, where the history goes (the file or its sidecar), why a
// file cannot be annotated (outside the root, missing, no rule, conflicting sidecar) and which entries to write.
// A file changed since its last traced edit keeps only the events that still own a line of it, plus its creation.

import { readFileSync, statSync } from "node:fs";
import { extname, posix, resolve } from "node:path";
import type { BlameJson } from "../contract";
import { editContents } from "../attribution/edit-contents";
import type { EditEvent } from "../events/edit-event";
import { commentSyntaxFor, stripCommentBlock } from "./comment-block";
import { DEFAULT_SIDECAR_PATTERN, ruleFor, type AnnotateConfig, type CommentSyntax, type HistoryFormat, type OutputRule, type Policy } from "./config";
import { entriesFromEvents, type HistoryEntry } from "./history";
import { stripJsonHistory } from "./json-append";
import { checkContainment } from "./safety";
import { stripYamlHistory } from "./yaml-append";

export type PlanProblemKind = "outside-root" | "not-found" | "no-rule" | "skip" | "no-comment-syntax" | "sidecar-conflict";

export interface FilePlan {
  /** Absolute path of the edited file. */
  file: string;
  /** Project-relative path (absolute when outside the project). */
  key: string;
  /** The file's events after the command's filters, oldest first. */
  events: EditEvent[];
  rule: OutputRule | null;
  policy: Policy | null;
  format: HistoryFormat | null;
  commentSyntax: CommentSyntax | null;
  /** Where the history is written (the real path), null when nothing is written. */
  destination: string | null;
  /** `destination` relative to the project, for messages. */
  destinationKey: string | null;
  problem: { kind: PlanProblemKind; message: string } | null;
  /** The entries to write: events that still apply to the current content (all events when not writable). */
  entries: HistoryEntry[];
  /** Events left out because the file changed since and they own none of its lines. */
  dropped: number;
}

/** What planning needs from the engine (a Snapshot provides all of it). */
export interface PlanSource {
  projectDir: string;
  config: AnnotateConfig;
  /** Events of the command (filtered), oldest first. */
  events: readonly EditEvent[];
  /** All events of the project (unfiltered), oldest first: the last one per file tells its last traced content. */
  allEvents: readonly EditEvent[];
  blame(path: string, text: string): BlameJson;
  content(key: string): string | undefined;
  relativePath(absPath: string): string;
  /** Overrides the config's `include_session_id`. */
  includeSessionId?: boolean;
}

/** Splits a file name the way the reference did: `a.tar.gz` → stem `a.tar`, ext `gz`; `.gitignore` has no ext. */
export function splitName(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf(".");
  if (dot <= 0) return { stem: name, ext: "" };
  return { stem: name.slice(0, dot), ext: name.slice(dot + 1) };
}

/**
 * The sidecar path of a project-relative file: placeholders `{dir}`, `{name}`, `{stem}`, `{ext}` replaced; a result
 * starting with `.` or holding no `/` lives beside the file, anything else is relative to the project root.
 */
export function resolveSidecarPath(relPath: string, pattern: string): string {
  const dir = posix.dirname(relPath) === "." ? "" : posix.dirname(relPath);
  const name = posix.basename(relPath);
  const { stem, ext } = splitName(name);
  let out = dir === "" ? pattern.replaceAll("{dir}/", "").replaceAll("{dir}", ".") : pattern.replaceAll("{dir}", dir);
  out = out.replaceAll("{name}", name).replaceAll("{stem}", stem).replaceAll("{ext}", ext);
  if (out.startsWith(".") || !out.includes("/")) return posix.normalize(dir === "" ? out : `${dir}/${out}`);
  return posix.normalize(out);
}

/** The file's text as it would be without our own annotation, so attribution is not confused by it. */
function withoutAnnotation(text: string, plan: FilePlan): string {
  if (plan.policy === "append") return plan.format === "json" ? stripJsonHistory(text) : stripYamlHistory(text);
  if (plan.policy === "comment" && plan.commentSyntax) return stripCommentBlock(text, plan.commentSyntax);
  return text;
}

// trimEnd, not /\s+$/: that regex retries from every position of a long inner run of spaces (quadratic on 1 MB).
const normalizeText = (t: string): string => t.replace(/\r\n/g, "\n").trimEnd();

function applicable(plan: FilePlan, source: PlanSource, lastAfter: string | undefined): EditEvent[] {
  let text: string;
  try {
    text = withoutAnnotation(readFileSync(plan.file, "utf8"), plan);
  } catch {
    return plan.events;
  }
  let blame: BlameJson;
  try {
    blame = source.blame(plan.file, text);
  } catch {
    return plan.events;
  }
  // The agent may have edited an already annotated file: compare both sides without our annotation.
  const changed =
    lastAfter !== undefined
      ? normalizeText(withoutAnnotation(lastAfter, plan)) !== normalizeText(text)
      : blame.lines.some((l) => l.reason === "changed-after-ai" && l.text.trim() !== "");
  if (!changed) return plan.events;
  const owners = new Set<string>();
  for (const line of blame.lines) if (line.owner) owners.add(line.owner.eventId);
  return plan.events.filter((e) => owners.has(e.id) || e.action === "CREATED");
}

/**
 * The text after an event: recorded, or derived from its recorded before and its edits (an Edit whose after the
 * index left to replay); undefined when the traces tell neither.
 */
function textAfter(event: EditEvent, source: PlanSource): string | undefined {
  const { after, before, edits } = event.change;
  if (after !== undefined) return source.content(after);
  if (before === undefined || edits === undefined) return undefined;
  return editContents(event, [event], (key) => source.content(key))?.after;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** One plan per edited file, sorted by project-relative path (absolute paths, i.e. outside files, first). */
export function planAnnotations(source: PlanSource): FilePlan[] {
  const byFile = new Map<string, EditEvent[]>();
  for (const e of source.events) {
    const list = byFile.get(e.file);
    if (list) list.push(e);
    else byFile.set(e.file, [e]);
  }
  const lastEvent = new Map<string, EditEvent>();
  for (const e of source.allEvents) lastEvent.set(e.file, e);
  const includeSessionId = source.includeSessionId ?? source.config.includeSessionId;
  const plans: FilePlan[] = [];
  for (const [file, events] of byFile) {
    const key = source.relativePath(file);
    const rule = ruleFor(source.config, key);
    const plan: FilePlan = {
      file, key, events, rule, policy: rule?.policy ?? null, format: null, commentSyntax: null,
      destination: null, destinationKey: null, problem: null, dropped: 0,
      entries: entriesFromEvents(events, includeSessionId),
    };
    plans.push(plan);
    const setProblem = (kind: PlanProblemKind, message: string) => (plan.problem = { kind, message });
    const contained = checkContainment(source.projectDir, file);
    if (!contained.ok) {
      setProblem("outside-root", `${key} is ${contained.reason}`);
      continue;
    }
    if (!isFile(file)) {
      setProblem("not-found", `${key} does not exist`);
      continue;
    }
    if (!rule) {
      setProblem("no-rule", `no rule matches ${key}`);
      continue;
    }
    if (rule.policy === "skip") {
      setProblem("skip", `${key} is skipped by the rule for ${rule.pattern}`);
      continue;
    }
    if (rule.policy === "sidecar") {
      const sidecarKey = resolveSidecarPath(key, rule.sidecarPattern ?? DEFAULT_SIDECAR_PATTERN);
      const sidecar = resolve(source.projectDir, sidecarKey);
      const where = checkContainment(source.projectDir, sidecar);
      plan.destinationKey = source.relativePath(sidecar);
      if (!where.ok) {
        setProblem("outside-root", `sidecar ${plan.destinationKey} of ${key} is ${where.reason}`);
        continue;
      }
      if (where.realPath === contained.realPath) {
        setProblem("sidecar-conflict", `the sidecar pattern of ${key} names the file itself`);
        continue;
      }
      plan.destination = where.realPath;
    } else {
      plan.destination = contained.realPath;
      plan.destinationKey = key;
      if (rule.policy === "append") plan.format = rule.format ?? (extname(key).toLowerCase() === ".json" ? "json" : "yaml");
      else {
        plan.commentSyntax = rule.commentSyntax ?? commentSyntaxFor(key);
        if (!plan.commentSyntax) {
          setProblem("no-comment-syntax", `comment policy needs comment_syntax for ${key}`);
          continue;
        }
      }
    }
    const last = lastEvent.get(file);
    const kept = applicable(plan, source, last === undefined ? undefined : textAfter(last, source));
    plan.dropped = events.length - kept.length;
    plan.entries = entriesFromEvents(kept, includeSessionId);
  }
  plans.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  markConflicts(plans);
  return plans;
}

/** Two plans writing the same file would overwrite each other's history: the later (by path) is refused. */
function markConflicts(plans: FilePlan[]): void {
  const owner = new Map<string, FilePlan>();
  for (const p of plans) if (p.destination && !p.problem && p.policy !== "sidecar") owner.set(p.destination, p);
  for (const p of plans) {
    if (!p.destination || p.problem || p.policy !== "sidecar") continue;
    const first = owner.get(p.destination);
    if (first) {
      p.problem = {
        kind: "sidecar-conflict",
        message: `sidecar ${p.destinationKey} of ${p.key} is also written for ${first.key} (use {name} in sidecar_pattern)`,
      };
    } else owner.set(p.destination, p);
  }
}
