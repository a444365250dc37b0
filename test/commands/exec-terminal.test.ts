/**
 * exec at a real terminal (tmux): Ctrl-C goes to the whole foreground process group, so the
 * child must see it exactly once — awsmfa does not forward it a second time.
 */
import t from 'tap'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CLI, makeWorld } from '../helpers/world.js'
import { requireShell } from '../helpers/shells.js'
import { Tmux } from '../helpers/tmux.js'

t.test('one Ctrl-C reaches the child once; awsmfa exits with the child\'s code', async (t) => {
  const bash = await requireShell(t, 'bash')
  const tmuxPath = await requireShell(t, 'tmux')
  const world = await makeWorld(t)
  const counter = join(world.scratch, 'count.cjs')
  const log = join(world.scratch, 'signals')
  writeFileSync(
    counter,
    `let n = 0
process.on('SIGINT', () => { n += 1; require('fs').appendFileSync(${JSON.stringify(log)}, 'INT' + n + '\\n'); setTimeout(() => process.exit(n === 1 ? 7 : 9), 500) })
console.log('child ready'); setInterval(() => {}, 1000)
`,
  )
  const rc = join(world.scratch, 'rc')
  writeFileSync(rc, "PS1='$ '\n")
  const tmux = await Tmux.start(t, tmuxPath, {
    command: [bash, '--noprofile', '--rcfile', rc, '-i'],
    env: { ...world.env(), AWSMFA_CLI: CLI, NODE: process.execPath, COUNTER: counter },
  })
  await tmux.waitForMatch(/^\$ ?$/m)
  await tmux.line(`"$NODE" "$AWSMFA_CLI" exec prod -t ${world.code()} -- "$NODE" "$COUNTER"; echo "rc=$?"`)
  await tmux.waitForMatch(/^child ready$/m)
  await tmux.keys(['C-c'])
  const [, rcText] = await tmux.waitForMatch(/rc=(\d+)$/m)
  t.equal(rcText, '7', 'the child saw its first SIGINT and chose exit 7; awsmfa passed that on')
  t.equal(readFileSync(log, 'utf8'), 'INT1\n', 'exactly one SIGINT reached the child')
})
