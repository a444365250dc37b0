// The emulator's console federation endpoint, with the real SDK making the sessions and real HTTP
// to /federation: the rules of the IAM user guide's "custom identity broker" page.
import t from 'tap'
import { AssumeRoleCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts'
import { PU_ROLE, alice, client, emulator, type Keys } from './fixtures/helpers.js'

interface Answer { status: number; body: string }

async function signinToken(url: string, keys: Keys, duration?: number): Promise<Answer> {
  const session = JSON.stringify({ sessionId: keys.accessKeyId, sessionKey: keys.secretAccessKey, sessionToken: keys.sessionToken })
  const query = new URLSearchParams({ Action: 'getSigninToken', Session: session, ...(duration === undefined ? {} : { SessionDuration: String(duration) }) })
  const res = await fetch(`${url}/federation?${query.toString()}`)
  return { status: res.status, body: await res.text() }
}

async function login(url: string, token: string): Promise<Answer> {
  const query = new URLSearchParams({ Action: 'login', Issuer: 'test', Destination: 'https://console.aws.amazon.com/', SigninToken: token })
  const res = await fetch(`${url}/federation?${query.toString()}`)
  return { status: res.status, body: await res.text() }
}

const keysOf = (c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined): Keys => ({
  accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '',
})

t.test('AssumeRole with long-term keys: SessionDuration 900–43200, then login shows the role; a token lasts 15 minutes', async (t) => {
  let offset = 0
  const emu = await emulator(t, { now: () => Date.now() + offset })
  const { sts } = client(emu)
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'console', DurationSeconds: 43200, SerialNumber: alice.mfaSerial, TokenCode: emu.totp(alice.mfaSerial) }))
  const keys = keysOf(out.Credentials)
  for (const bad of [899, 43201]) {
    const refused = await signinToken(emu.url, keys, bad)
    t.equal(refused.status, 400, `SessionDuration ${bad} is refused`)
    t.match(refused.body, 'SessionDuration must be 900 to 43200 seconds')
  }
  const wrong = await signinToken(emu.url, { ...keys, secretAccessKey: 'x' }, 3600)
  t.equal(wrong.status, 400, 'a wrong secret is refused')
  const ok = await signinToken(emu.url, keys, 43200)
  t.equal(ok.status, 200, ok.body)
  const token = (JSON.parse(ok.body) as { SigninToken: string }).SigninToken
  t.match(token, /^emu-signin-/)
  t.same(emu.federation.map((e) => [e.action, e.status, e.sessionDuration]), [
    ['getSigninToken', 400, '899'], ['getSigninToken', 400, '43201'], ['getSigninToken', 400, '3600'], ['getSigninToken', 200, '43200'],
  ], 'the log holds no secret, only what was asked')
  t.notOk(JSON.stringify(emu.federation).includes(keys.secretAccessKey), 'no secret key in the log')
  t.notOk(JSON.stringify(emu.federation).includes(token), 'no sign-in token in the log')

  const page = await login(emu.url, token)
  t.equal(page.status, 200)
  t.match(page.body, '<h1 id="signed-in">Signed in as ServerworksRolePU</h1>')
  t.match(page.body, 'arn:aws:sts::123456789034:assumed-role/ServerworksRolePU/console')

  offset = 15 * 60_000 + 1000
  const late = await login(emu.url, token)
  t.equal(late.status, 400, 'after 15 minutes the token is refused')
  t.match(late.body, 'the sign-in token has expired')
  t.equal((await login(emu.url, 'emu-signin-made-up')).status, 400, 'an unknown token is refused')
})

t.test('role chaining: signs in only without SessionDuration; GetSessionToken credentials never', async (t) => {
  const emu = await emulator(t)
  const { sts } = client(emu)
  const gst = await sts.send(new GetSessionTokenCommand({ SerialNumber: alice.mfaSerial, TokenCode: emu.totp(alice.mfaSerial) }))
  const userSession = keysOf(gst.Credentials)
  for (const duration of [3600, undefined]) {
    const refused = await signinToken(emu.url, userSession, duration)
    t.equal(refused.status, 400, `GetSessionToken credentials refused (SessionDuration ${String(duration)})`)
    t.match(refused.body, 'credentials from GetSessionToken cannot sign in to the console')
  }
  const chainedClient = client(emu, userSession).sts
  const chained = keysOf((await chainedClient.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'chained', DurationSeconds: 3600 }))).Credentials)
  const withDuration = await signinToken(emu.url, chained, 3600)
  t.equal(withDuration.status, 400)
  t.match(withDuration.body, 'not role chaining')
  const without = await signinToken(emu.url, chained)
  t.equal(without.status, 200, 'a chained session signs in with AWS\'s default length')
  t.same(emu.federation.map((e) => e.origin), ['session-token', 'session-token', 'chained', 'chained'])
})
