// Runs first inside the ai-blame single-executable build, before the CLI bundle that follows it in the SEA main.
// A SEA re-runs its own main when something forks it with a script path (argv: exe, exe, script.js, ...), which
// would recurse; that case is refused with one line. NODE_OPTIONS is ignored by the SEA config, not here.
(function aiBlameSeaGuard() {
  var script = process.argv[2] || "";
  if (typeof process.send === "function" && /\.[cm]?js$/i.test(script)) {
    process.stderr.write(
      "ai-blame: this single-executable build cannot run " + script + " as a forked Node.js child process\n"
    );
    process.exit(70);
  }
})();
