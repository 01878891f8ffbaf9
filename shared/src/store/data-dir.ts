// Where the durable index lives: `$AI_BLAME_DATA_DIR`, else `$XDG_DATA_HOME/ai-blame`, else
// `~/.local/share/ai-blame`. A candidate inside the agents' own folders (`~/.claude`, `~/.codex`, or their
// `CLAUDE_CONFIG_DIR` / `CODEX_HOME` overrides) is never used: those folders belong to other tools.

import { isAbsolute, join, relative, resolve } from "node:path";

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/** The user data folder for the index, from the environment and the user's home folder. */
export function defaultDataDir(env: Record<string, string | undefined>, home: string): string {
  const forbidden = [join(home, ".claude"), join(home, ".codex"), join(home, ".config", "claude")];
  for (const name of ["CLAUDE_CONFIG_DIR", "CODEX_HOME"]) {
    const value = env[name];
    if (value !== undefined && isAbsolute(value)) forbidden.push(value);
  }
  const allowed = (dir: string): boolean => !forbidden.some((f) => isInside(resolve(dir), resolve(f)));
  const override = env["AI_BLAME_DATA_DIR"];
  if (override !== undefined && override !== "" && allowed(override)) return resolve(override);
  const xdg = env["XDG_DATA_HOME"];
  // The XDG spec says relative values are invalid and must be ignored.
  if (xdg !== undefined && isAbsolute(xdg) && allowed(join(xdg, "ai-blame"))) return join(xdg, "ai-blame");
  return join(home, ".local", "share", "ai-blame");
}
