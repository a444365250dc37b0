/**
 * exec at a real terminal (tmux): Ctrl-C goes to the whole foreground process group, so the
 * child must see it exactly once — awsmfa does not forward it a second time.
 */
import t from 'tap'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CLI, makeWorld } from '../helpers/world.js'
import { requireShell } from '../helpers/shells.js'
import { requireRow, shellRow } from '../helpers/shell-table.js'
import { Tmux } from '../helpers/tmux.js'

t.test('one Ctrl-C reaches the child once; awsmfa exits with the child\'s code', async (t) => {
  const bash = requireRow(t, shellRow('bash'))
  if (bash === undefined) return
  const tmuxPath = await requireShell(t, 'tmux')
  const world = await makeWorld(t)
  const counter = join(world.scratch, 'count.cjs')
  const log = join(world.scratch, 'signals')
  writeFileSync(
    counter,
    // No timer decides when to stop counting. After its first SIGINT the child asks awsmfa (its
    // parent) for a SIGTERM, which awsmfa always forwards. awsmfa handles its own SIGINT from the
    // terminal before that SIGTERM (both pending: lower signal first, and libuv keeps the order),
    // so a second SIGINT forwarded by mistake always reaches the child before the SIGTERM does.
    `const fs = require('fs')
let n = 0
process.on('SIGINT', () => { n += 1; fs.appendFileSync(${JSON.stringify(log)}, 'INT' + n + '\\n'); if (n === 1) process.kill(process.ppid, 'SIGTERM') })
process.on('SIGTERM', () => { fs.appendFileSync(${JSON.stringify(log)}, 'TERM\\n'); process.exit(n === 1 ? 7 : 9) })
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
  t.equal(readFileSync(log, 'utf8'), 'INT1\nTERM\n', 'exactly one SIGINT reached the child before the SIGTERM that ends the count')
})

t.test('at a terminal awsmfa forwards no SIGINT of its own: a child outside the terminal\'s group gets none', async (t) => {
  // The child above cannot tell one SIGINT from two that arrive together (the kernel merges a
  // pending signal), so this proves the rule itself: the child runs in its own session (setsid),
  // where Ctrl-C cannot reach it, and counts what awsmfa sends. A sibling in awsmfa's pipeline
  // gets the same Ctrl-C at the same instant and then sends awsmfa a SIGTERM: awsmfa has its
  // SIGINT pending before that SIGTERM, handles it first, so a wrongly forwarded SIGINT always
  // reaches the child before the forwarded SIGTERM that ends the count. No timer decides.
  const bash = requireRow(t, shellRow('bash'))
  if (bash === undefined) return
  const tmuxPath = await requireShell(t, 'tmux')
  const setsid = await requireShell(t, 'setsid')
  const world = await makeWorld(t)
  const log = join(world.scratch, 'signals')
  const pidFile = join(world.scratch, 'awsmfa.pid')
  const counter = join(world.scratch, 'count.cjs')
  writeFileSync(
    counter,
    `const fs = require('fs')
let n = 0
fs.writeFileSync(${JSON.stringify(pidFile)}, String(process.ppid))
process.on('SIGINT', () => { n += 1; fs.appendFileSync(${JSON.stringify(log)}, 'INT' + n + '\\n') })
process.on('SIGTERM', () => { fs.appendFileSync(${JSON.stringify(log)}, 'TERM\\n'); process.exit(n === 0 ? 7 : 9) })
console.log('child ready'); setInterval(() => {}, 1000)
`,
  )
  const sibling = join(world.scratch, 'sibling.cjs')
  writeFileSync(
    sibling,
    `process.on('SIGINT', () => process.kill(Number(require('fs').readFileSync(${JSON.stringify(pidFile)}, 'utf8')), 'SIGTERM'))
process.stdin.pipe(process.stdout)
`,
  )
  const rc = join(world.scratch, 'rc')
  writeFileSync(rc, "PS1='$ '\n")
  const tmux = await Tmux.start(t, tmuxPath, {
    command: [bash, '--noprofile', '--rcfile', rc, '-i'],
    env: { ...world.env(), AWSMFA_CLI: CLI, NODE: process.execPath, COUNTER: counter, SIBLING: sibling, SETSID: setsid },
  })
  await tmux.waitForMatch(/^\$ ?$/m)
  await tmux.line(`"$NODE" "$AWSMFA_CLI" exec prod -t ${world.code()} -- "$SETSID" -w "$NODE" "$COUNTER" | "$NODE" "$SIBLING"; echo "rc=\${PIPESTATUS[0]}"`)
  await tmux.waitForMatch(/^child ready$/m)
  await tmux.keys(['C-c'])
  const [, rcText] = await tmux.waitForMatch(/rc=(\d+)$/m)
  t.equal(readFileSync(log, 'utf8'), 'TERM\n', 'the child got the forwarded SIGTERM and no SIGINT from awsmfa')
  t.equal(rcText, '7', 'awsmfa passed on the child\'s exit code')
})
