/**
 * `awsmfa doctor` end to end with the built CLI: each broken shape with its message, fix and
 * exit 1; this terminal's environment; --online against the emulator.
 */
import t from 'tap'
import { ALICE_MFA, PROD_ROLE, USER_ACCOUNT, assertNoSecrets, makeWorld, type World } from '../helpers/world.js'

const GOOD = `[profile prod]
role_arn = ${PROD_ROLE}
source_profile = alice
mfa_serial = ${ALICE_MFA}
region = eu-west-1
`

/** A session loaded by the shell integration, so the only findings are the ones a test makes. */
const INTEGRATED = { AWSMFA_SHELL: 'bash' }

interface Shape {
  name: string
  config: string
  credentials?: (world: World) => string
  env?: Record<string, string | undefined>
  profile?: string
  message: RegExp
  fix: RegExp
}

const SHAPES: Shape[] = [
  {
    name: 'mfa_serial is a user ARN',
    config: GOOD.replace(ALICE_MFA, `arn:aws:iam::${USER_ACCOUNT}:user/alice`),
    message: /✗ mfa_serial 'arn:aws:iam::123456789012:user\/alice' is the ARN of a user, not of an MFA device/,
    fix: /fix: use the device's ARN: mfa_serial = arn:aws:iam::123456789012:mfa\/alice/,
  },
  {
    name: 'source_profile cycle',
    config: `${GOOD}\n[profile a]\nrole_arn = ${PROD_ROLE}\nsource_profile = b\nmfa_serial = ${ALICE_MFA}\n\n[profile b]\nrole_arn = ${PROD_ROLE}\nsource_profile = a\n`,
    profile: 'a',
    message: /✗ source_profile goes round in a circle: a → b → a/,
    fix: /fix: point source_profile at the profile that holds the IAM user's access keys/,
  },
  {
    name: 'source_profile names the profile itself',
    config: `[profile self]\nrole_arn = ${PROD_ROLE}\nsource_profile = self\nmfa_serial = ${ALICE_MFA}\n`,
    profile: 'self',
    message: /✗ names itself as its source_profile/,
    fix: /fix: point source_profile/,
  },
  {
    name: 'credential_source and source_profile both set',
    config: GOOD.replace('source_profile = alice', 'source_profile = alice\ncredential_source = Environment'),
    message: /✗ sets both source_profile \(alice\) and credential_source \(Environment\); AWS accepts only one/,
    fix: /fix: remove one of them/,
  },
  {
    name: 'duration_seconds not a number',
    config: `${GOOD}duration_seconds = 12 hours\n`,
    message: /✗ duration_seconds '12 hours' is not a number of seconds/,
    fix: /fix: write plain seconds: duration_seconds = 43200/,
  },
  {
    name: 'duration_seconds out of range',
    config: `${GOOD}duration_seconds = 600\n`,
    message: /✗ duration_seconds 600 is outside what AWS allows for AssumeRole \(900–43200 s/,
    fix: /fix: set duration_seconds = 900, or remove it for 12 h/,
  },
  {
    name: 'source not found',
    config: GOOD.replace('source_profile = alice', 'source_profile = bob'),
    message: /✗ names source_profile 'bob', which is in neither/,
    fix: /fix: add \[bob\] with aws_access_key_id and aws_secret_access_key to .*credentials/,
  },
  {
    name: 'source has no keys',
    config: GOOD,
    credentials: () => '[alice]\naws_access_key_id = AKIAONLYTHEKEYID0000\n',
    message: /✗ its source 'alice' has aws_access_key_id but no aws_secret_access_key/,
    fix: /fix: add the IAM user's access keys to \[alice\]/,
  },
  {
    name: 'chained: the source holds a session token',
    config: GOOD,
    credentials: (world) => `[alice]\naws_access_key_id = ${world.alice.accessKeyId}\naws_secret_access_key = x\naws_session_token = token\n`,
    message: /✗ its source 'alice' holds temporary credentials \(a session token\)\. AWS limits a role assumed with temporary keys to 1 hour \("role chaining"\), so the 12h session this profile asks for would be refused/,
    fix: /fix: point source_profile at the IAM user's long-term keys \(AKIA…\), or set duration_seconds = 3600/,
  },
  {
    name: 'chained: the source assumes a role',
    config: `${GOOD}\n[profile hop]\nrole_arn = ${PROD_ROLE}\nsource_profile = prod\n`,
    profile: 'hop',
    message: /✗ its source 'prod' itself assumes a role, so its keys are temporary/,
    fix: /fix: point source_profile at the IAM user's long-term keys/,
  },
  {
    name: 'AWS_PROFILE names a missing profile',
    config: GOOD,
    env: { AWS_PROFILE: 'staging' },
    message: /✗ AWS_PROFILE names 'staging', which is in neither .* the AWS CLI fails with "The config profile \(staging\) could not be found"/,
    fix: /fix: unset AWS_PROFILE, or add \[profile staging\]/,
  },
  {
    name: 'stale keys: AWS_ACCESS_KEY_ID without an awsmfa session',
    config: GOOD,
    env: { AWS_ACCESS_KEY_ID: 'ASIASTALESTALESTALE0', AWS_SECRET_ACCESS_KEY: 'stale-secret', AWS_SESSION_TOKEN: 'stale-token' },
    message: /✗ AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN are set \(temporary keys\), but not by awsmfa/,
    fix: /fix: unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN\n/,
  },
  {
    name: 'stale keys: an expired awsmfa session',
    config: GOOD,
    env: {
      AWSMFA_PROFILE: 'prod',
      AWSMFA_EXPIRATION: String(Math.floor(Date.now() / 1000) - 3600),
      AWS_ACCESS_KEY_ID: 'ASIASTALESTALESTALE0',
      AWS_SECRET_ACCESS_KEY: 'stale-secret',
      AWS_SESSION_TOKEN: 'stale-token',
    },
    message: /✗ this terminal still holds the session for 'prod', which expired at .* \(1h00m ago\); AWS refuses its keys/,
    fix: /fix: awsmfa use prod for a new session, or awsmfa clear/,
  },
  {
    name: 'half an awsmfa session',
    config: GOOD,
    env: { AWSMFA_PROFILE: 'prod', AWSMFA_EXPIRATION: String(Math.floor(Date.now() / 1000) + 3600), AWS_ACCESS_KEY_ID: 'ASIASTALESTALESTALE0' },
    message: /✗ this terminal holds part of the session awsmfa made for 'prod': AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN are missing/,
    fix: /fix: awsmfa use prod/,
  },
]

for (const shape of SHAPES) {
  t.test(`doctor: ${shape.name}`, async (t) => {
    const world = await makeWorld(t, { config: () => shape.config })
    if (shape.credentials) world.writeCredentials(shape.credentials(world))
    const result = await world.run(['doctor', ...(shape.profile ? [shape.profile] : [])], { env: { ...INTEGRATED, ...shape.env } })
    t.equal(result.exitCode, 1, 'exit 1: something is wrong')
    t.equal(result.stderr, '', 'the report is on stdout')
    t.match(result.stdout, shape.message)
    t.match(result.stdout, shape.fix)
    t.match(result.stdout, /\d+ problems?( and \d+ warnings?)?: each has its fix above\.\n/)
    t.equal(world.emulator.requests.length, 0, 'offline: no call to AWS')
    assertNoSecrets(t, result.stdout, [world.alice.secretAccessKey, 'stale-secret', 'stale-token'], 'stdout')
  })
}

t.test('doctor: all good → exit 0, each check shown; the shell integration is reported either way', async (t) => {
  const world = await makeWorld(t, { config: () => GOOD })
  const good = await world.run(['doctor'], { env: INTEGRATED })
  t.equal(good.exitCode, 0, good.stdout)
  t.equal(good.stderr, '')
  t.match(good.stdout, /^prod → ServerworksRolePU in 123456789034   ok 12h$/m)
  t.match(good.stdout, /✓ source 'alice' holds long-term keys \(AKIA…\)/)
  t.match(good.stdout, /✓ MFA device arn:aws:iam::123456789012:mfa\/alice; the code is asked for at the terminal/)
  t.match(good.stdout, /✓ 12h sessions \(the default; duration_seconds is not set\)/)
  t.match(good.stdout, /✓ shell integration loaded \(AWSMFA_SHELL=bash\)/)
  t.match(good.stdout, /✓ no AWS keys in the environment/)
  t.match(good.stdout, /^All good\.$/m)

  const noIntegration = await world.run(['doctor'])
  t.equal(noIntegration.exitCode, 0, 'a missing integration is a warning, not a failure')
  t.match(noIntegration.stdout, /! the shell integration is not loaded in this shell \(AWSMFA_SHELL is not set\)/)
  t.match(noIntegration.stdout, /fix: add one line to your rc file: eval "\$\(awsmfa init bash\)" in ~\/\.bashrc/)
  t.match(noIntegration.stdout, /^No problems; 1 warning above\.$/m)

  const session = await world.run(['doctor'], {
    env: { ...INTEGRATED, AWSMFA_PROFILE: 'prod', AWSMFA_EXPIRATION: String(Math.floor(Date.now() / 1000) + 7200), AWS_ACCESS_KEY_ID: 'ASIAX', AWS_SECRET_ACCESS_KEY: 'y', AWS_SESSION_TOKEN: 'z' },
  })
  t.equal(session.exitCode, 0, session.stdout)
  t.match(session.stdout, /✓ this terminal holds the session for 'prod' until .* \((1h59m|2h00m) left\)/)
})

t.test('doctor: a profile name that is not a target is a usage error on stderr', async (t) => {
  const world = await makeWorld(t, { config: () => `${GOOD}\n[profile alice]\nregion = eu-west-1\n` })
  const unknown = await world.run(['doctor', 'prdo'])
  t.equal(unknown.exitCode, 2)
  t.equal(unknown.stdout, '')
  t.match(unknown.stderr, /^awsmfa: prdo: no profile named 'prdo'/)
  const source = await world.run(['doctor', 'alice'])
  t.equal(source.exitCode, 2)
  t.equal(source.stdout, '')
  t.match(source.stderr, /alice: has no role_arn/)
})

t.test('doctor: no role profiles at all', async (t) => {
  const world = await makeWorld(t, { config: () => '' })
  const result = await world.run(['doctor'], { env: INTEGRATED })
  t.equal(result.exitCode, 1)
  t.match(result.stdout, /✗ no profile has a role_arn, so there is nothing for awsmfa to assume/)
  t.match(result.stdout, /fix: add to .*config:\n +\[profile prod\]\n +role_arn = arn:aws:iam::ACCOUNT:role\/NAME/)
})

t.test('doctor: config text with escape sequences is shown escaped', async (t) => {
  const world = await makeWorld(t, { config: () => GOOD.replace('source_profile = alice', 'source_profile = al\u001b]0;pwned\u0007ice') })
  const result = await world.run(['doctor', 'prod'], { env: INTEGRATED })
  t.equal(result.exitCode, 1)
  t.notOk(/[\u0000-\u0008\u000b-\u001f\u007f]/.test(result.stdout), 'no control characters reach the terminal')
  t.match(result.stdout, /names source_profile 'al\\x1b\]0;pwned\\x07ice'/)
})

t.test('doctor --online: GetCallerIdentity with the source keys, no MFA; the clock agrees', async (t) => {
  const world = await makeWorld(t, {
    config: () => `${GOOD}\n[profile readonly]\nrole_arn = ${PROD_ROLE}\nsource_profile = alice\nmfa_serial = ${ALICE_MFA}\nregion = eu-west-1\n`,
  })
  const result = await world.run(['doctor', '--online'], { env: INTEGRATED })
  t.equal(result.exitCode, 0, result.stdout + result.stderr)
  t.equal(result.stderr, '')
  t.match(result.stdout, /✓ AWS accepts the keys of profile 'alice': they belong to arn:aws:iam::123456789012:user\/alice/)
  t.match(result.stdout, /✓ this computer's clock agrees with AWS's \(within \d+ s\)/)
  t.notMatch(result.stdout, /--online also proves/)
  const calls = world.emulator.requests
  t.equal(calls.length, 1, 'one call for the two profiles that share a source')
  t.equal(calls[0]?.action, 'GetCallerIdentity')
  t.equal(calls[0]?.accessKeyId, world.alice.accessKeyId)
  t.equal(calls[0]?.status, 200)
  t.notOk('TokenCode' in (calls[0]?.params ?? {}), 'no MFA code')
})

t.test('doctor --online: a wrong secret fails with the explanation and no secret anywhere', async (t) => {
  const world = await makeWorld(t, { config: () => GOOD })
  const wrongSecret = 'wrongSecretwrongSecretwrongSecretwrongSec'
  world.writeCredentials(`[alice]\naws_access_key_id = ${world.alice.accessKeyId}\naws_secret_access_key = ${wrongSecret}\n`)
  const result = await world.run(['doctor', '--online'], { env: INTEGRATED })
  t.equal(result.exitCode, 1)
  t.match(result.stdout, /✗ GetCallerIdentity with the keys of profile 'alice' failed: AWS says the secret key of profile 'alice' does not match its access key/)
  t.match(result.stdout, /fix: check aws_secret_access_key in the credentials file/)
  t.equal(world.emulator.requests[0]?.errorCode, 'SignatureDoesNotMatch')
  assertNoSecrets(t, result.stdout, [wrongSecret, world.alice.secretAccessKey], 'stdout')
  assertNoSecrets(t, result.stderr, [wrongSecret, world.alice.secretAccessKey])

  world.writeCredentials(`[alice]\naws_access_key_id = AKIAUNKNOWNUNKNOWN00\naws_secret_access_key = ${wrongSecret}\n`)
  const unknown = await world.run(['doctor', '--online'], { env: INTEGRATED })
  t.equal(unknown.exitCode, 1)
  t.match(unknown.stdout, /AWS does not know the access key of profile 'alice'/)
})

t.test('doctor --online: an MFA device from another account than the keys', async (t) => {
  const world = await makeWorld(t, { config: () => GOOD.replace(ALICE_MFA, 'arn:aws:iam::999999999999:mfa/alice') })
  const result = await world.run(['doctor', '--online'], { env: INTEGRATED })
  t.equal(result.exitCode, 1)
  t.match(result.stdout, /✗ mfa_serial is a device in account 999999999999, but the source keys belong to account 123456789012/)
})

t.test('doctor --online: credential_process is run only when online, and its keys are tried', async (t) => {
  const world = await makeWorld(t)
  const json = JSON.stringify({ Version: 1, AccessKeyId: world.alice.accessKeyId, SecretAccessKey: world.alice.secretAccessKey })
  world.writeConfig(`[profile prod]\nrole_arn = ${PROD_ROLE}\nsource_profile = vault\nmfa_serial = ${ALICE_MFA}\n\n[profile vault]\ncredential_process = printf '%s' '${json}'\n`)
  world.writeCredentials('')
  const offline = await world.run(['doctor'], { env: INTEGRATED })
  t.equal(offline.exitCode, 0, offline.stdout)
  t.match(offline.stdout, /✓ source 'vault' gets its keys from credential_process \(not run here/)
  const online = await world.run(['doctor', '--online'], { env: INTEGRATED })
  t.equal(online.exitCode, 0, online.stdout)
  t.match(online.stdout, /✓ AWS accepts the keys of profile 'vault' \(credential_process\): they belong to arn:aws:iam::123456789012:user\/alice/)
  assertNoSecrets(t, online.stdout, [world.alice.secretAccessKey], 'stdout')
})

t.test('doctor --online: a clock 10 minutes off is found', async (t) => {
  const world = await makeWorld(t, { config: () => GOOD, emulatorNow: () => Date.now() + 10 * 60_000 })
  const result = await world.run(['doctor', '--online'], { env: INTEGRATED })
  t.equal(result.exitCode, 1, result.stdout)
  t.match(result.stdout, /✗ this computer's clock is (59\d|60\d) s behind AWS's/)
  t.match(result.stdout, /fix: set the clock right: enable NTP/)
})
