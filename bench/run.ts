#!/usr/bin/env node
// `npm run bench`: times awsmfa's hot paths against the project's STS emulator and the AWS CLI v2,
// and prints one markdown table with the machine noted. Timings are measured here, never asserted
// in tests. See docs/benchmarks.md for what each row means.
//
//   npm run bench:run -- [--quick] [--only a,b,…] [--markdown FILE] [--json FILE] [--no-netns] [--no-hyperfine] [--package DIR] [--standalone FILE]
//
// Rows (ids for --only): floor, version, init, help, env, aws, mfa-prompt, netns, completion, prompt, startup.
// One module per family: cli-rows.ts (start-up, env vs the AWS CLI, the MFA prompt), netns-rows.ts
// (HTTPS: the floor, npm bundle, standalone, export-credentials, ratios, peak RSS), shell-rows.ts
// (TAB completion, prompt segment, rc start-up); measure.ts times, report.ts prints.
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ROOT, cleanup, log, notes, opt, rows, want, work, type Package } from './context.js'
import { envRows, promptLatencyRow, startRows } from './cli-rows.js'
import { netnsRows } from './netns-rows.js'
import { machine, renderReport } from './report.js'
import { completionRows, promptRows, startupRows } from './shell-rows.js'

/** A snapshot of the built package, so a concurrent `npm run build` cannot change it mid-run. */
function snapshotPackage(): Package {
  const dir = join(work, 'awsmfa')
  const from = resolve(opt.package ?? ROOT)
  mkdirSync(dir)
  for (const part of ['package.json', 'dist', 'shells', 'completions']) {
    if (existsSync(join(from, part))) cpSync(join(from, part), join(dir, part), { recursive: true })
  }
  return { dir, cli: join(dir, 'dist/awsmfa.mjs') }
}

async function main(): Promise<void> {
  const m0 = machine()
  log(`machine: ${m0.nproc} × ${m0.cpu}, Node ${m0.node}, load ${m0.load}`)
  const pkg = snapshotPackage()
  const home = join(work, 'home')
  mkdirSync(home)
  await startRows(pkg, { PATH: process.env.PATH, HOME: home, USER: 'alice', LANG: 'C.UTF-8', TZ: 'UTC', NO_COLOR: '1' })
  await envRows(pkg)
  if (want('mfa-prompt')) await promptLatencyRow(pkg)
  if (want('netns')) await netnsRows(pkg)
  if (want('completion')) completionRows()
  if (want('prompt')) promptRows(pkg)
  if (want('startup')) await startupRows(pkg)

  const m1 = machine()
  const report = renderReport(m0, m1)
  process.stdout.write(report)
  if (opt.markdown) writeFileSync(opt.markdown, report)
  if (opt.json) writeFileSync(opt.json, `${JSON.stringify({ machine: m0, loadAfter: m1.load, rows, notes }, null, 2)}\n`)
}

try {
  await main()
} finally {
  cleanup()
}
