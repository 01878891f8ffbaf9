// How an environment switch such as AI_BLAME_NO_CACHE reads as on or off; its own module because the launcher
// (launch.ts), which must stay small, asks it too.

/** Whether an environment flag is set to a true value (anything but empty, 0, false, no, off). */
export function envFlag(value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.trim().toLowerCase();
  return v !== "" && v !== "0" && v !== "false" && v !== "no" && v !== "off";
}
