// The child a shell runs to record the environment it inherited: /proc/self/environ, byte for
// byte, NUL-separated (what `env -0` prints), into the file named by the first argument.
// Used where the shell cannot redirect raw bytes (pwsh re-encodes native output); see shell-table.ts.
const fs = require('node:fs')
fs.writeFileSync(process.argv[2], fs.readFileSync('/proc/self/environ'))
