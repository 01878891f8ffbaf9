// Whether the process that wrote a pid into a lock or a temp file's name has provably ended. Both the notes lock
// and the index's stale-temp cleanup ask this, and they must agree: only ESRCH ("no such process") proves it.
// EPERM means it runs under another user; any other answer is taken as "may still run", so a live writer's file is
// never taken over or removed (the callers' age limits still end a lock or a temp file nobody will ever finish).

/** True when no process with this pid exists (the writer died); false when it runs or cannot be told. */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
