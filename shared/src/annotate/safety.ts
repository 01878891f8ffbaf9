// Guards for every path annotate writes: a target or sidecar must resolve inside the project root lexically and
// after following symlinks (the nearest existing ancestor for a file not created yet), and a read-only file is
// reported instead of silently replaced (a rename would succeed even where the file itself is not writable).

import { accessSync, constants, lstatSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

export type Containment = { ok: true; realPath: string } | { ok: false; reason: string };

/**
 * Whether `path` may be written under `root`. On success `realPath` is where to write: the symlink-resolved file
 * when it exists (so a link inside the root to a file inside the root is written through, not replaced).
 */
export function checkContainment(root: string, path: string): Containment {
  const absRoot = resolve(root);
  const abs = resolve(absRoot, path);
  // Decided on real paths only: traces record real paths while the project may be reached through a symlink, and
  // `..` is already resolved here; a path lexically outside is still refused below unless it really is inside.
  const outside = (): Containment => ({
    ok: false,
    reason: inside(absRoot, abs) ? "a symlink leading outside the project root" : "outside the project root",
  });
  let realRoot: string;
  try {
    realRoot = realpathSync(absRoot);
  } catch {
    return { ok: false, reason: "the project root does not exist" };
  }
  if (exists(abs)) {
    let real: string;
    try {
      real = realpathSync(abs);
    } catch {
      return { ok: false, reason: "a broken symlink" };
    }
    if (!inside(realRoot, real)) return outside();
    return { ok: true, realPath: real };
  }
  let ancestor = dirname(abs);
  while (!exists(ancestor) && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor);
  let realAncestor: string;
  try {
    realAncestor = realpathSync(ancestor);
  } catch {
    return { ok: false, reason: "a broken symlink in its folder" };
  }
  if (!inside(realRoot, realAncestor)) return outside();
  return { ok: true, realPath: resolve(realAncestor, relative(ancestor, abs)) };
}

/** True when an existing file cannot be written: no write permission bits, or the process lacks access. */
export function isReadOnly(path: string): boolean {
  try {
    const mode = statSync(path).mode;
    if ((mode & 0o222) === 0) return true;
    accessSync(path, constants.W_OK);
    return false;
  } catch {
    return true;
  }
}
