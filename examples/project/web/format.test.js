import { formatDuration } from "./format.js";

console.assert(formatDuration(900) === "15 min");
console.assert(formatDuration(4500) === "1 h 15 min");
