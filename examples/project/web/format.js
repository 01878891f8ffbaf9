// Formatting helpers for the tasklog web dashboard.

export function formatDuration(seconds) {
  const total = Math.round(seconds / 60 / 15) * 15;
  const hours = Math.floor(total / 60);
  const minutes = total % 60;
  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;
}

export function formatEntry(entry) {
  const label = entry.project ? `${entry.project}: ${entry.task}` : entry.task;
  return `${label} (${formatDuration(entry.seconds)})`;
}
