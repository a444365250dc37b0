/**
 * `awsmfa status` end to end with the built CLI: the session a terminal holds after `awsmfa use`
 * (a real env run evaluated by bash), without one, expired, and --verify against the emulator.
 */
import t from 'tap'
import { PROD_ROLE, assertNoSecrets, makeWorld } from '../helpers/world.js'

t.test('without a session: exit 1, nothing on stdout, one message on stderr', async (t) => {
  const world = await makeWorld(t)
  for (const args of [['status'], ['status', '--json'], ['status', '--verify']]) {
    const result = await world.run(args)
    t.equal(result.exitCode, 1, args.join(' '))
    t.equal(result.stdout, '')
    t.equal(result.stderr, 'awsmfa: this terminal holds no awsmfa session\n  fix: awsmfa use PROFILE (shell integration), or eval "$(awsmfa env PROFILE)"; awsmfa list shows the profiles\n')
  }
  t.equal(world.emulator.requests.length, 0)
})

t.test('with a session: profile, role, account, region, time left, expiry in local time', async (t) => {
  const world = await makeWorld(t)
  const session = await world.sessionEnv('prod')
  const requests = world.emulator.requests.length
  const result = await world.run(['status'], { env: { ...session, TZ: 'Asia/Kolkata' } })
  t.equal(result.exitCode, 0, result.stderr)
  t.equal(result.stderr, '')
  const expiration = new Date(Number(session.AWSMFA_EXPIRATION) * 1000)
  const local = new Date(expiration.getTime() + 5.5 * 3600_000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')
  t.equal(
    result.stdout,
    [
      'profile   prod',
      `role      ServerworksRolePU (${PROD_ROLE})`,
      'account   123456789034',
      'region    eu-west-1',
      result.stdout.includes('left      12h00m') ? 'left      12h00m' : 'left      11h59m',
      `expires   ${local} +05:30 (local time)`,
      '',
    ].join('\n'),
  )
  t.equal(world.emulator.requests.length, requests, 'no call to AWS without --verify')
  assertNoSecrets(t, result.stdout, [session.AWS_SECRET_ACCESS_KEY, session.AWS_SESSION_TOKEN], 'stdout')

  const json = await world.run(['status', '--json'], { env: session })
  t.equal(json.exitCode, 0, json.stderr)
  const parsed = JSON.parse(json.stdout) as Record<string, unknown>
  t.same(Object.keys(parsed), ['profile', 'roleArn', 'account', 'role', 'region', 'expiration', 'expiresAt', 'remainingSeconds', 'verified'])
  t.match(parsed, {
    profile: 'prod',
    roleArn: PROD_ROLE,
    account: '123456789034',
    role: 'ServerworksRolePU',
    region: 'eu-west-1',
    expiration: session.AWS_CREDENTIAL_EXPIRATION,
    expiresAt: Number(session.AWSMFA_EXPIRATION),
    verified: null,
  })
  t.ok(Number(parsed.remainingSeconds) > 43000 && Number(parsed.remainingSeconds) <= 43200)
})

t.test('--verify: GetCallerIdentity with the session\'s keys shows the assumed-role ARN', async (t) => {
  const world = await makeWorld(t)
  const session = await world.sessionEnv('prod')
  const result = await world.run(['status', '--verify'], { env: session })
  t.equal(result.exitCode, 0, result.stderr)
  t.match(result.stdout, /^verified  AWS knows these keys as arn:aws:sts::123456789034:assumed-role\/ServerworksRolePU\/awsmfa-alice$/m)
  const call = world.emulator.requests.at(-1)
  t.equal(call?.action, 'GetCallerIdentity')
  t.equal(call?.accessKeyId, session.AWS_ACCESS_KEY_ID)
  t.equal(call?.sessionToken, true)
  t.equal(call?.status, 200)

  const json = await world.run(['status', '--verify', '--json'], { env: session })
  t.match(JSON.parse(json.stdout), { verified: { arn: 'arn:aws:sts::123456789034:assumed-role/ServerworksRolePU/awsmfa-alice', account: '123456789034' } })
})

t.test('--verify failures: expired, rejected, other keys; exit 1, empty stdout, no secrets', async (t) => {
  const world = await makeWorld(t)
  const session = await world.sessionEnv('prod')
  const secrets = [session.AWS_SECRET_ACCESS_KEY, session.AWS_SESSION_TOKEN, world.alice.secretAccessKey]

  world.emulator.inject('expired-session')
  const expired = await world.run(['status', '--verify'], { env: { ...session, AWSMFA_SHELL: 'zsh' } })
  t.equal(expired.exitCode, 1)
  t.equal(expired.stdout, '')
  t.equal(expired.stderr, 'awsmfa: AWS says the session for \'prod\' in this terminal has expired\n  fix: awsmfa use prod for a new session (or awsmfa clear)\n')

  const tampered = { ...session, AWS_SESSION_TOKEN: `${session.AWS_SESSION_TOKEN}x` }
  const rejected = await world.run(['status', '--verify'], { env: tampered })
  t.equal(rejected.exitCode, 1)
  t.equal(rejected.stdout, '')
  t.match(rejected.stderr, /^awsmfa: AWS does not accept the keys in this terminal as the session for 'prod'/)
  t.match(rejected.stderr, /fix: eval "\$\(awsmfa env prod\)" for a new session/)
  assertNoSecrets(t, rejected.stderr, [...secrets, tampered.AWS_SESSION_TOKEN])

  const wrongSecret = { ...session, AWS_SECRET_ACCESS_KEY: 'nottherightsecretnottherightsecret123456' }
  const signature = await world.run(['status', '--verify'], { env: wrongSecret })
  t.equal(signature.exitCode, 1)
  t.equal(signature.stdout, '')
  t.match(signature.stderr, /^awsmfa: prod: AWS says the secret key of this terminal's session does not match/)
  assertNoSecrets(t, signature.stderr, [...secrets, wrongSecret.AWS_SECRET_ACCESS_KEY])

  const other = await world.sessionEnv('readonly', ['--duration', '1h'])
  const mixed = { ...session, AWS_ACCESS_KEY_ID: other.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: other.AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN: other.AWS_SESSION_TOKEN }
  const foreign = await world.run(['status', '--verify'], { env: mixed })
  t.equal(foreign.exitCode, 1)
  t.equal(foreign.stdout, '')
  t.match(foreign.stderr, /^awsmfa: the keys in this terminal belong to arn:aws:sts::123456789034:assumed-role\/ReadOnly\/awsmfa-alice, not to the role .*ServerworksRolePU that awsmfa set up/)
})

t.test('an expired or partial session: exit 1, empty stdout, the fix', async (t) => {
  const world = await makeWorld(t)
  const session = await world.sessionEnv('prod')
  const past = String(Math.floor(Date.now() / 1000) - 125)
  const expired = await world.run(['status'], { env: { ...session, AWSMFA_EXPIRATION: past } })
  t.equal(expired.exitCode, 1)
  t.equal(expired.stdout, '')
  t.match(expired.stderr, /^awsmfa: the session for 'prod' expired at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+00:00 \(2m ago\)\n  fix: eval "\$\(awsmfa env prod\)" for a new session\n$/)

  const partial = await world.run(['status'], { env: { ...session, AWS_SESSION_TOKEN: undefined } })
  t.equal(partial.exitCode, 1)
  t.equal(partial.stdout, '')
  t.match(partial.stderr, /^awsmfa: this terminal holds only part of the session for 'prod': AWS_SESSION_TOKEN is missing/)

  const garbled = await world.run(['status'], { env: { ...session, AWSMFA_EXPIRATION: 'soon' } })
  t.equal(garbled.exitCode, 1)
  t.match(garbled.stderr, /AWSMFA_EXPIRATION 'soon' is not a time \(Unix seconds\)/)

  const hostile = await world.run(['status'], { env: { ...session, AWSMFA_PROFILE: 'prod\u001b[2J', AWSMFA_EXPIRATION: past } })
  t.notOk(hostile.stderr.includes('\u001b'), 'the profile name from the environment is shown escaped')
})
