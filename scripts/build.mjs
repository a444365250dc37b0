// Bundles the CLI into dist/: awsmfa.mjs plus chunks loaded on demand, so the start-up path
// (--version, init, help) never parses the AWS SDK, execa or the emulator.
//
// Lean-start choices (measured in docs/benchmarks.md; `npm run bench:chunks` lists what each
// path loads):
// - minified whitespace and syntax: V8 compiles less text on every start. Identifiers keep their
//   names, so AWSMFA_DEBUG stack traces still read.
// - the `require` shim (createRequire(import.meta.url)) only in the files that use `require`:
//   every other chunk skips an import.meta initialisation and a createRequire call.
// - node:http and node:https through require(), not `import`: on Node >= 22 the ESM facade of
//   node:http reads every export, including the lazy WebSocket/EventSource getters, which loads
//   undici (~11 ms of CPU on the env path) for nothing; require() leaves them lazy.
import { build } from 'esbuild'
import { chmod, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** `import … from 'node:http'` → a CommonJS module that require()s it (see above). */
const httpViaRequire = {
  name: 'http-via-require',
  setup(b) {
    b.onResolve({ filter: /^(node:)?https?$/ }, (args) => {
      if (args.kind === 'require-call') return { path: args.path, external: true }
      return { path: args.path.replace(/^(node:)?/, 'node:'), namespace: 'http-via-require' }
    })
    b.onLoad({ filter: /.*/, namespace: 'http-via-require' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)})`, loader: 'js' }))
  },
}

const REQUIRE_SHIM = "import { createRequire as __awsmfaRequire } from 'node:module'; const require = __awsmfaRequire(import.meta.url);\n"

/** esbuild options for dist/; `bench/chunks.ts` reuses them to list each chunk's contents. */
export const options = {
  entryPoints: { awsmfa: 'lib/bin.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [httpViaRequire],
  logLevel: 'warning',
}

/**
 * A file needs the shim when it may reference `require` as a free name: esbuild's own
 * `__require` helper (`typeof require`), or bundled CommonJS that calls it. Property names and
 * methods called `require` also match; they only cost the shim, never correctness.
 */
export function needsRequire(text) {
  return /(?<![\w$.])require(?![\w$])/.test(text)
}

/** Builds into `outdir` (default dist/) and returns esbuild's result (with metafile when asked). */
export async function buildDist(overrides = {}) {
  const result = await build({ ...options, ...overrides, write: false })
  for (const file of result.outputFiles) {
    let text = file.text
    if (file.path.endsWith('.mjs') && needsRequire(text)) {
      // Keep the shebang first.
      const shebang = text.startsWith('#!') ? text.slice(0, text.indexOf('\n') + 1) : ''
      text = shebang + REQUIRE_SHIM + text.slice(shebang.length)
    }
    await mkdir(dirname(file.path), { recursive: true })
    // No rm, and each file replaced whole (write, then rename): parallel test runs may be reading
    // dist/ while another build writes it; chunk names are content hashes.
    const temporary = `${file.path}.${process.pid}.tmp`
    await writeFile(temporary, text)
    await rename(temporary, file.path)
  }
  return result
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.chdir(fileURLToPath(new URL('..', import.meta.url)))
  const result = await buildDist()
  await chmod('dist/awsmfa.mjs', 0o755)
  // `--prune` (npm's prepack): the package ships dist/chunks/ whole, so chunks left by earlier
  // builds go; a plain build keeps them for test runs that may still be loading them.
  if (process.argv.includes('--prune')) {
    const current = new Set(result.outputFiles.map((file) => resolve(file.path)))
    for (const name of await readdir('dist/chunks')) {
      const path = resolve(join('dist/chunks', name))
      if (!current.has(path)) await rm(path, { force: true })
    }
  }
}
