/**
 * `awsmfa env` end to end: the built CLI, the real SDK over real HTTP to the emulator, and the
 * output evaluated by real shells, with values read back from a CHILD process's environment.
 */
import t from 'tap'
import { execa } from 'execa'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ALICE_MFA, PROD_ROLE, assertNoSecrets, makeWorld } from './helpers/world.js'
import { DEFAULT_OUTPUT, SHELL_TABLE, dumpedValues, findShell, requireRow, shellRow } from './helpers/shell-table.js'
import { missingPart } from './helpers/missing.js'

const NAMES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWSMFA_PROFILE',
  'AWSMFA_EXPIRATION',
  'AWSMFA_ROLE_ARN',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SECURITY_TOKEN',
]

for (const row of SHELL_TABLE) {
  t.test(`env --shell ${row.name}: one 12 h AssumeRole, exported into real ${row.label}`, async (t) => {
    const shellPath = requireRow(t, row)
    if (shellPath === undefined) return
    const world = await makeWorld(t)
    const before = world.snapshotHome()
    const code = world.code()
    const result = await world.run(['env', 'prod', '--shell', row.name, '--token-code', code], {
      env: { AWS_PROFILE: 'prod', AWS_DEFAULT_PROFILE: 'prod' },
    })
    t.equal(result.exitCode, 0, result.stderr)
    t.match(result.stderr, /^prod: ServerworksRolePU in 123456789034 until \d\d:\d\d \(12h00m\)\n$/, 'a 12 h session, to the minute')
    // awsmfa's run, before the shell runs (pwsh keeps its own caches under HOME)
    t.same(world.snapshotHome(), before, 'HOME holds the same files, byte for byte')

    const calls = world.emulator.requests.filter((r) => r.action === 'AssumeRole')
    t.equal(calls.length, 1, 'exactly one AssumeRole')
    t.equal(world.emulator.requests.length, 1, 'and no other STS call (no GetSessionToken)')
    const call = calls[0]!
    t.equal(call.accessKeyId, world.alice.accessKeyId, 'signed with the long-term AKIA key')
    t.equal(call.sessionToken, false, 'without a session token')
    t.equal(call.params.DurationSeconds, '43200')
    t.equal(call.params.SerialNumber, ALICE_MFA)
    t.equal(call.params.TokenCode, code)
    t.equal(call.params.RoleArn, PROD_ROLE)
    t.equal(call.params.RoleSessionName, 'awsmfa-alice')
    t.equal(call.status, 200)

    const file = join(world.scratch, 'out.txt')
    writeFileSync(file, result.stdout)
    // The shell evaluates the output, then a child writes the environment it inherited: proof the names were exported.
    const dump = join(world.scratch, 'env.dump')
    const shell = await execa(shellPath, row.command(`${row.evalFile(file)}\n${row.dumpEnv(dump)}`), {
      env: { PATH: process.env.PATH, HOME: world.home, AWS_PROFILE: 'stale', AWS_DEFAULT_PROFILE: 'stale', AWS_SECURITY_TOKEN: 'old' },
      extendEnv: false,
      reject: false,
      cwd: world.scratch,
    })
    if (row.exitsZero) t.equal(shell.exitCode, 0, shell.stderr)
    t.equal(shell.stderr, '', 'evaluating prints nothing')
    t.ok(existsSync(dump), `the child ran\n${shell.stderr}`)
    const seen = dumpedValues(dump, NAMES)
    const issued = world.emulator.issued[0]!
    t.equal(seen.AWS_ACCESS_KEY_ID, issued.accessKeyId)
    t.equal(seen.AWS_SECRET_ACCESS_KEY, issued.secretAccessKey)
    t.equal(seen.AWS_SESSION_TOKEN, issued.sessionToken)
    t.equal(seen.AWS_CREDENTIAL_EXPIRATION, issued.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'))
    t.match(seen.AWS_CREDENTIAL_EXPIRATION, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    t.equal(seen.AWSMFA_EXPIRATION, String(Math.floor(issued.expiration.getTime() / 1000)))
    t.equal(seen.AWS_REGION, 'eu-west-1')
    t.equal(seen.AWS_DEFAULT_REGION, 'eu-west-1')
    t.equal(seen.AWSMFA_PROFILE, 'prod')
    t.equal(seen.AWSMFA_ROLE_ARN, PROD_ROLE)
    t.equal(seen.AWS_PROFILE, null, 'AWS_PROFILE removed')
    t.equal(seen.AWS_DEFAULT_PROFILE, null, 'AWS_DEFAULT_PROFILE removed')
    t.equal(seen.AWS_SECURITY_TOKEN, null, 'AWS_SECURITY_TOKEN removed')
    const hours = (issued.expiration.getTime() - Date.now()) / 3_600_000
    t.ok(hours > 11.9 && hours <= 12, 'a 12-hour session')

    assertNoSecrets(t, result.stderr, [world.alice.secretAccessKey, issued.secretAccessKey, issued.sessionToken, code])
  })
}

t.test('default output is POSIX that bash, zsh and dash all read; AWSMFA_SHELL picks another', async (t) => {
  const world = await makeWorld(t)
  const posix = await world.run(['env', 'prod', '-t', world.code()])
  t.equal(posix.exitCode, 0, posix.stderr)
  t.match(posix.stdout, /^\\?unset (-v )?AWS_PROFILE;$/m)
  t.match(posix.stdout, /^\\?export AWS_ACCESS_KEY_ID='ASIA[A-Z0-9]+';$/m)
  const defaultRow = shellRow(DEFAULT_OUTPUT)
  for (const row of [defaultRow, ...(defaultRow.readBy ?? []).map(shellRow)]) {
    const shellPath = findShell(row)
    if (shellPath === undefined) {
      missingPart(t, `${row.exe} is not installed (${row.install})`)
      continue
    }
    const out = await execa(shellPath, row.command(`eval "$1"; printf %s "$AWSMFA_PROFILE"`).concat(posix.stdout), { reject: false })
    t.equal(out.stdout, 'prod', `${row.label} reads the default output`)
  }
  const fish = await world.run(['env', 'prod', '-t', world.code()], { env: { AWSMFA_SHELL: 'fish' } })
  t.equal(fish.exitCode, 0, fish.stderr)
  t.match(fish.stdout, /^set -gx AWS_ACCESS_KEY_ID 'ASIA/m)
})

t.test('--json prints credential_process JSON that the AWS CLI accepts', async (t) => {
  const world = await makeWorld(t)
  const result = await world.run(['env', 'prod', '--json', '-t', world.code(), '--duration', '1h'])
  t.equal(result.exitCode, 0, result.stderr)
  const json = JSON.parse(result.stdout) as Record<string, unknown>
  const issued = world.emulator.issued[0]!
  t.same(json, {
    Version: 1,
    AccessKeyId: issued.accessKeyId,
    SecretAccessKey: issued.secretAccessKey,
    SessionToken: issued.sessionToken,
    Expiration: issued.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  })
  t.equal(world.emulator.requests[0]?.params.DurationSeconds, '3600', '--duration 1h')
  t.match(result.stderr, /\(1h00m\)/)
})

t.test('duration, region and session name come from flags, then the profile', async (t) => {
  const world = await makeWorld(t, {
    config: () => `[profile prod]
role_arn = ${PROD_ROLE}
source_profile = alice
mfa_serial = ${ALICE_MFA}
duration_seconds = 7200
role_session_name = ops@example.com
external_id = ext-123

[profile alice]
region = ap-southeast-2
`,
  })
  const fromProfile = await world.run(['env', 'prod', '-t', world.code()])
  t.equal(fromProfile.exitCode, 0, fromProfile.stderr)
  const first = world.emulator.requests[0]!.params
  t.equal(first.DurationSeconds, '7200', 'duration_seconds')
  t.equal(first.RoleSessionName, 'ops@example.com', 'role_session_name')
  t.equal(first.ExternalId, 'ext-123', 'external_id')
  t.match(fromProfile.stdout, /^\\?export AWS_REGION='ap-southeast-2';$/m, 'region falls back to the source profile')

  const fromFlags = await world.run(['env', 'prod', '-t', world.code(), '-d', '45m', '--region', 'us-west-2', '--session-name', 'night-shift'])
  t.equal(fromFlags.exitCode, 0, fromFlags.stderr)
  const second = world.emulator.requests[1]!.params
  t.equal(second.DurationSeconds, '2700')
  t.equal(second.RoleSessionName, 'night-shift')
  t.match(fromFlags.stdout, /^\\?export AWS_REGION='us-west-2';$/m)
})

t.test('mfa_process supplies the code', async (t) => {
  const world = await makeWorld(t)
  const code = world.code()
  world.writeConfig(`[profile prod]
role_arn = ${PROD_ROLE}
source_profile = alice
mfa_serial = ${ALICE_MFA}
mfa_process = printf '%s\\n' ${code}
`)
  const result = await world.run(['env', 'prod'])
  t.equal(result.exitCode, 0, result.stderr)
  t.equal(world.emulator.requests[0]?.params.TokenCode, code)
  assertNoSecrets(t, result.stderr, [code])
})

t.test('a role without an MFA condition needs no code when the profile has no mfa_serial', async (t) => {
  const world = await makeWorld(t)
  const result = await world.run(['env', 'nomfa'])
  t.equal(result.exitCode, 0, result.stderr)
  t.notOk('SerialNumber' in (world.emulator.requests[0]?.params ?? {}))
})

t.test('credential_source = Environment uses the ambient keys only when it says so', async (t) => {
  const world = await makeWorld(t, {
    config: () => `[profile envsrc]
role_arn = ${PROD_ROLE}
credential_source = Environment
mfa_serial = ${ALICE_MFA}
`,
    credentials: () => '',
  })
  const ok = await world.run(['env', 'envsrc', '-t', world.code()], {
    env: { AWS_ACCESS_KEY_ID: world.alice.accessKeyId, AWS_SECRET_ACCESS_KEY: world.alice.secretAccessKey },
  })
  t.equal(ok.exitCode, 0, ok.stderr)
  t.equal(world.emulator.requests[0]?.accessKeyId, world.alice.accessKeyId)

  const afterUse = await world.run(['env', 'envsrc', '-t', world.code()], {
    env: { AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x', AWS_SESSION_TOKEN: 'y', AWSMFA_PROFILE: 'prod' },
  })
  t.equal(afterUse.exitCode, 2)
  t.equal(afterUse.stdout, '')
  t.match(afterUse.stderr, /envsrc: .*session awsmfa made for 'prod'/)
  t.equal(world.emulator.requests.length, 1, 'no second call')
})

t.test('ambient AWS_* keys never become the source of a source_profile target', async (t) => {
  const world = await makeWorld(t)
  const result = await world.run(['env', 'prod', '-t', world.code()], {
    env: { AWS_ACCESS_KEY_ID: 'ASIALEFTOVERSESSION', AWS_SECRET_ACCESS_KEY: 'leftover', AWS_SESSION_TOKEN: 'tok', AWSMFA_PROFILE: 'prod' },
  })
  t.equal(result.exitCode, 0, result.stderr)
  t.equal(world.emulator.requests[0]?.accessKeyId, world.alice.accessKeyId)
})

t.test('the region an earlier `use` left behind does not follow the next profile', async (t) => {
  const world = await makeWorld(t, {
    config: () => `[profile noregion]\nrole_arn = ${PROD_ROLE}\nsource_profile = alice\nmfa_serial = ${ALICE_MFA}\n`,
  })
  const afterUse = await world.run(['env', 'noregion', '-t', world.code(), '--shell', 'bash'], {
    env: { AWSMFA_PROFILE: 'prod', AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1' },
  })
  t.equal(afterUse.exitCode, 0, afterUse.stderr)
  t.match(afterUse.stdout, /^builtin unset -v AWS_REGION;$/m, 'the stale region is removed')
  t.notMatch(afterUse.stdout, /export AWS_REGION=/)

  const ownRegion = await world.run(['env', 'noregion', '-t', world.code(), '--shell', 'bash'], { env: { AWS_REGION: 'us-west-2' } })
  t.equal(ownRegion.exitCode, 0, ownRegion.stderr)
  t.match(ownRegion.stdout, /^builtin export AWS_REGION='us-west-2';$/m, 'the user\'s own region is kept')
})

t.test('a source with its own keys is used even when it also has role_arn, or names itself (as botocore does)', async (t) => {
  const world = await makeWorld(t, {
    config: () => `[default]\nrole_arn = ${PROD_ROLE}\nsource_profile = default\nmfa_serial = ${ALICE_MFA}\n\n[profile fromdef]\nrole_arn = ${PROD_ROLE}\nsource_profile = default\nmfa_serial = ${ALICE_MFA}\n`,
    credentials: (alice) => `[default]\naws_access_key_id = ${alice.accessKeyId}\naws_secret_access_key = ${alice.secretAccessKey}\n`,
  })
  for (const profile of ['default', 'fromdef']) {
    const result = await world.run(['env', profile, '-t', world.code()])
    t.equal(result.exitCode, 0, result.stderr)
  }
  t.same(world.emulator.requests.map((r) => [r.action, r.accessKeyId, r.status]), [
    ['AssumeRole', world.alice.accessKeyId, 200],
    ['AssumeRole', world.alice.accessKeyId, 200],
  ], 'one direct AssumeRole each, signed with the long-term key')
  const list = await world.run(['list', '--json'])
  const verdicts = (JSON.parse(list.stdout) as Array<{ profile: string; status: string }>).map((p) => [p.profile, p.status])
  t.same(verdicts, [['default', 'ok'], ['fromdef', 'ok']], 'list agrees')
})
