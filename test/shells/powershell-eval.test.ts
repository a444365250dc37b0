/**
 * pwsh's own EVALUATOR on 100,000 random values (test/shells/gen.ts): each part is one .ps1 file of
 * 1,000 `$Env:` statements as `awsmfa env --shell powershell` writes them, dot-sourced (parsed and
 * compiled once per file), then a node CHILD records the environment it inherited, byte for byte,
 * then the part's `$Env:N = $null` lines run (so the next read-back proves them). pwsh 7.6.9 spends
 * about 2–3 ms of CPU compiling each statement's `[char]0xHHHH` chain (figures in
 * docs/guarantees.md), so the values are split over PROCESSES pwsh processes run side by side.
 * AWSMFA_SEED=<n> replays a run.
 */
import t from 'tap'
import { rmSync } from 'node:fs'
import { powershell } from '../../lib/shells/powershell.js'
import { type ScaleShell, runScale } from '../hardening/scale-runner.js'
import { shellRow } from '../helpers/shell-table.js'
import { requirePwsh } from '../helpers/shells.js'
import { randomValues } from './gen.js'
import { tempDir } from './harness.js'

const seed = process.env.AWSMFA_SEED !== undefined ? Number(process.env.AWSMFA_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0
const COUNT = 100_000
/** One per core of the 2-core CI machine. */
const PROCESSES = 2
const PART = 1000

// About 150 s on an idle 2-core machine; the whole suite runs beside it in CI.
t.setTimeout(1_800_000)

const PWSH = shellRow('powershell')
const DOT_SOURCE: ScaleShell = {
  module: 'powershell',
  host: PWSH,
  label: 'pwsh dot-sourcing',
  args: (d) => PWSH.file(d),
  evaluate: (p) => PWSH.source(p),
  timeout: 1_500_000,
}

t.test(`${COUNT} random values evaluated by pwsh itself, read back by a child`, async (t) => {
  if (requirePwsh(t) === undefined) return
  const dir = tempDir('pwsh-eval')
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const values = randomValues(seed, COUNT)
  const share = Math.ceil(COUNT / PROCESSES)
  const t0 = Date.now()
  const results = await Promise.all(
    Array.from({ length: PROCESSES }, (_, n) => runScale(DOT_SOURCE, powershell, values.slice(n * share, (n + 1) * share), n * share, PART, dir, 'C.UTF-8')),
  )
  const seconds = ((Date.now() - t0) / 1000).toFixed(1)
  results.forEach((r, n) => {
    t.equal(r.error, undefined, `pwsh process ${n} ran to the end`)
    t.equal(r.stderr, '', `process ${n}: nothing on stderr (no parse or runtime error)`)
    t.equal(r.missingReads, 0, `process ${n}: every part was read back by a child`)
    t.notOk(r.canary, `process ${n}: no value ran code`)
  })
  const mismatches = results.flatMap((r) => r.mismatches)
  t.same(mismatches.slice(0, 10), [], `${COUNT} values byte for byte in ${PROCESSES} pwsh processes, 0 mismatches, ${seconds} s (seed ${seed})`)
})
