/**
 * PowerShell output at scale, in ONE pwsh process: 100,000 values (the hardening corpus: every
 * ASCII byte, controls, typographic quotes, 2/3/4-byte UTF-8, leading dashes, long values) are
 * quoted by awsmfa, read by pwsh's own parser, set in its environment and read back byte for byte
 * by a child. First, the text itself: pure ASCII for this corpus, the random generator, the DESIGN
 * vectors and the hostile config/server values, so no console code page can reinterpret a byte.
 * AWSMFA_SEED=<n> replays a run.
 */
import t from 'tap'
import { rmSync } from 'node:fs'
import { HOSTILE_SECRET, HOSTILE_TOKEN } from '../helpers/hostile-keys.js'
import { powershell } from '../../lib/shells/powershell.js'
import { HOSTILE_PROFILE, HOSTILE_ROLE } from '../hardening/hostile-data.js'
import { SCALE_SHELLS, runScale } from '../hardening/scale-runner.js'
import { scaleValues } from '../hardening/values.js'
import { requirePwsh } from '../helpers/shells.js'
import { randomValues } from './gen.js'
import { tempDir } from './harness.js'
import { CANARIES, VECTORS } from './vectors.js'

const seed = process.env.AWSMFA_SEED !== undefined ? Number(process.env.AWSMFA_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0
const COUNT = 100_000
const values = scaleValues(seed, COUNT)
const ASCII_TEXT = /^[\x20-\x7e]*$/

t.test('the PowerShell text is printable ASCII for every corpus', async (t) => {
  const corpora: Record<string, readonly string[]> = {
    hardening: values,
    random: randomValues(seed, 20_000),
    vectors: [...VECTORS, ...CANARIES],
    hostile: [HOSTILE_PROFILE, HOSTILE_ROLE, HOSTILE_SECRET, HOSTILE_TOKEN],
  }
  for (const [name, corpus] of Object.entries(corpora)) {
    const bad = corpus.filter((value) => !ASCII_TEXT.test(powershell.set('AWSMFA_X', value)))
    t.same(bad.slice(0, 5), [], `${name}: ${corpus.length} values, every statement bytes 0x20–0x7E (seed ${seed})`)
  }
})

t.test(`${COUNT} values through pwsh's parser in one pwsh process`, async (t) => {
  if (requirePwsh(t) === undefined) return
  const runner = SCALE_SHELLS.find((r) => r.module === 'powershell')
  if (runner === undefined) throw new Error('no pwsh runner')
  const dir = tempDir('pwsh-scale')
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const t0 = Date.now()
  const r = runScale(runner, powershell, values, 0, 5000, dir, 'C.UTF-8')
  const seconds = ((Date.now() - t0) / 1000).toFixed(1)
  t.equal(r.error, undefined, 'pwsh ran to the end')
  t.equal(r.stderr, '', 'nothing on stderr (no parse error, no unexpected shape)')
  t.equal(r.missingReads, 0, 'every part was read back by a child')
  t.same(r.mismatches.slice(0, 10), [], `${COUNT} values byte for byte, 0 mismatches, ${seconds} s (seed ${seed})`)
  t.notOk(r.canary, 'no value ran code')
})
