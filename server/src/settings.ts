// Settings: normalizes whatever a client sends (initializationOptions, `workspace/configuration` section
// `aiBlame`) against the contract's defaults — a wrong type falls back to the default with one logged warning —
// and caches the result per workspace folder until `didChangeConfiguration` clears it.

import { homedir } from "node:os";
import { join } from "node:path";
import type { Connection } from "vscode-languageserver/node";
import { defaultSettings, type AiBlameSettings } from "@ai-blame/shared/contract";
import type { ClientSupport } from "./capabilities";
import type { ServerLog } from "./log";

type Raw = Record<string, unknown>;

/** Turns raw settings into a complete, valid AiBlameSettings; `problems` collects what was ignored and why. */
export function normalizeSettings(raw: unknown, problems: string[] = []): AiBlameSettings {
  const source = expandDotted(unwrapSection(raw));
  const pick = <K extends keyof AiBlameSettings>(key: K, check: (value: unknown) => AiBlameSettings[K] | undefined) => {
    const value = source[key];
    if (value === undefined || value === null) return defaultSettings[key];
    const checked = check(value);
    if (checked === undefined) {
      problems.push(`aiBlame.${key}: ignoring ${JSON.stringify(value)} (${describeExpected(key)})`);
      return defaultSettings[key];
    }
    return checked;
  };
  return {
    home: pick("home", (v) => (typeof v === "string" ? (v.trim() === "" ? null : expandHome(v.trim())) : undefined)),
    traceDirs: pick("traceDirs", (v) =>
      Array.isArray(v) && v.every((d) => typeof d === "string") ? v.filter((d) => d.trim() !== "").map((d) => expandHome(d.trim())) : undefined,
    ),
    pathMap: pick("pathMap", (v) => {
      if (!isObject(v)) return undefined;
      const map: Record<string, string> = {};
      for (const [from, to] of Object.entries(v)) {
        if (typeof to !== "string" || from.trim() === "" || to.trim() === "") return undefined;
        map[expandHome(from.trim())] = expandHome(to.trim());
      }
      return map;
    }),
    agents: pick("agents", (v) => {
      if (!isObject(v)) return undefined;
      const agents = { ...defaultSettings.agents };
      for (const name of Object.keys(agents) as (keyof typeof agents)[]) {
        const on = optionalBoolean(v[name], defaultSettings.agents[name]);
        if (on === undefined) return undefined;
        agents[name] = on;
      }
      return agents;
    }),
    codeLens: pick("codeLens", (v) => {
      const enabled = enabledObject(v, defaultSettings.codeLens.enabled);
      if (!enabled) return undefined;
      const scope = isObject(v) ? (v.scope ?? defaultSettings.codeLens.scope) : defaultSettings.codeLens.scope;
      return scope === "region" || scope === "file" ? { enabled: enabled.enabled, scope } : undefined;
    }),
    hover: pick("hover", (v) => {
      if (!isObject(v)) return undefined;
      const detail = v.detail ?? defaultSettings.hover.detail;
      const unattributed = v.unattributed ?? defaultSettings.hover.unattributed;
      if (detail !== "minimal" && detail !== "normal" && detail !== "full") return undefined;
      if (unattributed !== "off" && unattributed !== "brief" && unattributed !== "full") return undefined;
      return { detail, unattributed };
    }),
    inlayHints: pick("inlayHints", (v) => enabledObject(v, defaultSettings.inlayHints.enabled)),
    currentLine: pick("currentLine", (v) => enabledObject(v, defaultSettings.currentLine.enabled)),
    fileBlame: pick("fileBlame", (v) => {
      const heatmap = isObject(v) ? optionalBoolean(v.heatmap, defaultSettings.fileBlame.heatmap) : undefined;
      return heatmap === undefined ? undefined : { heatmap };
    }),
    explorerDecorations: pick("explorerDecorations", (v) => enabledObject(v, defaultSettings.explorerDecorations.enabled)),
    cacheSize: pick("cacheSize", (v) => (typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 100_000 ? v : undefined)),
    logLevel: pick("logLevel", (v) => (v === "error" || v === "warn" || v === "info" || v === "debug" ? v : undefined)),
  };
}

/** The settings that decide which traces an engine reads; a change to them means a new engine. */
export function engineKey(settings: AiBlameSettings): string {
  return JSON.stringify([settings.home, settings.traceDirs, settings.agents, settings.pathMap]);
}

export class SettingsStore {
  private readonly cache = new Map<string, Promise<AiBlameSettings>>();
  private readonly warned = new Set<string>();
  private initial: Raw = {};
  private support: ClientSupport | null = null;

  constructor(
    private readonly connection: Connection,
    private readonly log: ServerLog,
  ) {}

