/**
 * Isolation: 20 `awsmfa env` runs at once against one emulator, each for its own profile, user and
 * MFA device, each get their own session; two terminals side by side with `awsmfa use` never see
 * each other's variables; and awsmfa writes nothing under HOME or TMPDIR, on success or failure.
 */
import t from 'tap'
import { execa } from 'execa'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { EmulatorRole, EmulatorUser } from '../../lib/emulator/index.js'
import { assertNoLeaks } from '../helpers/leaks.js'
import { requireShell } from '../helpers/shells.js'
import { requireRow, shellRow } from '../helpers/shell-table.js'
import { snapshotTree, treeChanges } from '../helpers/snapshot.js'
import { Tmux } from '../helpers/tmux.js'
import { CLI, ROLE_ACCOUNT, ROOT, USER_ACCOUNT, defaultConfig, defaultCredentials, defaultRoles, makeUser, makeWorld, type World } from '../helpers/world.js'

const PARALLEL = 20

interface Team {
  users: EmulatorUser[]
  roles: EmulatorRole[]
  config: string
  credentials: string
}

/** PARALLEL profiles p0…, each with its own IAM user u0… (keys, MFA device) and role Role0… that trusts only that user, with MFA. */
function team(): Team {
  const users = Array.from({ length: PARALLEL }, (_, i) => makeUser(`u${i}`))
  const roles = users.map((user, i) => ({
    arn: `arn:aws:iam::${ROLE_ACCOUNT}:role/Role${i}`,
    maxSessionDuration: 43200,
    trustedPrincipals: [`arn:aws:iam::${USER_ACCOUNT}:user/${user.userName}`],
    requireMfa: true,
  }))
  const config = users.map((user, i) => `[profile p${i}]\nrole_arn = ${roles[i]?.arn}\nsource_profile = ${user.userName}\nmfa_serial = ${user.mfaSerial}\nregion = eu-west-${(i % 3) + 1}\n`).join('\n')
  const credentials = users.map((user) => `[${user.userName}]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`).join('\n')
  return { users, roles, config, credentials }
}

/** Runs `script` in a clean bash after evaluating `output`; a child prints what it inherited. */
async function evaluated(output: string): Promise<Record<string, string>> {
  const shell = await execa('bash', ['--norc', '--noprofile', '-c', 'eval "$1" && exec env -0', 'bash', output], { env: { PATH: process.env.PATH }, extendEnv: false })
  const seen: Record<string, string> = {}
  for (const entry of String(shell.stdout).split('\0')) {
    const eq = entry.indexOf('=')
    if (/^AWS(MFA)?_/.test(entry.slice(0, eq))) seen[entry.slice(0, eq)] = entry.slice(eq + 1)
  }
  return seen
}

t.test(`${PARALLEL} env runs at once, one emulator, ${PARALLEL} profiles: each gets its own session`, async (t) => {
  const { users, roles, config, credentials } = team()
  const world = await makeWorld(t, { extraUsers: users, roles: [...defaultRoles(), ...roles], config: () => config, credentials: () => credentials })
  const codes = users.map((user) => world.emulator.totp(user.mfaSerial ?? ''))
  const started = Date.now()
  const results = await Promise.all(users.map((_, i) => world.run(['env', `p${i}`, '--shell', 'bash', '-t', codes[i] ?? ''])))
  const elapsed = Date.now() - started
  results.forEach((r, i) => t.equal(r.exitCode, 0, `p${i}: exit 0 ${r.stderr}`))
  t.equal(world.emulator.issued.length, PARALLEL, `${PARALLEL} sessions issued`)

  const sessions = await Promise.all(results.map((r) => evaluated(r.stdout)))
  const keys = new Set<string>()
  sessions.forEach((seen, i) => {
    const issued = world.emulator.issued.find((c) => c.accessKeyId === seen.AWS_ACCESS_KEY_ID)
    t.ok(issued, `p${i}: the key is one the emulator issued`)
    t.match(issued?.arn, new RegExp(`:assumed-role/Role${i}/`), `p${i}: for Role${i}`)
    t.equal(seen.AWS_SECRET_ACCESS_KEY, issued?.secretAccessKey, `p${i}: its own secret`)
    t.equal(seen.AWS_SESSION_TOKEN, issued?.sessionToken, `p${i}: its own token`)
    t.equal(seen.AWSMFA_PROFILE, `p${i}`)
    t.equal(seen.AWSMFA_ROLE_ARN, roles[i]?.arn)
    t.equal(seen.AWS_REGION, `eu-west-${(i % 3) + 1}`)
    if (seen.AWS_ACCESS_KEY_ID) keys.add(seen.AWS_ACCESS_KEY_ID)
  })
  t.equal(keys.size, PARALLEL, 'every session has a different key')
  // Each call was signed by its own user with its own device's code.
  users.forEach((user, i) => {
    const call = world.emulator.requests.find((r) => r.params.RoleArn === roles[i]?.arn)
    t.equal(call?.accessKeyId, user.accessKeyId, `p${i}: signed with u${i}'s key`)
    t.equal(call?.params.SerialNumber, user.mfaSerial)
    t.equal(call?.params.TokenCode, codes[i])
  })
  assertNoLeaks(t, world, { text: results.map((r) => r.stderr), codes, secrets: users.map((u) => u.secretAccessKey) })
  t.comment(`${PARALLEL} parallel runs took ${elapsed} ms in all`)
})

