// Path normalization shared by discovery, parsers and queries: absolute, `..` resolved, forward slashes, no trailing
// slash. Every path that enters an event or a discovery result goes through `normalizePath`, so string comparison
// of two normalized paths is path comparison (on POSIX; Windows drive letters are upper-cased for the same reason).

import { isAbsolute, posix, resolve } from "node:path";

/**
 * Whether a POSIX absolute path is already in normal form: no empty, `.` or `..` segment, no trailing slash, no
 * backslash. Such a path is what normalizePath returns for it: a parser resolves every edit's recorded path, which
 * agents record in this form, and the resolve, its per-character walk and the regular expressions below took ~3 us
 * per edit while the parsers run unoptimized.
 */
function isNormalPosix(path: string): boolean {
  return (
    path.charCodeAt(0) === 47 &&
    (path.length === 1 || path.charCodeAt(path.length - 1) !== 47) &&
    !path.includes("//") &&
    !path.includes("/./") &&
    !path.includes("/../") &&
    !path.endsWith("/.") &&
    !path.endsWith("/..") &&
    !path.includes("\\")
  );
}

/** Absolute, `..` resolved, `/` separators, no trailing slash (except the root itself). */
export function normalizePath(path: string, base?: string): string {
  // A copy, not the string itself: a recorded path is mostly a slice of the whole JSON line it was parsed from (V8 makes
  // JSON.parse's string values slices of its input), and an event keeping that slice kept the line (a first index
  // at 3 GB peaked at 124-125 MiB instead of 110-112; resolving made a new string).
  if (process.platform !== "win32" && isNormalPosix(path)) return `/${path}`.slice(1);
  const windowsAbsolute = /^[A-Za-z]:[\\/]/;
  let absolute: string;
  if (process.platform !== "win32" && (windowsAbsolute.test(path) || (!isAbsolute(path) && base !== undefined && windowsAbsolute.test(base)))) {
    // A trace recorded on Windows read on POSIX: resolve with POSIX rules over `/` separators, never against our cwd.
    const joined = windowsAbsolute.test(path) ? path : `${base}/${path}`;
    absolute = posix.normalize(joined.replace(/\\/g, "/"));
  } else {
    absolute = base !== undefined && !isAbsolute(path) ? resolve(base, path) : resolve(path);
  }
  let out = absolute.replace(/\\/g, "/");
  if (/^[a-z]:\//.test(out)) out = out[0]!.toUpperCase() + out.slice(1);
  if (out.length > 1 && out.endsWith("/") && !/^[A-Za-z]:\/$/.test(out)) out = out.replace(/\/+$/, "");
  return out;
}

/** Whether `path` is `root` or inside it (both normalized first). */
export function isInside(root: string, path: string): boolean {
  const r = normalizePath(root);
  const p = normalizePath(path);
  if (p === r) return true;
  const prefix = r.endsWith("/") ? r : `${r}/`;
  return p.startsWith(prefix);
}

/** The path relative to `root` with `/` separators; the normalized absolute path when it is outside `root`. */
export function toProjectRelative(root: string, path: string): string {
  const r = normalizePath(root);
  const p = normalizePath(path);
  if (p === r) return ".";
  const prefix = r.endsWith("/") ? r : `${r}/`;
  return p.startsWith(prefix) ? p.slice(prefix.length) : p;
}

/** Resolves a path an agent recorded (absolute, or relative to the directory it ran in) to a normalized path. */
export function resolveAgentPath(recorded: string, cwd: string | null): string | null {
  const trimmed = recorded;
  // `~` is expanded by a shell, not by the agent's file tools: a recorded `~/x` cannot be placed reliably.
  if (trimmed === "" || trimmed.includes("\0") || trimmed.startsWith("~")) return null;
  if (isAbsolute(trimmed) || /^[A-Za-z]:[\\/]/.test(trimmed)) return normalizePath(trimmed);
  if (cwd === null) return null;
  return normalizePath(trimmed, cwd);
}
