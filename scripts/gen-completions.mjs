#!/usr/bin/env node
// Rewrites the generated regions of the completion scripts (completions/) from their sources in
// lib/shells/completion/ (see lib/shells/completion/generate.ts, which holds the rules; a test
// fails when a committed file differs from what it makes). Run: npm run gen:completions.
// With --check it writes nothing and exits 1 naming every file that is not current.
//
// It bundles generate.ts with esbuild (in memory) so plain node runs the same TypeScript the test imports.
import { build } from 'esbuild'
import { readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
const check = process.argv.includes('--check')

const bundle = await build({
  entryPoints: [join(ROOT, 'lib/shells/completion/generate.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'warning',
})
const { PROFILES_AWK, completionFiles, completionSources, renderCompletion } = await import(
  `data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString('base64')}`
)

const profilesAwk = await readFile(join(ROOT, PROFILES_AWK), 'utf8')
const stale = []
for (const file of completionFiles()) {
  const text = await readFile(join(ROOT, file), 'utf8')
  const rendered = renderCompletion(file, text, completionSources(file, profilesAwk))
  if (rendered === text) continue
  stale.push(file)
  if (!check) await writeFile(join(ROOT, file), rendered)
}
if (check && stale.length > 0) {
  process.stderr.write(`not current (run npm run gen:completions): ${stale.join(', ')}\n`)
  process.exitCode = 1
} else {
  for (const file of stale) process.stdout.write(`wrote ${file}\n`)
}