/** A directory holding an `awsmfa` that runs the built CLI, for the shell integration's `command awsmfa`. */
function binDir(world: World): string {
  const dir = join(world.scratch, 'bin')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'awsmfa'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`, { mode: 0o755 })
  return dir
}

t.test('two terminals side by side: awsmfa use in each, neither sees the other', async (t) => {
  const bash = requireRow(t, shellRow('bash'))
  if (bash === undefined) return
  const tmuxPath = await requireShell(t, 'tmux')
  const { users, roles, config, credentials } = team()
  const world = await makeWorld(t, { extraUsers: users.slice(0, 2), roles: roles.slice(0, 2), config: () => config, credentials: () => credentials })
  const rc = join(world.scratch, 'bashrc')
  writeFileSync(rc, `PS1='$ '\nunset HISTFILE\nsource '${join(ROOT, 'shells/awsmfa.bash')}'\n`)
  const env = { ...world.env(), PATH: `${binDir(world)}:${world.env().PATH}` }
  const command = [bash, '--noprofile', '--rcfile', rc, '-i']
  const tmux = await Tmux.start(t, tmuxPath, { command, env, cwd: world.scratch })
  await tmux.newWindow('two', command)
  await tmux.newWindow('three', command)
  for (const w of ['main:one', 'main:two', 'main:three']) await tmux.waitForMatch(/^\$$/m, w)

  await tmux.line(`awsmfa use p0 -t ${world.emulator.totp(users[0]?.mfaSerial ?? '')}`, 'main:one')
  await tmux.waitForMatch(/^p0: Role0 in \d+ until/m, 'main:one')
  await tmux.line(`awsmfa use p1 -t ${world.emulator.totp(users[1]?.mfaSerial ?? '')}`, 'main:two')
  await tmux.waitForMatch(/^p1: Role1 in \d+ until/m, 'main:two')
  const seen = async (w: string, label: string): Promise<string> => {
    await tmux.line(`echo "${label} profile=$(printenv AWSMFA_PROFILE) key=$(printenv AWS_ACCESS_KEY_ID) role=$(printenv AWSMFA_ROLE_ARN)."`, w)
    return (await tmux.waitForMatch(new RegExp(`^${label} (.*)$`, 'm'), w))[1] ?? ''
  }
  const key = (role: number): string | undefined => world.emulator.issued.find((c) => c.arn.includes(`:assumed-role/Role${role}/`))?.accessKeyId
  t.equal(await seen('main:one', 'SEEN1'), `profile=p0 key=${key(0)} role=${roles[0]?.arn}.`, 'terminal one holds p0 only')
  t.equal(await seen('main:two', 'SEEN2'), `profile=p1 key=${key(1)} role=${roles[1]?.arn}.`, 'terminal two holds p1 only')
  t.equal(await seen('main:three', 'SEEN3'), 'profile= key= role=.', 'a third terminal holds no session')

  await tmux.line('awsmfa clear', 'main:one')
  await tmux.waitForMatch(/cleared the p0 session/m, 'main:one')
  t.equal(await seen('main:one', 'SEEN4'), 'profile= key= role=.', 'terminal one is clear')
  t.equal(await seen('main:two', 'SEEN5'), `profile=p1 key=${key(1)} role=${roles[1]?.arn}.`, 'clearing one terminal leaves the other')
})

t.test('awsmfa writes nothing under HOME or TMPDIR, on success and on failure', async (t) => {
  const world = await makeWorld(t)
  const tmp = mkdtempSync(join(world.scratch, 'tmpdir-'))
  const env = { TMPDIR: tmp, TMP: tmp, TEMP: tmp }
  const check = async (label: string, args: string[], extra: Record<string, string> = {}, expectOk?: boolean): Promise<void> => {
    const home = snapshotTree(world.home)
    const result = await world.run(args, { env: { ...env, ...extra } })
    if (expectOk !== undefined) t.equal(result.exitCode === 0, expectOk, `${label}: exit ${result.exitCode}`)
    t.same(treeChanges(home, snapshotTree(world.home)), [], `${label}: HOME unchanged`)
    t.same(treeChanges(new Map(), snapshotTree(tmp)), [], `${label}: TMPDIR still empty`)
  }
  // MFA codes are few (two per 30 s window per device): one for prod, the rest without MFA.
  const session = await evaluated((await world.run(['env', 'nomfa', '--shell', 'bash'])).stdout)
  await check('env --shell bash', ['env', 'prod', '--shell', 'bash', '-t', world.code()], {}, true)
  await check('env --json', ['env', 'nomfa', '--json'], {}, true)
  await check('env without MFA', ['env', 'nomfa'], {}, true)
  await check('exec', ['exec', 'nomfa', '--', 'true'], {}, true)
  await check('list', ['list'], {}, true)
  await check('doctor', ['doctor', 'prod'], {})
  await check('status', ['status'], session, true)
  await check('status --verify', ['status', '--verify'], session, true)
  await check('env: rejected code', ['env', 'prod', '-t', '000000'], {}, false)
  await check('env: no terminal, no code', ['env', 'prod'], {}, false)
  await check('env: unknown profile', ['env', 'nope'], {}, false)
  // Exactly as many faults as the run meets (one hung attempt fills the bound; three attempts for 500).
  world.emulator.inject('hang', 1)
  await check('env: server never answers', ['env', 'nomfa'], { AWSMFA_STS_TIMEOUT: '1' }, false)
  world.emulator.inject('http500', 3)
  await check('env: HTTP 500', ['env', 'nomfa'], {}, false)
  world.writeConfig(`${defaultConfig()}\n[profile proc]\nrole_arn = arn:aws:iam::${ROLE_ACCOUNT}:role/ServerworksRolePU\nsource_profile = alice\nmfa_serial = arn:aws:iam::${USER_ACCOUNT}:mfa/alice\nmfa_process = echo locked >&2; exit 3\n`)
  await check('env: mfa_process fails', ['env', 'proc'], {}, false)
  world.writeCredentials(defaultCredentials(world.alice))
})