  /** Called at initialize with `initializationOptions` and the client's capabilities. */
  initialize(initializationOptions: unknown, support: ClientSupport): void {
    this.initial = expandDotted(unwrapSection(initializationOptions));
    this.support = support;
  }

  /** Settings from initializationOptions alone (used before any folder is known, e.g. the log level). */
  global(): AiBlameSettings {
    return this.normalize(this.initial);
  }

  /** Settings of one workspace folder: initializationOptions overlaid with the client's `aiBlame` section. */
  forFolder(folderUri: string | null): Promise<AiBlameSettings> {
    const key = folderUri ?? "";
    const cached = this.cache.get(key);
    if (cached) return cached;
    const loaded = this.load(folderUri);
    this.cache.set(key, loaded);
    return loaded;
  }

  /** Drops cached settings (didChangeConfiguration); `pushed` is the notification's payload, when it has one. */
  clear(pushed?: unknown): void {
    this.cache.clear();
    if (pushed !== undefined && pushed !== null && !this.support?.configurationPull) {
      // Push-only clients send the new settings in the notification itself.
      this.initial = deepMerge(this.initial, expandDotted(unwrapSection(pushed)));
    }
  }

  private async load(folderUri: string | null): Promise<AiBlameSettings> {
    if (!this.support?.configurationPull) return this.normalize(this.initial);
    let pulled: unknown = null;
    try {
      pulled = await this.connection.workspace.getConfiguration(
        folderUri ? { scopeUri: folderUri, section: "aiBlame" } : { section: "aiBlame" },
      );
    } catch (error) {
      this.log.warn(`workspace/configuration failed, using initializationOptions: ${String(error)}`);
    }
    return this.normalize(deepMerge(this.initial, expandDotted(unwrapSection(pulled))));
  }

  private normalize(raw: Raw): AiBlameSettings {
    const problems: string[] = [];
    const settings = normalizeSettings(raw, problems);
    for (const problem of problems) {
      if (this.warned.has(problem)) continue;
      this.warned.add(problem);
      this.log.warn(`settings: ${problem}`);
    }
    return settings;
  }
}

function describeExpected(key: keyof AiBlameSettings): string {
  switch (key) {
    case "home":
      return "expected a path or null";
    case "traceDirs":
      return "expected an array of paths";
    case "pathMap":
      return "expected an object mapping old paths to new paths";
    case "agents":
      return `expected {${Object.keys(defaultSettings.agents).join(", ")}: boolean}`;
    case "hover":
      return 'expected {detail: "minimal" | "normal" | "full", unattributed: "off" | "brief" | "full"}';
    case "fileBlame":
      return "expected {heatmap: boolean}";
    case "codeLens":
      return 'expected {enabled: boolean, scope: "region" | "file"}';
    case "cacheSize":
      return "expected an integer from 1 to 100000";
    case "logLevel":
      return 'expected "error", "warn", "info" or "debug"';
    default:
      return "expected {enabled: boolean}";
  }
}

function isObject(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optionalBoolean(value: unknown, fallback: boolean): boolean | undefined {
  if (value === undefined || value === null) return fallback;
  return typeof value === "boolean" ? value : undefined;
}

function enabledObject(value: unknown, fallback: boolean): { enabled: boolean } | undefined {
  if (typeof value === "boolean") return { enabled: value };
  if (!isObject(value)) return undefined;
  const enabled = optionalBoolean(value.enabled, fallback);
  return enabled === undefined ? undefined : { enabled };
}

/** Accepts both `{aiBlame: {...}}` and the bare section. */
function unwrapSection(raw: unknown): Raw {
  if (!isObject(raw)) return {};
  const inner = raw.aiBlame;
  return isObject(inner) ? inner : raw;
}

/** `{"codeLens.enabled": false}` (VS Code's flat form) → `{codeLens: {enabled: false}}`. */
function expandDotted(raw: Raw): Raw {
  let out: Raw = {};
  for (const [key, value] of Object.entries(raw)) {
    const parts = key.replace(/^aiBlame\./, "").split(".");
    let nested: unknown = value;
    for (let i = parts.length - 1; i >= 1; i--) nested = { [parts[i] ?? ""]: nested };
    out = deepMerge(out, { [parts[0] ?? key]: nested });
  }
  return out;
}

function deepMerge(base: Raw, over: Raw): Raw {
  const out: Raw = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] = isObject(prev) && isObject(value) ? deepMerge(prev, value) : value;
  }
  return out;
}

function expandHome(path: string): string {
  if (path === "~") return homedir();
  if (path.startsWith("~/")) return join(homedir(), path.slice(2));
  return path;
}
