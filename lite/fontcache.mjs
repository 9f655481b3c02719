// Build matplotlib's font cache inside Pyodide (run by Node at build time), with the site's own matplotlib
// and helpers loaded, and print it on stdout. Pyodide's matplotlib keeps the cache next to its
// font_manager.py (site-packages/matplotlib/fontlist.json), which a fresh kernel does not have: without this
// file every kernel start rebuilds it ("Matplotlib is building the font cache"), some seconds each time.
// Usage: node lite/fontcache.mjs <static/pyodide folder of the lite dir>
import { createRequire } from "module";
import path from "path";

const dir = path.resolve(process.argv[2]) + "/";
const require = createRequire(import.meta.url);
const { loadPyodide } = require(dir + "pyodide.js");
const quiet = () => {};
const pyodide = await loadPyodide({ indexURL: dir, stdout: quiet, stderr: quiet });
await pyodide.loadPackage(["matplotlib", "helpers"], { messageCallback: quiet });
const where = pyodide.runPython(`
import matplotlib.font_manager as fm, helpers
from pathlib import Path
fm.fontManager  # built (and written) on first use
str(Path(fm.__file__).parent / "fontlist.json")
`);
process.stdout.write(pyodide.FS.readFile(where, { encoding: "utf8" }));
