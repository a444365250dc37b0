/** Pure pieces of the data path: durations, session variables, error text. */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { STSClient, AssumeRoleCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts'
import { checkDuration, formatRemaining, parseDuration } from '../../lib/duration.js'
import { AwsmfaError, formatError } from '../../lib/errors.js'
import { credentialProcessJson, describeRole, environmentChange, renderSession, rfc3339, summaryLine, type Session } from '../../lib/session.js'
import { shellByName } from '../../lib/shells/index.js'
import { explainStsError, stsEndpoint } from '../../lib/sts.js'
import { defaultSessionName } from '../../lib/assume.js'
import { printable, serverText } from '../../lib/text.js'
import { VERSION } from '../../lib/version.js'
import { ALICE_MFA, PROD_ROLE, makeWorld } from '../helpers/world.js'

process.env.AWS_EC2_METADATA_DISABLED = 'true'

t.test('durations', async (t) => {
  t.equal(parseDuration('43200'), 43200)
  t.equal(parseDuration('12h'), 43200)
  t.equal(parseDuration('45m'), 2700)
  t.equal(parseDuration('1h30m'), 5400)
  t.equal(parseDuration('90s'), 90)
  t.equal(parseDuration('1H'), 3600)
  t.equal(parseDuration(''), undefined)
  t.equal(parseDuration('12 hours'), undefined)
  t.equal(parseDuration('-5'), undefined)
  t.equal(checkDuration('900', 'x'), 900)
  t.throws(() => checkDuration('899', '--duration'), { message: /--duration 899 is outside/ })
  t.throws(() => checkDuration('43201', '--duration'), { message: /outside/ })
  t.equal(formatRemaining(43200), '12h00m')
  t.equal(formatRemaining(43199), '11h59m')
  t.equal(formatRemaining(2520), '42m')
  t.equal(formatRemaining(59), '0m')
  t.equal(formatRemaining(-10), '0m')
})

const session: Session = {
  profile: 'prod',
  roleArn: 'arn:aws:iam::123456789034:role/team/ServerworksRolePU',
  assumedRoleArn: 'arn:aws:sts::123456789034:assumed-role/ServerworksRolePU/awsmfa-alice',
  accessKeyId: 'ASIAEXAMPLEEXAMPLE00',
  secretAccessKey: "it's $(secret)",
  sessionToken: 'tok\nen',
  expiration: new Date('2026-11-24T07:31:09.000Z'),
  region: 'eu-west-1',
}

t.test('a session becomes exactly the documented variables', async (t) => {
  t.same([...environmentChange(session)], [
    ['AWS_PROFILE', undefined],
    ['AWS_DEFAULT_PROFILE', undefined],
    ['AWS_SECURITY_TOKEN', undefined],
    ['AWS_ACCESS_KEY_ID', 'ASIAEXAMPLEEXAMPLE00'],
    ['AWS_SECRET_ACCESS_KEY', "it's $(secret)"],
    ['AWS_SESSION_TOKEN', 'tok\nen'],
    ['AWS_CREDENTIAL_EXPIRATION', '2026-11-24T07:31:09Z'],
    ['AWS_REGION', 'eu-west-1'],
    ['AWS_DEFAULT_REGION', 'eu-west-1'],
    ['AWSMFA_PROFILE', 'prod'],
    ['AWSMFA_EXPIRATION', '1795505469'],
    ['AWSMFA_ROLE_ARN', 'arn:aws:iam::123456789034:role/team/ServerworksRolePU'],
  ])
  const noRegion = environmentChange({ ...session, region: undefined })
  t.ok(noRegion.has('AWS_REGION') && noRegion.get('AWS_REGION') === undefined, 'no region: AWS_REGION removed')
  t.ok(noRegion.has('AWS_DEFAULT_REGION') && noRegion.get('AWS_DEFAULT_REGION') === undefined, 'no region: AWS_DEFAULT_REGION removed')
  const bash = renderSession(session, shellByName('bash'))
  t.match(bash, /^builtin unset -v AWS_PROFILE;\nbuiltin unset -v AWS_DEFAULT_PROFILE;\nbuiltin unset -v AWS_SECURITY_TOKEN;\n/)
  t.match(bash, /^builtin export AWS_SECRET_ACCESS_KEY='it'\\''s \$\(secret\)';$/m)
  t.match(bash, /^builtin export AWS_SESSION_TOKEN=\$'tok\\nen';$/m)
  t.equal(credentialProcessJson(session), '{"Version":1,"AccessKeyId":"ASIAEXAMPLEEXAMPLE00","SecretAccessKey":"it\'s $(secret)","SessionToken":"tok\\nen","Expiration":"2026-11-24T07:31:09Z"}\n')
  t.equal(rfc3339(new Date('2026-01-02T03:04:05.678Z')), '2026-01-02T03:04:05Z')
  t.same(describeRole(session.roleArn ?? ''), { account: '123456789034', roleName: 'ServerworksRolePU' })
  const now = session.expiration.getTime() - 43199_400
  process.env.TZ = 'UTC'
  t.equal(summaryLine(session, now), 'prod: ServerworksRolePU in 123456789034 until 07:31 (12h00m)')
})

t.test('the success line names the account and role STS answered, not the config\'s', async (t) => {
  process.env.TZ = 'UTC'
  const answered = { ...session, assumedRoleArn: 'arn:aws:sts::123456789034:assumed-role/serverworksrolepu/awsmfa-alice' }
  t.match(summaryLine(answered, answered.expiration.getTime() - 3600_000), /^prod: serverworksrolepu in 123456789034 until 07:31 \(1h00m\)$/)
})

t.test('server text in messages: masked, on one line, cut', async (t) => {
  t.equal(serverText('Bad: TokenCode=123456&RoleArn=arn:aws:iam::123456789034:role/team/Admin'), 'Bad: TokenCode=******&RoleArn=arn:aws:iam::123456789034:role/team/Admin')
  t.equal(serverText('code 654321 then\nnext'), 'code ****** then next')
  t.equal(serverText('key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY here'), 'key [hidden] here')
  t.equal(serverText('<SessionToken>IQoJb3Jp</SessionToken>'), '<SessionToken>******</SessionToken>')
  t.equal(serverText('x'.repeat(5000)), `${'x'.repeat(300)}…`)
  t.equal(serverText('\x1b[2Jred'), '\\x1b[2Jred')
})

t.test('error text: profile, cause, indented fix', async (t) => {
  t.equal(
    formatError(new AwsmfaError('first line\nsecond line', { profile: 'prod', fix: 'do this' })),
    'awsmfa: prod: first line\n  second line\n  fix: do this\n',
  )
  t.equal(formatError(new AwsmfaError('no profile')), 'awsmfa: no profile\n')
  t.equal(printable('a\x1b[31mred\x07\u009b'), 'a\\x1b[31mred\\x07\\x9b', 'terminal escapes are shown, not obeyed')
})

t.test('endpoint and session name defaults', async (t) => {
  t.equal(stsEndpoint({}, undefined), undefined)
  t.equal(stsEndpoint({}, 'https://vpce'), 'https://vpce')
  t.equal(stsEndpoint({ AWS_ENDPOINT_URL: 'http://a' }, 'https://vpce'), 'http://a')
  t.equal(stsEndpoint({ AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_STS: 'http://b' }, 'https://vpce'), 'http://b')
  t.equal(stsEndpoint({ AWS_ENDPOINT_URL_STS: 'http://b', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, 'x'), undefined)
  t.equal(defaultSessionName('alice'), 'awsmfa-alice')
  t.equal(defaultSessionName('DOMAIN\\bob smith'), 'awsmfa-DOMAIN-bob-smith')
  t.equal(defaultSessionName('x'.repeat(100)).length, 64)
})

t.test('the version in the code is the package version', async (t) => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  t.equal(VERSION, pkg.version)
})

t.test('server-side role chaining, as the real SDK reports it, is explained', async (t) => {
  const world = await makeWorld(t)
  const longTerm = new STSClient({
    region: 'eu-west-1',
    endpoint: world.emulator.url,
    credentials: { accessKeyId: world.alice.accessKeyId, secretAccessKey: world.alice.secretAccessKey },
    maxAttempts: 1,
  })
  const temp = (await longTerm.send(new GetSessionTokenCommand({ SerialNumber: ALICE_MFA, TokenCode: world.code() }))).Credentials!
  const chained = new STSClient({
    region: 'eu-west-1',
    endpoint: world.emulator.url,
    credentials: { accessKeyId: temp.AccessKeyId!, secretAccessKey: temp.SecretAccessKey!, sessionToken: temp.SessionToken! },
    maxAttempts: 1,
  })
  const error = await chained
    .send(new AssumeRoleCommand({ RoleArn: PROD_ROLE, RoleSessionName: 's1', DurationSeconds: 3601, SerialNumber: ALICE_MFA, TokenCode: world.code() }))
    .then(() => undefined, (e: unknown) => e)
  longTerm.destroy()
  chained.destroy()
  const explained = explainStsError(error, {
    profile: 'prod',
    roleArn: PROD_ROLE,
    mfaSerial: ALICE_MFA,
    durationSeconds: 3601,
    sourceOrigin: "profile 'sessiontoken'",
    endpointShown: world.emulator.url,
  })
  t.equal(explained.exitCode, 1)
  t.match(explained.message, /AWS treated this as role chaining \(keys from profile 'sessiontoken' are temporary\) and refused the 3601 s session/)
  t.match(explained.fix, /--duration 1h/)
})
