/**
 * User sessions end to end: a profile with mfa_serial and the IAM user's own keys but no role_arn
 * gets ONE GetSessionToken (real SDK, real HTTP, the emulator), exported into every real shell of
 * the shell table like a role session but without AWSMFA_ROLE_ARN; list, doctor and status know it; and
 * such a session as a source_profile is still refused over 1 h (the chaining guard).
 */
import t from 'tap'
import { execa } from 'execa'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ALICE_MFA, PROD_ROLE, assertNoSecrets, defaultConfig, makeWorld, type World } from './helpers/world.js'
import { ENV_DUMP, SHELL_TABLE, dumpedValues, requireRow } from './helpers/shell-table.js'
import type { EmulatorUser } from '../lib/emulator/index.js'

const NAMES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_REGION',
  'AWSMFA_PROFILE', 'AWSMFA_EXPIRATION', 'AWSMFA_ROLE_ARN', 'AWS_PROFILE']

/** `me`: the seed's step 1-1 — the user's own keys and MFA device, no role. */
const userConfig = (): string => `${defaultConfig()}
[profile me]
mfa_serial = ${ALICE_MFA}
region = ap-northeast-1
`
const userCredentials = (alice: EmulatorUser): string => `[alice]
aws_access_key_id = ${alice.accessKeyId}
aws_secret_access_key = ${alice.secretAccessKey}

[me]
aws_access_key_id = ${alice.accessKeyId}
aws_secret_access_key = ${alice.secretAccessKey}
`
const userWorld = (t: Parameters<typeof makeWorld>[0]): Promise<World> => makeWorld(t, { config: userConfig, credentials: userCredentials })

for (const row of SHELL_TABLE) {
  t.test(`env me --shell ${row.name}: one GetSessionToken with MFA, exported into real ${row.label} without AWSMFA_ROLE_ARN`, async (t) => {
    const exe = requireRow(t, row)
    if (exe === undefined) return
    const world = await userWorld(t)
    const code = world.code()
    const result = await world.run(['env', 'me', '--shell', row.name, '-t', code, '--verbose'])
    t.equal(result.exitCode, 0, result.stderr)
    t.match(result.stderr, /^me: user alice in 123456789012 \(MFA session, no role\) until \d\d:\d\d \(12h00m\)$/m, 'the success line names the user')
    t.same(world.emulator.requests.map((r) => r.action), ['GetSessionToken'], 'exactly one call: GetSessionToken, no AssumeRole')
    const call = world.emulator.requests[0]!
    t.equal(call.accessKeyId, world.alice.accessKeyId, 'signed with the long-term key')
    t.equal(call.sessionToken, false)
    t.equal(call.params.DurationSeconds, '43200', 'the default is 12 h')
    t.equal(call.params.SerialNumber, ALICE_MFA)
    t.equal(call.params.TokenCode, code)
    t.equal(call.status, 200)
    const issued = world.emulator.issued[0]!
    assertNoSecrets(t, result.stderr, [issued.secretAccessKey, issued.sessionToken, world.alice.secretAccessKey, code])

    const file = join(world.scratch, 'out.txt')
    writeFileSync(file, result.stdout)
    // The terminal held a role session before: its AWSMFA_ROLE_ARN must not survive into this one.
    // The shell evaluates the output, then a child writes the environment it inherited.
    const dump = join(world.scratch, 'env.dump')
    const shell = await execa(exe, row.command(`${row.evalFile(file)}\n${row.dumpEnv(dump)}`), {
      env: { PATH: process.env.PATH, HOME: world.home, AWSMFA_ROLE_ARN: PROD_ROLE, AWS_PROFILE: 'stale' },
      extendEnv: false,
      reject: false,
      cwd: world.scratch,
    })
    if (row.exitsZero) t.equal(shell.exitCode, 0, shell.stderr)
    t.ok(existsSync(dump), `the child ran\n${shell.stderr}`)
    const seen = dumpedValues(dump, NAMES)
    t.same(seen, {
      AWS_ACCESS_KEY_ID: issued.accessKeyId,
      AWS_SECRET_ACCESS_KEY: issued.secretAccessKey,
      AWS_SESSION_TOKEN: issued.sessionToken,
      AWS_CREDENTIAL_EXPIRATION: issued.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      AWS_REGION: 'ap-northeast-1',
      AWSMFA_PROFILE: 'me',
      AWSMFA_EXPIRATION: String(issued.expiration.getTime() / 1000),
      AWSMFA_ROLE_ARN: null,
      AWS_PROFILE: null,
    }, 'the session, the profile and its expiry; no role ARN (not even the stale one)')
  })
}

