// Event filters shared by every command (SPEC §4): pattern, target, time range, first-and-last, minimum change size.
// Pure functions over event lists; the order of application follows the reference (pattern/time first, then
// per-file size and first/last selection, then target).

import type { EditEvent } from "./edit-event";

export interface EventFilter {
  /** Substring or glob on the project-relative path (`--pattern`). */
  pattern?: string | null;
  /** Substring of the project-relative path (report/annotate TARGET). */
  target?: string | null;
  /** ISO date or date-time; events before are dropped (`--since`). */
  since?: string | null;
  /** ISO date or date-time; events after are dropped (`--until`, a bare date includes that whole day). */
  until?: string | null;
  /** Keep only the first and the last event of each file (`--initial-and-recent`). */
  initialAndRecent?: boolean;
  /** Drop intermediate events with changeSize < N; a file's first and last events are kept (`--min-change-size`). */
  minChangeSize?: number;
  /** Only these agents. */
  agents?: string[] | null;
}
