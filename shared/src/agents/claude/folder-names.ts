// Claude Code's project-folder names: the real rule (every non-[A-Za-z0-9] UTF-16 unit → `-`, past 200 characters
// cut to 200 + `-` + base36 of a 32-bit string hash of the original path), the reference's variant that keeps `_`,
// and the legacy `/`-only spelling. Names are lossy and collide, so a match is only ever a candidate.

const MAX_NAME = 200;

/** Claude Code's 32-bit string hash (`h = (h << 5) - h + code | 0`), as base36 of its absolute value. */
export function claudePathHash(path: string): string {
  let h = 0;
  for (let i = 0; i < path.length; i++) h = ((h << 5) - h + path.charCodeAt(i)) | 0;
  return Math.abs(h).toString(36);
}

/** The folder name Claude Code uses for a project path. */
export function encodeClaudeProjectPath(path: string): string {
  const name = path.replace(/[^a-zA-Z0-9]/g, "-");
  if (name.length <= MAX_NAME) return name;
  return `${name.slice(0, MAX_NAME)}-${claudePathHash(path)}`;
}

/** The reference tool's spelling: keeps `_` and `-`, one `-` per other Unicode character. */
export function encodeReferenceVariant(path: string): string {
  let out = "";
  for (const ch of path) out += /^[A-Za-z0-9_-]$/.test(ch) ? ch : "-";
  return out;
}

/** The oldest spelling: only path separators replaced. */
export function encodeLegacyVariant(path: string): string {
  return path.replace(/[/\\]/g, "-");
}

/** Every exact folder name a project path may have been stored under (real rule first). */
export function claudeFolderNames(path: string): string[] {
  return [...new Set([encodeClaudeProjectPath(path), encodeReferenceVariant(path), encodeLegacyVariant(path)])];
}

/**
 * Whether a folder name may hold sessions of the project or of a folder inside it: an exact spelling, a name that
 * continues an encoded spelling with `-` (a session started in a subfolder), or, for long paths, the same first
 * 200 characters. Callers confirm each candidate by the `cwd` recorded in its files.
 */
export function isCandidateFolder(name: string, projectPaths: string[]): { exact: boolean } | null {
  for (const path of projectPaths) {
    const names = claudeFolderNames(path);
    if (names.includes(name)) return { exact: true };
    for (const encoded of names) {
      const stem = encoded.length > MAX_NAME ? encoded.slice(0, MAX_NAME) : encoded;
      if (name.startsWith(`${stem}-`) && stem.length < MAX_NAME) return { exact: false };
      if (name.length > MAX_NAME && stem.length >= MAX_NAME && name.slice(0, MAX_NAME) === stem) return { exact: false };
    }
  }
  return null;
}
