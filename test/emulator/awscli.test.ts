// The real AWS CLI v2 (botocore, a client nobody here wrote) against the emulator: proof that it
// speaks the protocol as AWS does. Missing /usr/bin/aws is a failure, never a skip.
import t from 'tap'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import type { Emulator } from '../../lib/emulator/index.js'
import { HOSTILE_KEYS, HOSTILE_SECRET, HOSTILE_TOKEN } from '../helpers/hostile-keys.js'
import { ALICE_ARN, PU_ROLE, alice, aliceKeys, emulator, type Keys } from './fixtures/helpers.js'

// `aws` on PATH is a v1 shim; the Debian package's v2 lives here.
const AWS = '/usr/bin/aws'
const home = mkdtempSync(join(tmpdir(), 'awsmfa-awscli-'))
t.teardown(() => rmSync(home, { recursive: true, force: true }))

interface CliResult { exitCode: number; stdout: string; stderr: string }

/** Runs the CLI with only these keys: no profile, no config file, no metadata service, no pager. */
async function aws(emu: Emulator, keys: Keys, args: string[]): Promise<CliResult> {
  const env: Record<string, string> = {
    PATH: '/usr/bin:/bin', HOME: home, LC_ALL: 'C.UTF-8', PYTHONIOENCODING: 'utf-8',
    AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '',
    AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
  }
  if (keys.sessionToken !== undefined) env.AWS_SESSION_TOKEN = keys.sessionToken
  const r = await execa(AWS, [...args, '--endpoint-url', emu.url, '--region', 'eu-west-1', '--output', 'json'],
    { env, extendEnv: false, reject: false, timeout: 60_000 })
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) }
}

interface CliCredentials { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string } }
const keysOf = (out: CliCredentials): Keys => ({
  accessKeyId: out.Credentials.AccessKeyId, secretAccessKey: out.Credentials.SecretAccessKey, sessionToken: out.Credentials.SessionToken,
})
const assumeArgs = (code: string, seconds: number, name = 'awsmfa-cli'): string[] => [
  'sts', 'assume-role', '--role-arn', PU_ROLE, '--role-session-name', name,
  '--serial-number', alice.mfaSerial, '--token-code', code, '--duration-seconds', String(seconds),
]

t.test('AWS CLI v2 is installed', async (t) => {
  t.ok(existsSync(AWS), `${AWS} exists (apt-get install awscli)`)
  const r = await execa(AWS, ['--version'], { reject: false, env: { PATH: '/usr/bin:/bin', HOME: home }, extendEnv: false })
  t.match(String(r.stdout), /^aws-cli\/2\./, 'version 2')
})

t.test('get-caller-identity', async (t) => {
  const emu = await emulator(t)
  const r = await aws(emu, aliceKeys, ['sts', 'get-caller-identity'])
  t.equal(r.exitCode, 0, r.stderr)
  const out = JSON.parse(r.stdout) as { Arn: string; Account: string; UserId: string }
  t.equal(out.Arn, ALICE_ARN)
  t.equal(out.Account, '123456789012')
  t.equal(emu.requests[0]?.status, 200)
})

t.test('assume-role with MFA for 43200 s, then the same code is refused', async (t) => {
  const emu = await emulator(t)
  const code = emu.totp(alice.mfaSerial)
  const r = await aws(emu, aliceKeys, assumeArgs(code, 43200))
  t.equal(r.exitCode, 0, r.stderr)
  const out = JSON.parse(r.stdout) as CliCredentials & { AssumedRoleUser: { Arn: string } }
  t.equal(out.Credentials.AccessKeyId, emu.issued[0]?.accessKeyId)
  t.equal(out.Credentials.SecretAccessKey, emu.issued[0]?.secretAccessKey)
  t.equal(out.Credentials.SessionToken, emu.issued[0]?.sessionToken)
  t.equal(Date.parse(out.Credentials.Expiration), emu.issued[0]?.expiration.getTime(), 'botocore reads the same expiry')
  t.ok(Math.abs(Date.parse(out.Credentials.Expiration) - Date.now() - 43200_000) < 10_000, '12 h ahead')
  t.equal(out.AssumedRoleUser.Arn, 'arn:aws:sts::123456789034:assumed-role/ServerworksRolePU/awsmfa-cli')

  const again = await aws(emu, aliceKeys, assumeArgs(code, 43200))
  t.not(again.exitCode, 0)
  t.match(again.stderr, 'An error occurred (AccessDenied) when calling the AssumeRole operation: MultiFactorAuthentication failed with invalid MFA one time pass code.')
})

