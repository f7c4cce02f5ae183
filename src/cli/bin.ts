import { setFlagsFromString } from 'node:v8';
import { runCli } from './main';

// The CLI owns its process, so it may tune V8 for it (the library never does: it runs in the
// user's process). By default V8 lets the old generation grow up to four times its live size
// between full collections; rendering thousands of documents allocates fast, so a cold build's heap
// held four times what it used. A fixed growth factor keeps the peak near the live size for a few
// more (mostly concurrent) collections. docs/decisions/performance.md has the figures. A
// `--heap-growing-percent` given to node itself wins.
const HEAP_GROWING_PERCENT = 30;
if (!process.execArgv.some((flag) => flag.startsWith('--heap-growing-percent'))) {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

const exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  isTTY: Boolean(process.stderr.isTTY),
});
process.exitCode = exitCode;
