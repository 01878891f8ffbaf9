// The `.ai-blame.yaml` project config: annotation `defaults` plus ordered `rules` (first match wins) and the trace
// settings `path_map`, `agents`, `agent_trace_files` (applied by the engine, project-config.ts), found by walking up
// from the project dir or named with `--config`. Parsing is strict where the reference was silently lenient: an
// unknown key, a wrong value or invalid YAML is an AiBlameError("bad-config") naming the file, line, column and key.

import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import picomatch from "picomatch";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from "yaml";
import { agentNames } from "../agents/registry";
import type { PathMapping } from "../engine-api";
import { AiBlameError } from "../util/errors";

export const CONFIG_FILE_NAME = ".ai-blame.yaml";
export const DEFAULT_SIDECAR_PATTERN = "{stem}.history.yaml";

export type Policy = "append" | "sidecar" | "comment" | "skip";
export type HistoryFormat = "yaml" | "json";
export type CommentSyntax = "hash" | "slash" | "html";

export interface OutputRule {
  pattern: string;
  policy: Policy;
  /** `null`: chosen by the file's extension (`.json` → json, anything else → yaml). */
  format: HistoryFormat | null;
  /** `null`: chosen by the file's extension when the comment policy needs it. */
  commentSyntax: CommentSyntax | null;
  /** `null`: `{stem}.history.yaml`. */
  sidecarPattern: string | null;
  /** 1-based line of the rule in the config file (null for built-in rules). */
  line: number | null;
}

export interface AnnotateConfig {
  /** The file the config came from, or null for the built-in default. */
  path: string | null;
  defaults: OutputRule | null;
  rules: OutputRule[];
  /** Write `session_id` into every history entry (`include_session_id: true`). */
  includeSessionId: boolean;
  /** `path_map: {OLD: NEW}` (as `--path-map`); relative paths are resolved against the config file's folder. */
  pathMap: PathMapping[];
  /** `agents: [claude, codex, …]` (as `--agents`): the only agents read for the project; null reads every agent. */
  agents: string[] | null;
  /** `agent_trace_files: [path, …]`: Agent Trace files read besides `.agent-trace/traces.jsonl` (absolute). */
  agentTraceFiles: string[];
}

const POLICIES: readonly Policy[] = ["append", "sidecar", "comment", "skip"];
const FORMATS: readonly HistoryFormat[] = ["yaml", "json"];
const SYNTAXES: readonly CommentSyntax[] = ["hash", "slash", "html"];
const RULE_KEYS = ["pattern", "policy", "format", "comment_syntax", "sidecar_pattern"];
const TOP_KEYS = ["defaults", "rules", "include_session_id", "path_map", "agents", "agent_trace_files"];

function rule(pattern: string, policy: Policy, extra: Partial<OutputRule> = {}): OutputRule {
  return { pattern, policy, format: null, commentSyntax: null, sidecarPattern: null, line: null, ...extra };
}

/** The reference's built-in default (REFERENCE §6.2): sidecars, YAML/JSON files appended in place. */
export function builtinConfig(): AnnotateConfig {
  return {
    path: null,
    defaults: rule("*", "sidecar", { sidecarPattern: DEFAULT_SIDECAR_PATTERN }),
    rules: [
      rule("*.yaml", "append", { format: "yaml" }),
      rule("*.yml", "append", { format: "yaml" }),
      rule("*.json", "append", { format: "json" }),
    ],
    includeSessionId: false,
    pathMap: [],
    agents: null,
    agentTraceFiles: [],
  };
}

/** Finds `.ai-blame.yaml` in `startDir` or the nearest ancestor; null when there is none. */
export function findConfigFile(startDir: string): string | null {
  let dir = resolve(startDir);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here: keep walking up.
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Loads the explicit config, else the nearest one above `projectDir`, else the built-in default. */
export function loadConfig(projectDir: string, explicitPath?: string | null): AnnotateConfig {
  let path: string | null;
  if (explicitPath) {
    path = resolve(projectDir, explicitPath);
    if (!existsSync(path)) throw new AiBlameError("not-found", `config file not found: ${path}`);
  } else {
    path = findConfigFile(projectDir);
  }
  if (path === null) return builtinConfig();
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new AiBlameError("bad-config", `cannot read config file ${path}: ${(error as Error).message}`);
  }
  return parseConfig(text, path);
}

