/**
 * `agent add` (with mfa_process it waits for a fresh TOTP step between roles, counting down on
 * stderr) and `awsmfa status` showing what the agent holds.
 */
import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { ALICE_MFA, ROOT, defaultConfig, makeWorld } from '../helpers/world.js'
import { startAgent } from '../helpers/agent.js'
import { assertNoLeaks } from '../helpers/leaks.js'
import type { StatusJson } from '../../lib/commands/status.js'

t.test('agent add with mfa_process: one code per role, a fresh step between them', async (t) => {
  const world = await makeWorld(t)
  // An authenticator as a command: the emulator's own TOTP, bundled so mfa_process runs it with node.
  const entry = join(world.scratch, 'totp-entry.ts')
  writeFileSync(entry, `import { totp } from ${JSON.stringify(join(ROOT, 'lib/emulator/totp.ts'))}\nprocess.stdout.write(totp(process.argv[2] ?? '', Date.now()) + '\\n')\n`)
  const tool = join(world.scratch, 'totp.mjs')
  await build({ entryPoints: [entry], outfile: tool, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' })
  const mfaProcess = `${process.execPath} ${tool} ${world.alice.mfaSecret}`
  world.writeConfig(`${defaultConfig()}
[profile prodkey]
role_arn = arn:aws:iam::123456789034:role/ServerworksRolePU
source_profile = alice
mfa_serial = ${ALICE_MFA}
mfa_process = ${mfaProcess}

[profile readkey]
role_arn = arn:aws:iam::123456789034:role/ReadOnly
source_profile = alice
mfa_serial = ${ALICE_MFA}
mfa_process = ${mfaProcess}
duration_seconds = 3600
`)
  const none = await world.run(['agent', 'add', 'prodkey'])
  t.equal(none.exitCode, 1, 'add without an agent fails')
  t.match(none.stderr, /no agent is running at .*\n {2}fix: awsmfa agent start/)
  await startAgent(t, world)
  const typo = await world.run(['agent', 'add', 'prodkey', 'nosuch'])
  t.equal(typo.exitCode, 2, 'a profile that does not exist is refused before any code is spent')
  t.equal(world.emulator.requests.length, 0)

  const add = await world.run(['agent', 'add', 'prodkey', 'readkey'])
  t.equal(add.exitCode, 0, add.stderr)
  t.equal(add.stdout, '')
  t.match(add.stderr, /^awsmfa: added prodkey to the agent \((?:11h59m|12h00m)\)$/m)
  t.match(add.stderr, /^awsmfa: waiting \d+ s for a fresh MFA code for readkey$/m, 'a countdown before the second role')
  t.match(add.stderr, /^awsmfa: added readkey to the agent \((?:59m|1h00m)\)$/m)
  const calls = world.emulator.requests.filter((r) => r.action === 'AssumeRole')
  t.same(calls.map((r) => r.status), [200, 200], 'both codes were accepted: the second came from a fresh step')

  const status = await world.run(['agent', 'status'])
  t.match(status.stdout, /^prodkey +ServerworksRolePU /m)
  t.match(status.stdout, /^readkey +ReadOnly /m)
  const hit = await world.run(['env', 'readkey', '--json', '--min-remaining', '30m'])
  t.equal(hit.exitCode, 0, hit.stderr)
  t.equal(world.emulator.requests.filter((r) => r.action === 'AssumeRole').length, 2, 'env answered from the agent')
  assertNoLeaks(t, world, { text: [add.stderr, status.stdout, status.stderr, hit.stderr], paths: [join(world.scratch, 'agent')] })
})

t.test('agent add without mfa_process and no terminal: a clear error at once', async (t) => {
  const world = await makeWorld(t)
  await startAgent(t, world)
  const add = await world.run(['agent', 'add', 'prod'])
  t.equal(add.exitCode, 2)
  t.match(add.stderr, /prod: needs an MFA code, and there is no terminal to ask for one/)
})

t.test('awsmfa status shows the agent\'s sessions, and points at them when the terminal has none', async (t) => {
  const world = await makeWorld(t)
  await startAgent(t, world)
  const none = await world.run(['status'])
  t.equal(none.exitCode, 1)
  t.notMatch(none.stderr, /the agent holds/, 'an empty agent offers nothing')
  const code = world.code()
  t.equal((await world.run(['env', 'prod', '--json', '-t', code])).exitCode, 0)
  const pointed = await world.run(['status'])
  t.equal(pointed.exitCode, 1, 'this terminal still holds nothing')
  t.equal(pointed.stdout, '')
  t.match(pointed.stderr, /fix: the agent holds prod: awsmfa use prod takes it without a code/)
  const terminal = await world.sessionEnv('prod')
  const shown = await world.run(['status'], { env: terminal })
  t.equal(shown.exitCode, 0, shown.stderr)
  t.match(shown.stdout, /^profile +prod$/m)
  t.match(shown.stdout, /^agent +1 session at .*agent\.sock$/m)
  t.match(shown.stdout, /^ +prod +ServerworksRolePU +123456789034 /m)
  const json = await world.run(['status', '--json'], { env: terminal })
  const parsed = JSON.parse(json.stdout) as StatusJson
  t.equal(parsed.agent?.sessions[0]?.profile, 'prod')
  t.ok((parsed.agent?.sessions[0]?.remainingSeconds ?? 0) > 11 * 3600)
  assertNoLeaks(t, world, { text: [shown.stdout, json.stdout, pointed.stderr], codes: [code] })
  const noAgent = await world.run(['status', '--json'], { env: { ...terminal, AWSMFA_AGENT_SOCK: join(world.scratch, 'none', 'a.sock') } })
  t.equal((JSON.parse(noAgent.stdout) as StatusJson).agent, null, 'no agent: null')
})