t.test('user session durations: up to 36 h (129600 s); beyond is refused before any call, with empty stdout', async (t) => {
  const world = await userWorld(t)
  const long = await world.run(['env', 'me', '-t', world.code(), '-d', '36h'])
  t.equal(long.exitCode, 0, long.stderr)
  t.match(long.stderr, /\(36h00m\)/)
  t.equal(world.emulator.requests[0]?.params.DurationSeconds, '129600')

  for (const [args, cause] of [
    [['-d', '37h'], /me: --duration 37h is outside what AWS allows for GetSessionToken \(15m to 36h, 900–129600 s\)/],
    [['-d', '600'], /outside what AWS allows for GetSessionToken/],
    [['--session-name', 'x-y'], /--session-name names a role session, and this profile has no role/],
  ] as const) {
    const before = world.emulator.requests.length
    const refused = await world.run(['env', 'me', '-t', '123456', ...args])
    t.equal(refused.exitCode, 2, refused.stderr)
    t.equal(refused.stdout, '', 'empty stdout')
    t.match(refused.stderr, cause)
    t.equal(world.emulator.requests.length, before, 'no call made')
  }
})

t.test('a user-session profile with temporary keys is refused before the code is asked for', async (t) => {
  const world = await makeWorld(t, {
    config: userConfig,
    credentials: (alice) => `${userCredentials(alice)}aws_session_token = FQoGZXIvYXdzEXAMPLE\n`,
  })
  const refused = await world.run(['env', 'me', '-t', '123456'])
  t.equal(refused.exitCode, 2)
  t.equal(refused.stdout, '')
  t.match(refused.stderr, /^awsmfa: me: holds temporary credentials \(a session token\); AWS answers GetSessionToken only for an IAM user's long-term keys\n {2}fix: /)
  t.equal(world.emulator.requests.length, 0)
  const list = await world.run(['list'])
  t.match(list.stdout, /^me .* keys temporary$/m)
})

t.test('list, doctor and status know user sessions', async (t) => {
  const world = await userWorld(t)
  const list = await world.run(['list'])
  t.equal(list.exitCode, 0, list.stderr)
  t.match(list.stdout, /^me +123456789012 +- +- +mfa\/alice +12h +ap-northeast-1 +ok 12h \(user session\)$/m)
  t.match(list.stdout, /^prod .* ok 12h$/m, 'role profiles as before')
  const json = JSON.parse((await world.run(['list', '--json'])).stdout) as Array<Record<string, unknown>>
  const me = json.find((e) => e.profile === 'me')
  t.same({ kind: me?.kind, account: me?.account, role: me?.role, durationSeconds: me?.durationSeconds, verdict: me?.verdict },
    { kind: 'user', account: '123456789012', role: null, durationSeconds: 43200, verdict: 'ok 12h (user session)' })
  t.equal(json.find((e) => e.profile === 'prod')?.kind, 'role')

  const doctor = await world.run(['doctor', 'me'])
  t.equal(doctor.exitCode, 0, doctor.stdout)
  t.match(doctor.stdout, /^me → the IAM user itself in 123456789012 \(MFA session, no role\) +ok 12h \(user session\)$/m)
  t.match(doctor.stdout, /one GetSessionToken makes an MFA session as the IAM user itself/)
  const online = await world.run(['doctor', 'me', '--online'])
  t.match(online.stdout, /AWS accepts the keys of profile 'me': they belong to arn:aws:iam::123456789012:user\/alice/)
  t.same(world.emulator.requests.map((r) => r.action), ['GetCallerIdentity'], 'doctor --online spends no MFA code')

  const session = await world.sessionEnv('me')
  const status = await world.run(['status', '--verify'], { env: session })
  t.equal(status.exitCode, 0, status.stderr)
  t.match(status.stdout, /^role +none: an MFA session as the IAM user itself \(GetSessionToken\)$/m)
  t.match(status.stdout, /^verified +AWS knows these keys as arn:aws:iam::123456789012:user\/alice$/m)
  const held = await world.run(['doctor', 'me'], { env: session })
  t.match(held.stdout, /✓ this terminal holds the session for 'me' until/)
  t.match(held.stdout, /✓ awsmfa console cannot use this session: it is an MFA session as the IAM user itself \(GetSessionToken\)/, 'doctor knows the console refuses it')
  const statusJson = JSON.parse((await world.run(['status', '--json'], { env: session })).stdout) as Record<string, unknown>
  t.equal(statusJson.roleArn, null)
})

t.test('the chaining guard is untouched: a user session as source_profile is refused over 1 h', async (t) => {
  const world = await userWorld(t)
  const session = await world.sessionEnv('me')
  // The AWS CLI pattern (aws-cli #1985): the GetSessionToken keys in their own profile, then a role from them.
  world.writeCredentials(`${userCredentials(world.alice)}
[mfa-session]
aws_access_key_id = ${session.AWS_ACCESS_KEY_ID}
aws_secret_access_key = ${session.AWS_SECRET_ACCESS_KEY}
aws_session_token = ${session.AWS_SESSION_TOKEN}
`)
  world.writeConfig(`${userConfig()}
[profile chained]
role_arn = ${PROD_ROLE}
source_profile = mfa-session
`)
  const before = world.emulator.requests.length
  const refused = await world.run(['env', 'chained', '-t', '123456'])
  t.equal(refused.exitCode, 2, refused.stderr)
  t.equal(refused.stdout, '')
  t.match(refused.stderr, /chained: gets its keys from profile 'mfa-session', which holds temporary credentials \(a session token\)/)
  t.match(refused.stderr, /role chaining/)
  t.equal(world.emulator.requests.length, before, 'refused before any call')
  const list = await world.run(['list'])
  t.match(list.stdout, /^chained .* chained: 1h max$/m)

  const hour = await world.run(['env', 'chained', '-d', '1h'])
  t.equal(hour.exitCode, 0, hour.stderr)
  t.equal(world.emulator.issued.at(-1)?.chained, true, 'AWS (the emulator) sees role chaining, allowed for 1 h')
})

t.test('exec me: the user session in the command\'s environment, without the terminal\'s old AWSMFA_ROLE_ARN', async (t) => {
  const world = await userWorld(t)
  const dump = join(world.scratch, 'env.dump')
  const result = await world.run(['exec', 'me', '-t', world.code(), '--', process.execPath, ENV_DUMP, dump], { env: { AWSMFA_ROLE_ARN: PROD_ROLE } })
  t.equal(result.exitCode, 0, result.stderr)
  const seen = dumpedValues(dump, NAMES)
  const issued = world.emulator.issued[0]!
  t.equal(seen.AWS_ACCESS_KEY_ID, issued.accessKeyId)
  t.equal(seen.AWSMFA_PROFILE, 'me')
  t.equal(seen.AWSMFA_ROLE_ARN, null)
  t.same(world.emulator.requests.map((r) => r.action), ['GetSessionToken'])
})