/** Parses config text; `path` is used in error messages and kept in the result. */
export function parseConfig(text: string, path: string): AnnotateConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): string => {
    const pos = lineCounter.linePos(offset);
    return `${path}:${pos.line}:${pos.col}`;
  };
  const firstError = doc.errors[0];
  if (firstError) {
    const message = firstError.message.split("\n")[0] ?? firstError.message;
    throw new AiBlameError("bad-config", `${at(firstError.pos[0])}: invalid YAML: ${message}`);
  }
  const fail = (node: Node | null | undefined, key: string, problem: string): never => {
    const offset = node?.range?.[0] ?? 0;
    throw new AiBlameError("bad-config", `${at(offset)}: ${key}: ${problem}`);
  };
  const config: AnnotateConfig = { path, defaults: null, rules: [], includeSessionId: false, pathMap: [], agents: null, agentTraceFiles: [] };
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return config;
  if (!isMap(root)) return fail(root, "(top level)", "expected a mapping with `defaults` and `rules`");
  for (const pair of root.items) {
    const keyNode = pair.key as Node | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : "";
    const value = pair.value as Node | null;
    if (!TOP_KEYS.includes(key)) {
      fail(keyNode, key || "(key)", `unknown key (expected one of ${TOP_KEYS.join(", ")})`);
    } else if (key === "defaults") {
      if (value === null || (isScalar(value) && value.value === null)) continue;
      if (!isMap(value)) fail(value, "defaults", "expected a mapping");
      config.defaults = parseRule(value as YAMLMap, "defaults", lineCounter, fail);
    } else if (key === "rules") {
      if (value === null || (isScalar(value) && value.value === null)) continue;
      if (!isSeq(value)) return fail(value, "rules", "expected a list of rules");
      value.items.forEach((item, i) => {
        const node = item as Node | null;
        if (!isMap(node)) fail(node, `rules[${i}]`, "expected a mapping");
        config.rules.push(parseRule(node as YAMLMap, `rules[${i}]`, lineCounter, fail));
      });
    } else if (key === "path_map") {
      if (value === null || (isScalar(value) && value.value === null)) continue;
      if (!isMap(value)) return fail(value, "path_map", "expected a mapping of old paths to new paths");
      for (const entry of value.items) {
        const from = entry.key as Node | null;
        const to = entry.value as Node | null;
        for (const [node, side] of [[from, "old"], [to, "new"]] as const) {
          if (!isScalar(node) || typeof node.value !== "string" || node.value.trim() === "") {
            fail(node ?? from, "path_map", `expected a non-empty ${side} path`);
          }
        }
        const base = dirname(path);
        config.pathMap.push({
          from: resolve(base, String((from as { value: string }).value).trim()),
          to: resolve(base, String((to as { value: string }).value).trim()),
        });
      }
    } else if (key === "agents") {
      if (value === null || (isScalar(value) && value.value === null)) continue;
      config.agents = stringList(value, key, fail).map(({ node, text }, i) =>
        agentNames.includes(text) ? text : fail(node, `agents[${i}]`, `unknown agent (expected one of ${agentNames.join(", ")})`),
      );
    } else if (key === "agent_trace_files") {
      if (value === null || (isScalar(value) && value.value === null)) continue;
      config.agentTraceFiles = stringList(value, key, fail).map(({ text }) => resolve(dirname(path), text));
    } else {
      if (!isScalar(value) || typeof value.value !== "boolean") fail(value, key, "expected true or false");
      config.includeSessionId = (value as { value: boolean }).value;
    }
  }
  return config;
}

type Fail = (node: Node | null | undefined, key: string, problem: string) => never;

/** A YAML list of non-empty strings (trimmed), each with its node for error positions. */
function stringList(value: Node, key: string, fail: Fail): Array<{ node: Node; text: string }> {
  if (!isSeq(value)) return fail(value, key, "expected a list");
  return value.items.map((item, i) => {
    const node = item as Node | null;
    if (!isScalar(node) || typeof node.value !== "string" || node.value.trim() === "") fail(node, `${key}[${i}]`, "expected a non-empty string");
    return { node: node as Node, text: String((node as { value: string }).value).trim() };
  });
}

