// The parts of the project's `.ai-blame.yaml` that decide which traces are read — `path_map`, `agents` and
// `agent_trace_files` — applied by the engine itself, so that the CLI and the editor read the same traces.

import { agentNames } from "./agents/registry";
import { loadConfig } from "./annotate/config";
import type { EngineOptions } from "./engine-api";

/** `options` with the project config's trace settings merged in (flags and editor settings first). */
export function withProjectConfig(options: EngineOptions): EngineOptions {
  if (options.projectConfig === false) return options;
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(options.projectDir);
  } catch (error) {
    options.log?.warn(`ignoring the trace settings of .ai-blame.yaml: ${error instanceof Error ? error.message : String(error)}`);
    return options;
  }
  const out: EngineOptions = { ...options };
  if (config.pathMap.length > 0) out.pathMap = [...(options.pathMap ?? []), ...config.pathMap];
  const listed = config.agents;
  if (listed !== null && options.agentsChosen !== true) {
    out.agents = Object.fromEntries(agentNames.map((name) => [name, options.agents?.[name] !== false && listed.includes(name)]));
  }
  if (config.agentTraceFiles.length > 0) {
    const given = options.extraTraceFiles?.["agent-trace"] ?? [];
    out.extraTraceFiles = { ...options.extraTraceFiles, "agent-trace": [...given, ...config.agentTraceFiles] };
  }
  return out;
}
