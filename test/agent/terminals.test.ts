/**
 * Two real terminals (tmux): `awsmfa use prod` with a code in bash, then `awsmfa use prod` in
 * fish with no code at all — the agent answers — and both prompt segments show the same session.
 */
import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ALICE_MFA, PROD_ROLE, defaultConfig, makeWorld } from '../helpers/world.js'
import { requireShell } from '../helpers/shells.js'
import { requireRow, shellRow } from '../helpers/shell-table.js'
import { Tmux } from '../helpers/tmux.js'
import { startAgent } from '../helpers/agent.js'
import { assertNoLeaks } from '../helpers/leaks.js'
import { FILES, ROOT, makeBin, shQuote } from '../integration/common.js'

t.test('use prod with a code in bash, without one in fish: the prompt segments agree', async (t) => {
  const bash = requireRow(t, shellRow('bash'))
  if (bash === undefined) return
  const fish = requireRow(t, shellRow('fish'))
  if (fish === undefined) return
  const tmuxPath = await requireShell(t, 'tmux')
  const world = await makeWorld(t)
  const before = world.snapshotHome()
  await startAgent(t, world)
  const bin = makeBin(t)
  const worldEnv = world.env()
  const rc = join(world.scratch, 'bashrc')
  writeFileSync(rc, [`PS1='[$(awsmfa_prompt)]$ '`, `source ${shQuote(join(ROOT, FILES.bash.integration))}`, ''].join('\n'))
  const fishInit = ["set -g fish_greeting ''", "function fish_prompt; printf '[%s]$ ' (awsmfa_prompt); end", `source ${shQuote(join(ROOT, FILES.fish.integration))}`].join('; ')
  const tmux = await Tmux.start(t, tmuxPath, {
    command: [bash, '--noprofile', '--rcfile', rc, '-i'],
    env: { ...worldEnv, PATH: `${bin}:${worldEnv.PATH}` },
    cwd: world.scratch,
  })
  await tmux.newWindow('two', [fish, '--no-config', '-i', '-C', fishInit])
  await tmux.waitForMatch(/^\[\]\$ ?$/m)
  await tmux.waitForMatch(/^\[\]\$ ?$/m, 'main:two')

  await tmux.line('awsmfa use prod')
  await tmux.waitForMatch(/MFA code for prod \(arn:aws:iam::123456789012:mfa\/alice\):$/m)
  const code = world.code()
  await tmux.line(code)
  await tmux.waitForMatch(/^prod: ServerworksRolePU in 123456789034 until/m)

  await tmux.line('awsmfa use prod', 'main:two')
  await tmux.waitForMatch(/^prod: ServerworksRolePU in 123456789034 until/m, 'main:two')
  t.notMatch(await tmux.screen('main:two'), /MFA code/, 'fish asked for no code')
  t.equal(world.emulator.requests.filter((r) => r.action === 'AssumeRole').length, 1, 'one AssumeRole for both terminals')

  await tmux.line('echo "K=$AWS_ACCESS_KEY_ID P=[$(awsmfa_prompt)]"')
  await tmux.line('echo "K=$AWS_ACCESS_KEY_ID P=["(awsmfa_prompt)"]"', 'main:two')
  const [, keyBash, promptBash] = await tmux.waitForMatch(/^K=(\S+) P=\[(.*)\]$/m)
  const [, keyFish, promptFish] = await tmux.waitForMatch(/^K=(\S+) P=\[(.*)\]$/m, 'main:two')
  t.equal(keyFish, keyBash, 'the same session in both terminals')
  t.equal(keyBash, world.emulator.issued[0]?.accessKeyId)
  t.match(promptBash, /^prod (?:11h5\dm|12h00m)$/)
  t.match(promptFish, /^prod (?:11h5\dm|12h00m)$/)
  // Both read AWSMFA_EXPIRATION, which is the same value: the segments can differ only by a minute boundary between the two reads.
  await tmux.line('echo "E=$AWSMFA_EXPIRATION"')
  await tmux.line('echo "E=$AWSMFA_EXPIRATION"', 'main:two')
  t.equal((await tmux.waitForMatch(/^E=(\d+)$/m))[1], (await tmux.waitForMatch(/^E=(\d+)$/m, 'main:two'))[1], 'the same expiry behind both segments')
  if (promptBash !== promptFish) t.comment(`segments read a minute apart: ${promptBash} / ${promptFish}`)
  else t.equal(promptFish, promptBash, 'the prompt segments agree')

  t.same(world.snapshotHome(), before, 'HOME unchanged')
  assertNoLeaks(t, world, { text: [await tmux.screen(), await tmux.screen('main:two')].map((s) => s.replace(/^K=.*$/gm, '')), paths: [world.scratch], codes: [] })
})

t.test('agent add without mfa_process prompts for each role on the terminal', async (t) => {
  const bash = requireRow(t, shellRow('bash'))
  if (bash === undefined) return
  const tmuxPath = await requireShell(t, 'tmux')
  const world = await makeWorld(t)
  world.writeConfig(`${defaultConfig()}
[profile prod2]
role_arn = ${PROD_ROLE}
source_profile = alice
mfa_serial = ${ALICE_MFA}
duration_seconds = 3600
`)
  await startAgent(t, world)
  const bin = makeBin(t)
  const worldEnv = world.env()
  const rc = join(world.scratch, 'bashrc')
  writeFileSync(rc, "PS1='$ '\n")
  const tmux = await Tmux.start(t, tmuxPath, { command: [bash, '--noprofile', '--rcfile', rc, '-i'], env: { ...worldEnv, PATH: `${bin}:${worldEnv.PATH}` }, cwd: world.scratch })
  await tmux.waitForMatch(/^\$ ?$/m)
  await tmux.line('awsmfa agent add prod prod2; echo "rc=$?"')
  await tmux.waitForMatch(/MFA code for prod \(arn:aws:iam::123456789012:mfa\/alice\):$/m)
  await tmux.line(world.code())
  await tmux.waitForMatch(/MFA code for prod2 \(arn:aws:iam::123456789012:mfa\/alice\):$/m)
  await tmux.line(world.code())
  t.equal((await tmux.waitForMatch(/^rc=(\d+)$/m))[1], '0')
  const screen = await tmux.screen()
  t.match(screen, /^awsmfa: added prod to the agent/m)
  t.match(screen, /^awsmfa: added prod2 to the agent/m)
  const status = await world.run(['agent', 'status'])
  t.match(status.stdout, /^prod +ServerworksRolePU/m)
  t.match(status.stdout, /^prod2 +ServerworksRolePU/m)
})
