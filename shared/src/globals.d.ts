// Build-time constants injected by scripts/build.mjs (esbuild `define`); vitest defines them in vitest.config.ts.
declare const __AI_BLAME_VERSION__: string;
