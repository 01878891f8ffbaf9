// @ts-check
// An esbuild plugin that makes some modules load on first use instead of when the bundle starts. Every command paid
// for all of them at load: Node's child_process (~1 ms, for commander and git), crypto (~1-2 ms), worker_threads,
// v8, perf_hooks, and the yaml library's module code, where a `--version` or a `stats` of an indexed project uses
// few or none of them. An import of such a module gets a stand-in module in its place: per export, a function that
// loads the real module on its first call and forwards to it (as a call or as `new`), or for an object (a table of
// constants) a view that loads it on its first property read. esbuild keeps only the exports the bundle imports.
// What code sees is the same functions, classes and values, loaded later; what it cannot do with a stand-in is
// compare it by identity (`instanceof`, `===`), extend it (`class X extends Worker`), read a function's own
// properties, or test for an export that this Node lacks (the names are those of the Node and packages the bundle is built with): modules used that way (zlib,
// whose crc32 frames.ts tests for) stay out of the list.

import { createRequire } from "node:module";
import { join } from "node:path";

const NAMESPACE = "lazy-module";

/**
 * The plugin for `modules`: Node built-ins (`node:crypto`) and packages of the bundle (`yaml`). Their export names
 * and kinds are read in this build process, on the Node the bundle targets (package versions are locked).
 * @param {string} root the repository root (packages resolve from it)
 * @param {readonly string[]} modules
 * @returns {import('esbuild').Plugin}
 */
export function lazyModules(root, modules) {
  const requireFromRoot = createRequire(join(root, "package.json"));
  const wanted = new Map(modules.map((name) => [name, name]));
  for (const name of modules) if (name.startsWith("node:")) wanted.set(name.slice(5), name);
  const escaped = [...wanted.keys()].map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
  const filter = new RegExp(`^(${escaped.join("|")})$`);
  return {
    name: "lazy-modules",
    setup(build) {
      build.onResolve({ filter }, (args) => {
        const name = wanted.get(args.path) ?? args.path;
        // The stand-in's own import of the module is the real one.
        if (args.namespace === NAMESPACE) return name.startsWith("node:") ? { path: name, external: true } : undefined;
        return { path: name, namespace: NAMESPACE };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        contents: standIn(args.path, requireFromRoot(args.path)),
        loader: "js",
        resolveDir: root,
      }));
    },
  };
}

/**
 * The stand-in module's source for `name`, whose real exports are `real`.
 * @param {string} name
 * @param {Record<string, unknown> | ((...args: unknown[]) => unknown)} real
 */
function standIn(name, real) {
  const lines = [
    "let real;",
    `const load = () => (real ??= require(${JSON.stringify(name)}));`,
    // A function export: called, it calls the real one with the same `this`; with `new`, it constructs the real
    // class (whose instance `new` then returns).
    "const forward = (key) => function (...args) { const f = load()[key]; return new.target ? Reflect.construct(f, args) : Reflect.apply(f, this, args); };",
    // An object export (a table of constants): reading a property or testing for one reads the real object.
    "const view = (key) => new Proxy({}, { get: (_target, p) => load()[key][p], has: (_target, p) => p in load()[key] });",
  ];
  // A module that is itself a function (picomatch) is its default export.
  if (typeof real === "function") {
    lines.push("export default function (...args) { const f = load(); return new.target ? Reflect.construct(f, args) : Reflect.apply(f, this, args); }");
  }
  for (const key of Object.keys(real)) {
    // A built-in's getters are left out (reading one may load more, or warn); a package's are its compiled exports.
    const descriptor = Object.getOwnPropertyDescriptor(real, key);
    if (descriptor === undefined || (!("value" in descriptor) && name.startsWith("node:"))) continue;
    if (!/^[A-Za-z_$][\w$]*$/.test(key) || key === "default") continue;
    const value = real[key];
    if (typeof value === "function") lines.push(`export const ${key} = forward(${JSON.stringify(key)});`);
    else if (typeof value === "object" && value !== null) lines.push(`export const ${key} = view(${JSON.stringify(key)});`);
    else lines.push(`export const ${key} = ${JSON.stringify(value)};`);
  }
  return `${lines.join("\n")}\n`;
}
