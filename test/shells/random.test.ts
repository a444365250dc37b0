import t from 'tap'
import { rmSync } from 'node:fs'
import { shellByName } from '../../lib/shells/index.js'
import { randomValues } from './gen.js'
import { shellRow } from '../helpers/shell-table.js'
import { MAIN_RUNNERS, differences, readerStatement, requireRunner, runScript, setLines, tempDir } from './harness.js'

// AWSMFA_SEED=<n> replays a failure; otherwise a new seed each run, printed when something fails.
const seed = process.env.AWSMFA_SEED !== undefined ? Number(process.env.AWSMFA_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0
const COUNT = 2000

// One batched script per way a user evaluates the output: each row's own eval, and the sh output in its readBy hosts.
const values = randomValues(seed, COUNT)
for (const runner of MAIN_RUNNERS) {
  t.test(`${COUNT} random values: ${runner.label}`, async (t) => {
    if (requireRunner(t, runner) === undefined) return
    const shell = shellByName(runner.module)
    const { lines, expected } = setLines(shell, 'R', values)
    const sub = tempDir(`rnd-${shell.name}`)
    t.teardown(() => rmSync(sub, { recursive: true, force: true }))
    lines.push(readerStatement(shell.name))
    for (const locale of ['C.UTF-8', 'C']) {
      const r = runScript(runner, lines.join('\n'), sub, locale)
      const diff = differences(expected, r.env)
      const ok = r.error === undefined && (!shellRow(shell.name).exitsZero || r.status === 0) && r.stderr === '' && !r.canary && diff.length === 0
      if (!ok) {
        t.fail(`${locale}: round trip failed; replay with AWSMFA_SEED=${seed}`, {
          seed,
          status: r.status,
          stderr: r.stderr.slice(0, 2000),
          differences: diff.slice(0, 10).map((d) => {
            const name = d.slice(0, d.indexOf(':'))
            const i = Number(name.slice('AWSMFA_R'.length))
            return Number.isInteger(i) && values[i] !== undefined ? `${d}\n  quoted: ${shell.quote(values[i])}` : d
          }),
        })
      } else {
        t.pass(`${locale}: ${COUNT} values byte for byte (seed ${seed})`)
      }
    }
  })
}
