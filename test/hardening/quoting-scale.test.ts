/**
 * Quoting at scale: 100,000 values per shell, set by awsmfa's own quoting, evaluated by the real
 * shell and read back byte for byte from a CHILD process (`env -0`). Zero mismatches allowed.
 * AWSMFA_SEED=<n> replays a run; the seed is printed on every failure.
 */
import t, { type Test } from 'tap'
import { rmSync } from 'node:fs'
import { shellByName } from '../../lib/shells/index.js'
import { requireRow, shellRow } from '../helpers/shell-table.js'
import { tempDir } from '../shells/harness.js'
import { SCALE_SHELLS, runScale, type ScaleShell } from './scale-runner.js'
import { coverage, scaleValues } from './values.js'

const seed = process.env.AWSMFA_SEED !== undefined ? Number(process.env.AWSMFA_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0
const PER_SHELL = 100_000
/** Shell processes per shell; each sets its values in sub-batches that are exported, read back, unset. */
const INVOCATIONS = 4
/** Values per eval: small, because zsh's eval of long texts with many exports grows quadratically. */
const PART = 500
/** Invocations alternate locales: C.UTF-8 (multibyte) and C (bytes). */
const LOCALES = ['C.UTF-8', 'C']


// Seven shells × 100,000 values: about 100 s on 2 cores, more on a loaded CI machine; tap's 180 s per file is too tight.
t.setTimeout(600_000)

const values = scaleValues(seed, PER_SHELL)
const dir = tempDir('scale')
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
const ran: string[] = []
const started = Date.now()

t.test('the values cover what the issue names', async (t) => {
  const c = coverage(values)
  t.same(c.missingAscii, [], 'every ASCII byte but NUL appears')
  t.ok(c.empty > 0, `empty values: ${c.empty}`)
  t.ok(c.leadingDash > 1000, `values with a leading dash: ${c.leadingDash}`)
  t.ok(c.controls > 1000, `values with a control character: ${c.controls}`)
  t.ok(c.typographic > 1000, `values with a typographic quote: ${c.typographic}`)
  t.ok(c.utf8Width[2] > 1000 && c.utf8Width[3] > 1000 && c.utf8Width[4] > 1000, `values with 2/3/4-byte UTF-8: ${JSON.stringify(c.utf8Width)}`)
  t.comment(`seed ${seed}: ${values.length} values, ${c.totalUtf8Bytes} bytes of UTF-8`)
})

async function roundTrip(t: Test, runner: ScaleShell): Promise<void> {
  const shell = shellByName(runner.module)
  const sub = tempDir(`scale-${shell.name}`)
  t.teardown(() => rmSync(sub, { recursive: true, force: true }))
  const t0 = Date.now()
  let mismatches = 0
  const perInvocation = Math.ceil(values.length / INVOCATIONS)
  for (let n = 0; n < INVOCATIONS; n++) {
    const base = n * perInvocation
    const slice = values.slice(base, base + perInvocation)
    const locale = LOCALES[n % LOCALES.length] ?? 'C.UTF-8'
    const r = await runScale(runner, shell, slice, base, runner.part ?? PART, sub, locale)
    mismatches += r.mismatches.length + r.missingReads
    const ok = r.error === undefined && (!shellRow(shell.name).exitsZero || r.status === 0) && r.stderr === '' && !r.canary && r.mismatches.length === 0 && r.missingReads === 0
    if (!ok) {
      t.fail(`invocation ${n} (${locale}): round trip failed; replay with AWSMFA_SEED=${seed}`, {
        seed,
        status: r.status,
        error: r.error?.message,
        canary: r.canary,
        missingReads: r.missingReads,
        stderr: r.stderr.slice(0, 2000),
        mismatches: r.mismatches.length,
        first: r.mismatches.slice(0, 10).map(({ index, text }) => {
          const value = index === undefined ? undefined : values[index]
          return value === undefined ? text : `value #${index}: ${text}\n  quoted: ${shell.quote(value)}`
        }),
      })
    }
  }
  const seconds = ((Date.now() - t0) / 1000).toFixed(1)
  t.equal(mismatches, 0, `${values.length} values in ${INVOCATIONS} invocations (${LOCALES.join(', ')}), 0 mismatches, ${seconds} s (seed ${seed})`)
  ran.push(`${runner.label} ${seconds} s`)
}

// PowerShell at this scale: test/shells/powershell-scale.test.ts (one pwsh process, its own file).
for (const runner of SCALE_SHELLS.filter((r) => r.module !== 'powershell')) {
  t.test(`${PER_SHELL} values: ${runner.label}`, async (t) => {
    if (requireRow(t, runner.host) === undefined) return
    await roundTrip(t, runner)
  })
}

t.test('which shells ran', async (t) => {
  t.comment(`shells: ${ran.join('; ')}; total ${((Date.now() - started) / 1000).toFixed(1)} s`)
  t.pass(`${ran.length} shell runs reported`)
})