function parseRule(map: YAMLMap, where: string, lines: LineCounter, fail: Fail): OutputRule {
  const out = rule("*", "append", { line: lines.linePos(map.range?.[0] ?? 0).line });
  for (const pair of map.items) {
    const keyNode = pair.key as Node | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : "";
    const valueNode = pair.value as Node | null;
    const name = `${where}.${key || "(key)"}`;
    if (!RULE_KEYS.includes(key)) fail(keyNode, name, `unknown key (expected one of ${RULE_KEYS.join(", ")})`);
    if (!isScalar(valueNode) || typeof valueNode.value !== "string" || valueNode.value === "") {
      fail(valueNode ?? keyNode, name, "expected a non-empty string");
    }
    const value = (valueNode as { value: string }).value;
    const oneOf = <T extends string>(allowed: readonly T[]): T => {
      if (!(allowed as readonly string[]).includes(value)) {
        fail(valueNode, name, `expected one of ${allowed.join(", ")} (got "${value}")`);
      }
      return value as T;
    };
    if (key === "pattern") {
      try {
        picomatch(value, { dot: true });
      } catch (error) {
        fail(valueNode, name, `invalid glob: ${(error as Error).message}`);
      }
      out.pattern = value;
    } else if (key === "policy") out.policy = oneOf(POLICIES);
    else if (key === "format") out.format = oneOf(FORMATS);
    else if (key === "comment_syntax") out.commentSyntax = oneOf(SYNTAXES);
    else out.sidecarPattern = value;
  }
  return out;
}

const matchers = new Map<string, (path: string) => boolean>();

function matcherFor(pattern: string): (path: string) => boolean {
  let m = matchers.get(pattern);
  if (!m) {
    try {
      m = picomatch(pattern, { dot: true });
    } catch {
      m = () => false;
    }
    matchers.set(pattern, m);
  }
  return m;
}

/** Whether a rule's glob matches a project-relative path: the whole path with `/` or `**`, else the file name. */
export function ruleMatches(pattern: string, relPath: string): boolean {
  const target = pattern.includes("/") || pattern.includes("**") ? relPath : basename(relPath);
  return matcherFor(pattern)(target);
}

/** The first matching rule, else `defaults`, else null (no rule applies). */
export function ruleFor(config: AnnotateConfig, relPath: string): OutputRule | null {
  for (const r of config.rules) if (ruleMatches(r.pattern, relPath)) return r;
  return config.defaults;
}

export type InitFlavor = "sidecar" | "in-place";

const TEMPLATE_HEADER = `# ai-blame annotation config.
# \`ai-blame init\` writes only this file. \`ai-blame annotate\` writes provenance into your files (or sidecars)
# following these rules; preview its changes first with \`ai-blame annotate --dry-run\`.
#
# Rules are tried in order and the first whose pattern matches wins; files no rule matches use \`defaults\`.
# A pattern without "/" matches the file name (*.py); with "/" or "**" it matches the project-relative path.
# Policies: append (edit_history list inside YAML/JSON files), sidecar (a separate history file), comment
# (a block at the end of the file; comment_syntax hash, slash or html) and skip.
`;

/** The starter config `ai-blame init` writes. */
export function initTemplate(flavor: InitFlavor): string {
  if (flavor === "sidecar") {
    return `${TEMPLATE_HEADER}
defaults:
  policy: sidecar
  sidecar_pattern: "{stem}.history.yaml"

rules:
  - pattern: "tests/**"
    policy: skip
`;
  }
  const comment = (pattern: string, syntax: CommentSyntax) =>
    `  - pattern: "${pattern}"\n    policy: comment\n    comment_syntax: ${syntax}\n`;
  return `${TEMPLATE_HEADER}
defaults:
  policy: sidecar
  sidecar_pattern: "{stem}.history.yaml"

rules:
  # First, so that test files are skipped before the per-extension rules below can match them.
  - pattern: "tests/**"
    policy: skip
  - pattern: "*.yaml"
    policy: append
    format: yaml
  - pattern: "*.yml"
    policy: append
    format: yaml
  - pattern: "*.json"
    policy: append
    format: json
${["*.py", "*.sh", "*.toml"].map((p) => comment(p, "hash")).join("")}${comment("*.md", "html")}${["*.rs", "*.js", "*.jsx", "*.ts", "*.tsx"].map((p) => comment(p, "slash")).join("")}`;
}
