#!/usr/bin/env node
// What each hot path loads: builds with scripts/build.mjs's own options plus esbuild's metafile
// (into a temp dir, dist/ untouched) and, per path, lists the files Node reads and the bytes each
// package contributes. Then times each path's lazy import in a fresh Node, so "keep what pays"
// has numbers.
//
//   npm run bench:chunks -- [--top N] [--runs N]
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'

import type { Metafile } from 'esbuild'
import { ROOT } from './common.js'

process.chdir(ROOT)
const { buildDist } = await import('../scripts/build.mjs')
const { values: opt } = parseArgs({ options: { top: { type: 'string', default: '8' }, runs: { type: 'string', default: '15' } } })

/** Which modules each path reaches: the entry, then the dynamic imports that path takes. */
const PATHS: Record<string, string[]> = {
  '--version': ['lib/bin.ts'],
  'init bash': ['lib/bin.ts', 'lib/commands/init.ts'],
  'env --help': ['lib/bin.ts', 'lib/cli.ts'],
  'env prod -t C': ['lib/bin.ts', 'lib/commands/env.ts', 'lib/sts-client.ts', 'lib/sts-endpoint.ts', 'node_modules/proxy-from-env/index.js'],
  '  … behind a proxy, add': ['node_modules/https-proxy-agent/dist/index.js', 'node_modules/http-proxy-agent/dist/index.js'],
  '  of which env.ts and its imports': ['lib/commands/env.ts'],
}

const out = mkdtempSync(join(tmpdir(), 'awsmfa-chunks-'))
try {
  const { metafile } = await buildDist({ outdir: out, metafile: true })
  if (metafile === undefined) throw new Error('esbuild gave no metafile')
  const outputs: Metafile['outputs'] = metafile.outputs
  const byEntry = new Map<string, string>()
  for (const [file, o] of Object.entries(outputs)) if (o.entryPoint) byEntry.set(o.entryPoint, file)
  const closure = (file: string, seen: Set<string>): void => {
    if (seen.has(file)) return
    seen.add(file)
    for (const i of outputs[file]?.imports ?? []) if (i.kind === 'import-statement' && outputs[i.path]) closure(i.path, seen)
  }
  const pkgOf = (input: string): string => {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)
    return m?.[1] !== undefined ? m[1] : input.startsWith('lib/') ? input.split('/').slice(0, 2).join('/').replace(/\.ts$/, '') : input
  }
  const kib = (n: number): string => `${(n / 1024).toFixed(1)} KiB`

  for (const [name, entries] of Object.entries(PATHS)) {
    const files = new Set<string>()
    for (const e of entries) {
      const f = byEntry.get(e)
      if (f === undefined) throw new Error(`no output for ${e}: is it still imported with import()?`)
      closure(f, files)
    }
    let total = 0
    const packages = new Map<string, number>()
    for (const f of files) {
      const output = outputs[f]
      if (output === undefined) continue
      total += output.bytes
      for (const [input, v] of Object.entries(output.inputs)) packages.set(pkgOf(input), (packages.get(pkgOf(input)) ?? 0) + v.bytesInOutput)
    }
    const top = [...packages].sort((a, b) => b[1] - a[1]).slice(0, Number(opt.top))
    console.log(`\n${name}: ${files.size} files, ${kib(total)}`)
    for (const [p, bytes] of top) console.log(`  ${kib(bytes).padStart(10)}  ${p}`)
  }

  // The cost of each lazy piece, imported on its own in a fresh Node (median of --runs).
  console.log('\nimport() in a fresh Node, median ms (includes that module\'s own static imports):')
  const runs = Number(opt.runs)
  for (const entry of ['lib/bin.ts', 'lib/commands/init.ts', 'lib/cli.ts', 'lib/commands/env.ts', 'lib/sts-client.ts']) {
    const file = byEntry.get(entry)
    if (!file) continue
    const url = new URL(`file://${resolve(file)}`).href
    const times: number[] = []
    for (let i = 0; i < runs; i++) {
      // bin.ts runs the CLI when imported: give it --version so it only prints.
      const script = `const t = performance.now(); await import(${JSON.stringify(url)}); process.stdout.write('\\n' + (performance.now() - t))`
      const printed = execFileSync(process.execPath, ['--input-type=module', '-e', script, '--', '_', '--version'], {
        encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { PATH: process.env.PATH, HOME: tmpdir() },
      })
      times.push(Number(printed.trim().split('\n').at(-1)))
    }
    times.sort((a, b) => a - b)
    console.log(`  ${(times[Math.floor(times.length / 2)] ?? Number.NaN).toFixed(1).padStart(6)} ms  ${entry} → ${relative(out, file)}`)
  }
} finally {
  rmSync(out, { recursive: true, force: true })
}
