/**
 * pwsh's own EVALUATOR on random values (test/shells/gen.ts), at the scale a CI run affords: each
 * part is one .ps1 file of 1,000 `$Env:` statements as `awsmfa env --shell powershell` writes them,
 * dot-sourced (parsed and compiled once per file), then a node CHILD records the environment it
 * inherited, byte for byte, then the part's Remove-Item lines run (so the next read-back proves
 * them). pwsh 7.6.9 spends about 2.9 ms of CPU compiling each statement's `[char]0xHHHH` chain
 * (figures in docs/guarantees.md), so 10,000 take about 30 s on an idle 2-core machine; the
 * 100,000-value run (test/shells/powershell-scale.test.ts) goes through pwsh's parser and a walker.
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
const COUNT = 10_000

const PWSH = shellRow('powershell')
const DOT_SOURCE: ScaleShell = { module: 'powershell', host: PWSH, label: 'pwsh dot-sourcing', args: (d) => PWSH.file(d), evaluate: (p) => PWSH.source(p) }

t.test(`${COUNT} random values evaluated by pwsh itself, read back by a child`, async (t) => {
  if (requirePwsh(t) === undefined) return
  const dir = tempDir('pwsh-eval')
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const t0 = Date.now()
  const r = runScale(DOT_SOURCE, powershell, randomValues(seed, COUNT), 0, 1000, dir, 'C.UTF-8')
  const seconds = ((Date.now() - t0) / 1000).toFixed(1)
  t.equal(r.error, undefined, 'pwsh ran to the end')
  t.equal(r.stderr, '', 'nothing on stderr (no parse or runtime error)')
  t.equal(r.missingReads, 0, 'every part was read back by a child')
  t.same(r.mismatches.slice(0, 10), [], `${COUNT} values byte for byte, 0 mismatches, ${seconds} s (seed ${seed})`)
  t.notOk(r.canary, 'no value ran code')
})
