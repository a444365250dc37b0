#!/usr/bin/env node
// `npm run build:standalone`: awsmfa as one executable for users without Node, for THIS machine's
// platform and architecture (Node's single-executable applications, "SEA"):
//   1. esbuild bundles lib/standalone.ts into ONE CommonJS file (a SEA's script can require only
//      built-in modules, so no chunks and no node_modules);
//   2. `node --experimental-sea-config` runs that file to build a start-up snapshot (useSnapshot:
//      the env path's modules are loaded and initialised at build time) and writes the blob, with
//      shells/ and completions/ as assets (awsmfa init reads them with node:sea getAsset);
//   3. a copy of this Node binary gets the blob injected with postject.
// Output: dist/standalone/awsmfa (awsmfa.exe on Windows), or --out DIR. Other platforms: run this script there
// (see README "Standalone executable": macOS needs codesign, Windows signtool optionally).
import { build } from 'esbuild'
import { execFileSync } from 'node:child_process'
import { chmodSync, copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { builtinModules, createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
// --out DIR: build elsewhere (the tests build into a temp folder).
const outFlag = process.argv.indexOf('--out')
const out = outFlag === -1 ? join(root, 'dist/standalone') : resolve(process.argv[outFlag + 1] ?? '')
const work = join(out, 'build')
const require = createRequire(import.meta.url)

/**
 * `node:http` and `node:https` as objects whose members load the module on first use: the
 * snapshot is built with the SDK initialised but these two never loaded (`--build-snapshot`
 * aborts on their parser handles). The member names are this Node's, read at build time.
 */
const lazyHttp = {
  name: 'lazy-http',
  setup(b) {
    b.onResolve({ filter: /^(node:)?https?$/ }, (args) => {
      if (args.namespace === 'lazy-http') return { path: args.path, external: true }
      return { path: args.path.replace(/^(node:)?/, 'node:'), namespace: 'lazy-http' }
    })
    b.onLoad({ filter: /.*/, namespace: 'lazy-http' }, (args) => {
      const names = Object.keys(require(args.path))
      return {
        loader: 'js',
        contents: `let loaded; const load = () => (loaded ??= require(${JSON.stringify(args.path)}));
for (const name of ${JSON.stringify(names)}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });`,
      }
    })
  },
}

/** Every file of shells/ and completions/, under the name init asks for (`shells/awsmfa.bash`). */
function assets() {
  const map = {}
  for (const dir of ['shells', 'completions']) {
    for (const name of readdirSync(join(root, dir))) map[`${dir}/${name}`] = join(root, dir, name)
  }
  return map
}

rmSync(work, { recursive: true, force: true })
mkdirSync(work, { recursive: true })
const bundle = join(work, 'awsmfa.cjs')
await build({
  entryPoints: [join(root, 'lib/standalone.ts')],
  outfile: bundle,
  bundle: true,
  splitting: false,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  external: builtinModules.flatMap((name) => [name, `node:${name}`]).filter((name) => !/^(node:)?https?$/.test(name)),
  // ESM code in the bundle (yargs' createRequire) reads import.meta.url: this file's URL. init
  // reads shells/ from the assets, never from a folder next to it.
  define: { 'import.meta.url': '__awsmfaModuleUrl' },
  banner: { js: 'var __awsmfaModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [lazyHttp],
  logLevel: 'warning',
})

const blob = join(work, 'sea-prep.blob')
const config = join(work, 'sea-config.json')
writeFileSync(config, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useSnapshot: true, assets: assets() }, null, 2))
execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'inherit', cwd: work })

const windows = process.platform === 'win32'
const mac = process.platform === 'darwin'
const executable = join(out, windows ? 'awsmfa.exe' : 'awsmfa')
const temporary = `${executable}.${process.pid}.tmp`
copyFileSync(process.execPath, temporary)
chmodSync(temporary, 0o755)
// A signed Node (macOS, Windows) must lose its signature before the blob goes in.
if (mac) execFileSync('codesign', ['--remove-signature', temporary], { stdio: 'inherit' })
const { inject } = require('postject')
await inject(temporary, 'NODE_SEA_BLOB', readFileSync(blob), {
  sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
  ...(mac ? { machoSegmentName: 'NODE_SEA' } : {}),
})
if (mac) execFileSync('codesign', ['--sign', '-', temporary], { stdio: 'inherit' })
// Replaced whole (write, then rename): a test may be running the previous one.
const { renameSync } = await import('node:fs')
renameSync(temporary, executable)
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`
process.stdout.write(`built ${executable} (${mb(statSync(executable).size)}; Node ${process.versions.node} ${process.platform}-${process.arch}; bundle ${mb(statSync(bundle).size)}, blob ${mb(statSync(blob).size)})\n`)
