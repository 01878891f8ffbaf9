// Entry point of the attribution module for the rest of the engine: per-line attribution of one file and the helpers
// callers need around it. Everything else in this folder is internal to attribution.

export { type AttributionResult, attributeFile, isBinaryText, toLineOwner } from "./attribute";
export { attributeKept, type KeptReplay } from "./kept-replays";
