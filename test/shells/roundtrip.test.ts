import t from 'tap'
import { rmSync } from 'node:fs'
import { shellByName } from '../../lib/shells/index.js'
import { shellRow } from '../helpers/shell-table.js'
import { RUNNERS, differences, readerStatement, requireRunner, runScript, setLines, tempDir } from './harness.js'
import { CANARIES, VECTORS } from './vectors.js'

const EXTRA = [
  '\x07f\x1bA\x7f0', // \xHH followed by hex digits
  '\x01\x02\x1f\x7f\x01', // bash's internal CTLESC/CTLNUL bytes
  '\\x41\\n\\t\\', // escapes that must stay literal
  "''''",
  '"$@" ${x} %s %% \\',
  '\u0083\u0084\u009f \uF600\uFDD0 \uFEFF \u2028',
]

for (const runner of RUNNERS) {
  t.test(runner.label, async (t) => {
    if (requireRunner(t, runner) === undefined) return
    const shell = shellByName(runner.module)
    const vectors = setLines(shell, 'T', VECTORS)
    const extra = setLines(shell, 'X', EXTRA)
    const canaries = setLines(shell, 'C', CANARIES)
    const expected = new Map([...vectors.expected, ...extra.expected, ...canaries.expected])
    expected.set('AWSMFA_TWICE', 'second')
    const sub = tempDir(`rt-${shell.name}`)
    t.teardown(() => rmSync(sub, { recursive: true, force: true }))
    const script = [
      ...vectors.lines,
      ...extra.lines,
      ...canaries.lines,
      shell.set('AWSMFA_TWICE', 'first'),
      shell.set('AWSMFA_TWICE', 'second'),
      shell.unset('AWSMFA_PRE'), // inherited from the parent: must be gone for the child
      shell.set('AWSMFA_GONE', 'x'),
      shell.unset('AWSMFA_GONE'), // set here, then removed
      shell.unset('AWSMFA_NEVER'), // absent: must be silent
      readerStatement(shell.name),
      shell.unset('AWSMFA_NEVER_AT_ALL'), // last statement: an absent unset must not fail the script
    ].join('\n')
    for (const locale of ['C.UTF-8', 'C']) {
      const r = runScript(runner, script, sub, locale, { AWSMFA_PRE: 'inherited' })
      t.equal(r.error, undefined, `${locale}: ran ${runner.exe ?? runner.host.exe}`)
      if (shellRow(shell.name).exitsZero) t.equal(r.status, 0, `${locale}: exit status 0`)
      t.equal(r.stderr, '', `${locale}: nothing on stderr (unset of an absent variable is silent)`)
      t.equal(r.stdout, '', `${locale}: nothing on stdout`)
      t.notOk(r.canary, `${locale}: no value ran code (CANARY not created)`)
      t.same(differences(expected, r.env), [], `${locale}: child process sees every value byte for byte, and not the unset ones`)
    }
  })
}
