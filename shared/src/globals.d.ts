// Build-time constants injected by scripts/build.mjs (esbuild `define`); vitest defines them in vitest.config.ts.
declare const __AI_BLAME_VERSION__: string;

// ES2024's String.prototype.isWellFormed, in every Node this supports (>= 20), not in the TypeScript lib targeted.
interface String {
  isWellFormed(): boolean;
}