t.test('the classic failure: get-session-token, then assume-role beyond 1 h is role chaining', async (t) => {
  const emu = await emulator(t)
  const gst = await aws(emu, aliceKeys, ['sts', 'get-session-token', '--serial-number', alice.mfaSerial, '--token-code', emu.totp(alice.mfaSerial)])
  t.equal(gst.exitCode, 0, gst.stderr)
  const session = keysOf(JSON.parse(gst.stdout) as CliCredentials)
  t.match(session.accessKeyId, /^ASIA/)

  const who = await aws(emu, session, ['sts', 'get-caller-identity'])
  t.equal((JSON.parse(who.stdout) as { Arn: string }).Arn, ALICE_ARN, 'the session token travels in X-Amz-Security-Token')

  const base = ['sts', 'assume-role', '--role-arn', PU_ROLE, '--role-session-name', 'chained']
  const refused = await aws(emu, session, [...base, '--duration-seconds', '3601'])
  t.not(refused.exitCode, 0)
  t.match(refused.stderr, '(ValidationError) when calling the AssumeRole operation: The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.')
  const ok = await aws(emu, session, [...base, '--duration-seconds', '3600'])
  t.equal(ok.exitCode, 0, ok.stderr)
  t.match((JSON.parse(ok.stdout) as CliCredentials).Credentials.AccessKeyId, /^ASIA/)
  t.equal(emu.issued.at(-1)?.chained, true)
})

t.test('a wrong secret', async (t) => {
  const emu = await emulator(t)
  const r = await aws(emu, { ...aliceKeys, secretAccessKey: 'wrong/notTheSecretKey/0000000000000000000' }, ['sts', 'get-caller-identity'])
  t.not(r.exitCode, 0)
  t.match(r.stderr, 'An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation: The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.')
})

t.test('a one-character session name never leaves the CLI (botocore validates lengths itself)', async (t) => {
  const emu = await emulator(t)
  const r = await aws(emu, aliceKeys, assumeArgs(emu.totp(alice.mfaSerial), 43200, 's'))
  t.not(r.exitCode, 0)
  t.match(r.stderr, 'Invalid length for parameter RoleSessionName, value: 1, valid min length: 2')
  t.equal(emu.requests.length, 0, 'refused client-side; the SDK sends it and gets the AWS ValidationError (sdk.test.ts)')
})

t.test('throttled once: the CLI retries with the same code, which still works', async (t) => {
  const emu = await emulator(t)
  emu.inject('throttle')
  const r = await aws(emu, aliceKeys, assumeArgs(emu.totp(alice.mfaSerial), 43200))
  t.equal(r.exitCode, 0, r.stderr)
  t.same(emu.requests.map((q) => [q.status, q.errorCode]), [[400, 'Throttling'], [200, undefined]])
})

t.test('hostile credentials decode byte-exact in botocore too', async (t) => {
  const emu = await emulator(t, { hostile: HOSTILE_KEYS })
  const r = await aws(emu, aliceKeys, ['sts', 'get-session-token', '--duration-seconds', '900'])
  t.equal(r.exitCode, 0, r.stderr)
  const out = JSON.parse(r.stdout) as CliCredentials
  t.equal(out.Credentials.SecretAccessKey, HOSTILE_SECRET)
  t.equal(out.Credentials.SessionToken, HOSTILE_TOKEN)
})

t.test('get-session-token: 900–129600 s (36 h) for an IAM user, 12 h by default, never from session credentials', async (t) => {
  const emu = await emulator(t)
  const plain = await aws(emu, aliceKeys, ['sts', 'get-session-token'])
  t.equal(plain.exitCode, 0, plain.stderr)
  const plainExpiry = Date.parse((JSON.parse(plain.stdout) as CliCredentials).Credentials.Expiration)
  t.ok(Math.abs(plainExpiry - Date.now() - 43200_000) < 10_000, 'the default is 43200 s')

  const longest = await aws(emu, aliceKeys, ['sts', 'get-session-token', '--duration-seconds', '129600',
    '--serial-number', alice.mfaSerial, '--token-code', emu.totp(alice.mfaSerial)])
  t.equal(longest.exitCode, 0, longest.stderr)
  const session = keysOf(JSON.parse(longest.stdout) as CliCredentials)
  t.ok(Math.abs(Date.parse((JSON.parse(longest.stdout) as CliCredentials).Credentials.Expiration) - Date.now() - 129600_000) < 10_000, '36 h ahead')

  const tooLong = await aws(emu, aliceKeys, ['sts', 'get-session-token', '--duration-seconds', '129601'])
  t.not(tooLong.exitCode, 0)
  t.match(tooLong.stderr, "An error occurred (ValidationError) when calling the GetSessionToken operation: 1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600")

  const tooShort = await aws(emu, aliceKeys, ['sts', 'get-session-token', '--duration-seconds', '899'])
  t.not(tooShort.exitCode, 0)
  t.match(tooShort.stderr, /Invalid value for parameter DurationSeconds, value: 899, valid min value: 900|Member must have value greater than or equal to 900/)

  const fromSession = await aws(emu, session, ['sts', 'get-session-token'])
  t.not(fromSession.exitCode, 0)
  t.match(fromSession.stderr, 'An error occurred (AccessDenied) when calling the GetSessionToken operation: Cannot call GetSessionToken with session credentials')
})
