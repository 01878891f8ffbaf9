// The entry points the CLI uses for `report` and `annotate`: plan a project's annotations from a snapshot, and
// describe plans as data (the `report --json` shape and the YAML preview). Nothing here writes; apply.ts does.

import type { Snapshot } from "../engine-api";
import type { EventFilter } from "../events/filter";
import type { AnnotateConfig, Policy } from "./config";
import { toYaml, type HistoryEntry } from "./history";
import { planAnnotations, type FilePlan, type PlanProblemKind } from "./plan";

export interface PlanOptions {
  projectDir: string;
  config: AnnotateConfig;
  filter?: EventFilter;
  /** Forces `session_id` into entries (else the config's `include_session_id`). */
  includeSessionId?: boolean;
}

/** Plans every file the (filtered) events touch. */
export function planProject(snapshot: Snapshot, options: PlanOptions): FilePlan[] {
  const source = {
    projectDir: options.projectDir,
    config: options.config,
    events: snapshot.events(options.filter ?? {}),
    allEvents: snapshot.events(),
    blame: (path: string, text: string) => snapshot.blame(path, text),
    content: (key: string) => snapshot.content(key),
    relativePath: (abs: string) => snapshot.relativePath(abs),
  };
  return planAnnotations(
    options.includeSessionId === undefined ? source : { ...source, includeSessionId: options.includeSessionId },
  );
}

export interface HistoryEntryJson {
  timestamp: string;
  model: string;
  action: "CREATED" | "EDITED" | "DELETED";
  agentTool: string;
  agentVersion: string | null;
  sessionId: string | null;
}

/** One file of `report --json`. */
export interface ReportFileJson {
  file: string;
  edits: number;
  firstEdit: string;
  lastEdit: string;
  policy: Policy | null;
  /** The file itself (append/comment), its sidecar, or null. */
  destination: string | null;
  /** null when the file can be annotated, else why not. */
  problem: PlanProblemKind | null;
  message: string | null;
  /** Events left out because the file changed and they no longer own any line. */
  dropped: number;
  history: HistoryEntryJson[];
}

/** `report --json` */
export interface ReportJson {
  config: string | null;
  files: ReportFileJson[];
}

function entryJson(e: HistoryEntry): HistoryEntryJson {
  return {
    timestamp: e.timestamp,
    model: e.model,
    action: e.action,
    agentTool: e.agent_tool,
    agentVersion: e.agent_version ?? null,
    sessionId: e.session_id ?? null,
  };
}

export function reportJson(plans: readonly FilePlan[], config: AnnotateConfig): ReportJson {
  return {
    config: config.path,
    files: plans.map((p) => ({
      file: p.key,
      edits: p.events.length,
      firstEdit: p.events[0]?.timestamp ?? "",
      lastEdit: p.events[p.events.length - 1]?.timestamp ?? "",
      policy: p.policy,
      destination: p.destinationKey,
      problem: p.problem?.kind ?? null,
      message: p.problem?.message ?? null,
      dropped: p.dropped,
      history: p.entries.map(entryJson),
    })),
  };
}

/** The `edit_history:` YAML a file would receive (the report's preview). */
export function historyYaml(plan: FilePlan): string {
  return toYaml({ edit_history: plan.entries });
}
