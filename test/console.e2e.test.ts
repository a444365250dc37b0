/**
 * `awsmfa console` end to end: the built CLI, the real SDK and real HTTP to the emulator's STS and
 * /federation, a real browser (headless Chromium) on the login URL, and BROWSER pointing at a script.
 */
import t from 'tap'
import { execa } from 'execa'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ALICE_MFA, PROD_ROLE, assertNoSecrets, defaultConfig, makeWorld, type World } from './helpers/world.js'
import type { EmulatorUser } from '../lib/emulator/index.js'
import { assertNoLeaks } from './helpers/leaks.js'
import { startAgent } from './helpers/agent.js'
import { createServer, type AddressInfo } from 'node:net'
import { missing } from './helpers/missing.js'

/** A loopback port with nothing listening (taken, then let go). */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

const config = (): string => `${defaultConfig()}
[profile me]
mfa_serial = ${ALICE_MFA}

[profile chained]
role_arn = ${PROD_ROLE}
source_profile = mfa-session
`
const credentials = (alice: EmulatorUser): string => `[alice]
aws_access_key_id = ${alice.accessKeyId}
aws_secret_access_key = ${alice.secretAccessKey}

[me]
aws_access_key_id = ${alice.accessKeyId}
aws_secret_access_key = ${alice.secretAccessKey}
`

async function consoleWorld(t: Parameters<typeof makeWorld>[0]): Promise<World & { signin: string }> {
  const world = await makeWorld(t, { config, credentials })
  return Object.assign(world, { signin: `${world.emulator.url}/federation` })
}

/** The run's environment: this terminal's session plus the test's federation endpoint. */
const withSession = (world: World & { signin: string }, session: Record<string, string>, extra: Record<string, string> = {}) =>
  ({ env: { AWSMFA_SIGNIN_URL: world.signin, ...session, ...extra } })

function secretsOf(session: Record<string, string>): string[] {
  return [session.AWS_SECRET_ACCESS_KEY ?? '', session.AWS_SESSION_TOKEN ?? '']
}

t.test('console --url with this terminal\'s 12 h session: the URL\'s parts, SessionDuration = the time left, nothing secret on stderr with --verbose', async (t) => {
  const world = await consoleWorld(t)
  const session = await world.sessionEnv('prod')
  const home = world.snapshotHome()
  const before = Math.floor(Date.now() / 1000)
  const result = await world.run(['console', '--url', '--verbose'], withSession(world, session, { AWSMFA_DEBUG: '1' }))
  t.equal(result.exitCode, 0, result.stderr)
  const lines = result.stdout.split('\n')
  t.equal(lines.length, 2, 'one line on stdout')
  const url = new URL(lines[0] ?? '')
  t.equal(`${url.origin}${url.pathname}`, world.signin, 'AWSMFA_SIGNIN_URL replaces the federation URL up to the ?')
  t.same([...url.searchParams.keys()], ['Action', 'Issuer', 'Destination', 'SigninToken'])
  t.equal(url.searchParams.get('Action'), 'login')
  t.equal(url.searchParams.get('Issuer'), 'awsmfa')
  t.equal(url.searchParams.get('Destination'), 'https://console.aws.amazon.com/console/home?region=eu-west-1', 'the session\'s region picks the console\'s')
  const token = url.searchParams.get('SigninToken') ?? ''
  t.match(token, /^emu-signin-/)

  const calls = world.emulator.federation
  t.same(calls.map((c) => [c.action, c.status, c.origin]), [['getSigninToken', 200, 'assume-role']], 'one getSigninToken, nothing else')
  const remaining = Number(session.AWSMFA_EXPIRATION) - before
  const asked = Number(calls[0]?.sessionDuration)
  t.ok(asked <= remaining && asked >= remaining - 60 && asked <= 43200, `SessionDuration ${asked} is the time left (${remaining} s at the start)`)
  t.same(world.emulator.requests.map((r) => r.action), ['AssumeRole'], 'no STS call beyond the one that made the session')

  t.match(result.stderr, /^awsmfa: getSigninToken at http:\/\/127\.0\.0\.1:\d+\/federation with SessionDuration \d+ s/m, '--verbose explains')
  t.match(result.stderr, /^prod: sign-in URL for the console as ServerworksRolePU in 123456789034 for 1[12]h\d\dm \(use it within 15 minutes/m)
  assertNoSecrets(t, result.stderr, [...secretsOf(session), token, lines[0], encodeURIComponent(session.AWS_SESSION_TOKEN ?? '')])
  t.notOk(result.stderr.includes('SigninToken=') || result.stderr.includes('Action=login'), 'no part of the login URL on stderr')
  assertNoLeaks(t, world, { text: result.stderr, secrets: [token, lines[0] ?? ''] }, 'console --url --verbose, AWSMFA_DEBUG=1')

  t.same(world.snapshotHome(), home, 'nothing written under HOME')
  const doctor = await world.run(['doctor', 'prod'], withSession(world, session))
  t.match(doctor.stdout, /✓ awsmfa console signs in to the AWS console with this session for 1[12]h\d\dm \(the time it has left\)/, 'doctor knows the console works here')
  const page = await fetch(lines[0] ?? '')
  t.equal(page.status, 200)
  t.match(await page.text(), 'Signed in as ServerworksRolePU')
})

t.test('SessionDuration follows the session: a 1 h session asks for at most 3600 s', async (t) => {
  const world = await consoleWorld(t)
  const session = await world.sessionEnv('prod', ['-d', '1h'])
  const result = await world.run(['console', '--url'], withSession(world, session))
  t.equal(result.exitCode, 0, result.stderr)
  const asked = Number(world.emulator.federation[0]?.sessionDuration)
  t.ok(asked <= 3600 && asked >= 3540, `asked for ${asked} s`)
})

t.test('console PROFILE: a new session with MFA, then the sign-in; --destination forms', async (t) => {
  const world = await consoleWorld(t)
  const fresh = await world.run(['console', 'prod', '-t', world.code(), '--url', '--destination', 's3'], { env: { AWSMFA_SIGNIN_URL: world.signin } })
  t.equal(fresh.exitCode, 0, fresh.stderr)
  t.same(world.emulator.requests.map((r) => r.action), ['AssumeRole'], 'one AssumeRole with MFA')
  t.equal(world.emulator.requests[0]?.params.DurationSeconds, '43200')
  t.equal(new URL(fresh.stdout.trim()).searchParams.get('Destination'), 'https://console.aws.amazon.com/s3/home?region=eu-west-1')
  const asked = Number(world.emulator.federation[0]?.sessionDuration)
  t.ok(asked >= 43140 && asked <= 43200, `a fresh 12 h session asks for 12 h (${asked} s)`)

  const session = await world.sessionEnv('prod')
  const destinations: Array<[string[], string]> = [
    [['--destination', 'https://eu-west-1.console.aws.amazon.com/ec2/home#Instances'], 'https://eu-west-1.console.aws.amazon.com/ec2/home#Instances'],
    [['--region', 'us-east-2'], 'https://console.aws.amazon.com/console/home?region=us-east-2'],
    [['--destination', 'iam', '--region', 'us-east-2'], 'https://console.aws.amazon.com/iam/home?region=us-east-2'],
  ]
  for (const [args, expected] of destinations) {
    const r = await world.run(['console', '--url', ...args], withSession(world, session))
    t.equal(r.exitCode, 0, r.stderr)
    t.equal(new URL(r.stdout.trim()).searchParams.get('Destination'), expected, args.join(' '))
  }
  // In this terminal, `console prod` reuses the session for prod: no second MFA code.
  const stsBefore = world.emulator.requests.length
  const reuse = await world.run(['console', 'prod', '--url'], withSession(world, session))
  t.equal(reuse.exitCode, 0, reuse.stderr)
  t.equal(world.emulator.requests.length, stsBefore, 'this terminal\'s session for prod is used; no MFA, no STS call')

  for (const bad of ['ftp://console.aws.amazon.com/', 'S 3', 'https://evil.example.com/console', 'https://console.amazonaws.cn/']) {
    const fedBefore = world.emulator.federation.length
    const r = await world.run(['console', '--url', '--destination', bad], withSession(world, session))
    t.equal(r.exitCode, 2, `${bad}: ${r.stderr}`)
    t.equal(r.stdout, '', 'empty stdout')
    t.match(r.stderr, /^awsmfa: --destination .*\n {2}fix: /)
    t.equal(world.emulator.federation.length, fedBefore, 'no call')
  }
})

t.test('each refusal: non-zero, empty stdout, one message with the cause and the fix, before any call', async (t) => {
  const world = await consoleWorld(t)
  const prod = await world.sessionEnv('prod')
  const me = await world.sessionEnv('me')
  // The AWS CLI pattern: GetSessionToken keys in a profile, a role from them (chained, 1 h).
  world.writeCredentials(`${credentials(world.alice)}
[mfa-session]
aws_access_key_id = ${me.AWS_ACCESS_KEY_ID}
aws_secret_access_key = ${me.AWS_SECRET_ACCESS_KEY}
aws_session_token = ${me.AWS_SESSION_TOKEN}
`)
  const chained = await world.sessionEnv('chained', ['-d', '1h'])
  const now = Math.floor(Date.now() / 1000)
  const cases: Array<{ name: string; args: string[]; env: Record<string, string>; exit: number; cause: RegExp }> = [
    { name: 'no session here', args: ['console', '--url'], env: {}, exit: 2, cause: /^awsmfa: this terminal holds no awsmfa session to sign in to the console with\n {2}fix: awsmfa console PROFILE/ },
    { name: 'a user session', args: ['console', '--url'], env: me, exit: 2, cause: /^awsmfa: me: is an MFA session as the IAM user itself \(GetSessionToken\), and AWS's federation endpoint signs no one in/ },
    { name: 'a chained session', args: ['console', '--url'], env: chained, exit: 2, cause: /^awsmfa: chained: gets its keys from profile 'mfa-session', which holds temporary credentials, so its session is role chaining/ },
    { name: '10 minutes left', args: ['console', '--url'], env: { ...prod, AWSMFA_EXPIRATION: String(now + 600) }, exit: 2, cause: /^awsmfa: prod: the session has only (9|10)m left; AWS signs in to the console for at least 15 minutes\n {2}fix: / },
    { name: 'expired', args: ['console', '--url'], env: { ...prod, AWSMFA_EXPIRATION: String(now - 60) }, exit: 2, cause: /prod: the session has expired/ },
    { name: 'half a session', args: ['console', '--url'], env: { ...prod, AWS_SESSION_TOKEN: '' }, exit: 2, cause: /holds only part of the session for 'prod': AWS_SESSION_TOKEN is missing/ },
    { name: 'console for a user profile', args: ['console', 'me', '-t', '123456', '--url'], env: {}, exit: 2, cause: /^awsmfa: me: is an MFA session as the IAM user itself/ },
    { name: 'console for a chained profile', args: ['console', 'chained', '-t', '123456', '--url'], env: {}, exit: 2, cause: /^awsmfa: chained: gets its keys from profile 'mfa-session'/ },
    { name: 'unknown profile', args: ['console', 'nope', '--url'], env: {}, exit: 2, cause: /^awsmfa: nope: no profile named 'nope'/ },
    { name: 'a destination outside the partition, before the MFA code', args: ['console', 'prod', '-t', '123456', '--destination', 'https://console.amazonaws.cn/'], env: {}, exit: 2, cause: /^awsmfa: prod: --destination https:\/\/console\.amazonaws\.cn\/ is not a page of the console \(console\.aws\.amazon\.com\)/ },
    { name: 'AWSMFA_SIGNIN_URL with a query, before the MFA code', args: ['console', 'prod', '-t', '123456'], env: { AWSMFA_SIGNIN_URL: 'http://127.0.0.1:1/federation?x=1' }, exit: 2, cause: /^awsmfa: AWSMFA_SIGNIN_URL 'http:\/\/127\.0\.0\.1:1\/federation\?x=1' is not a URL without a query/ },
  ]
  for (const c of cases) {
    const sts = world.emulator.requests.length
    const r = await world.run(c.args, withSession(world, c.env))
    t.equal(r.exitCode, c.exit, `${c.name}: exit ${c.exit}`)
    t.equal(r.stdout, '', `${c.name}: empty stdout`)
    t.match(r.stderr, c.cause, c.name)
    t.match(r.stderr, /\n {2}fix: .+\n$/, `${c.name}: a fix`)
    t.equal(world.emulator.federation.length, 0, `${c.name}: no federation call`)
    t.equal(world.emulator.requests.length, sts, `${c.name}: no STS call, no MFA code spent`)
    assertNoSecrets(t, r.stderr, [...secretsOf(c.env)])
  }

  // Keys the federation endpoint does not know: AWS's refusal, explained (exit 1).
  const forged = { ...prod, AWS_SECRET_ACCESS_KEY: 'not/the/secret/of/this/session/0000000000' }
  const refused = await world.run(['console', '--url', '--verbose'], withSession(world, forged, { AWSMFA_DEBUG: '1' }))
  t.equal(refused.exitCode, 1)
  t.equal(refused.stdout, '')
  t.match(refused.stderr, /^awsmfa: prod: the federation endpoint at http:\/\/127\.0\.0\.1:\d+\/federation refused the session \(HTTP 400\)\n {2}fix: /m)
  assertNoSecrets(t, refused.stderr, secretsOf(forged))
  assertNoLeaks(t, world, { text: refused.stderr, secrets: secretsOf(forged) }, 'a refused console sign-in, --verbose, AWSMFA_DEBUG=1')
  // Nothing listening: the cause names the endpoint, never the URL with the keys.
  const port = await freePort()
  const closed = await world.run(['console', '--url'], { env: { ...prod, AWSMFA_SIGNIN_URL: `http://127.0.0.1:${port}/federation` } })
  t.equal(closed.exitCode, 1)
  t.equal(closed.stdout, '')
  t.match(closed.stderr, /^awsmfa: prod: could not reach the federation endpoint at http:\/\/127\.0\.0\.1:\d+\/federation \(ECONNREFUSED\)/)
  assertNoSecrets(t, closed.stderr, secretsOf(prod))
})

t.test('BROWSER: awsmfa hands the browser the URL, as one argument, and nothing else', async (t) => {
  const world = await consoleWorld(t)
  const session = await world.sessionEnv('prod')
  const record = join(world.scratch, 'browser-args')
  const browser = join(world.scratch, 'browser.sh')
  writeFileSync(browser, `#!/bin/sh\n{ echo "$#"; for a in "$@"; do printf '%s\\n' "$a"; done; } > '${record}.tmp' && mv '${record}.tmp' '${record}'\n`)
  chmodSync(browser, 0o755)
  const result = await world.run(['console', '--verbose'], withSession(world, session, { BROWSER: browser }))
  t.equal(result.exitCode, 0, result.stderr)
  t.equal(result.stdout, '', 'nothing on stdout without --url')
  t.match(result.stderr, /^prod: opened the console as ServerworksRolePU in 123456789034 for 1[12]h\d\dm$/m)
  // The browser runs on its own (awsmfa does not wait for it to close): wait for its record, bounded.
  for (let i = 0; i < 200 && !existsSync(record); i++) await new Promise((resolve) => setTimeout(resolve, 50))
  const [count, url, ...rest] = readFileSync(record, 'utf8').split('\n')
  t.equal(count, '1', 'one argument')
  t.same(rest, [''], 'and nothing else')
  const parsed = new URL(url ?? '')
  t.equal(`${parsed.origin}${parsed.pathname}`, world.signin)
  t.equal(parsed.searchParams.get('Action'), 'login')
  assertNoSecrets(t, result.stderr, [url, parsed.searchParams.get('SigninToken') ?? '', ...secretsOf(session)])

  // Without BROWSER the `open` library runs the system's opener (xdg-open here): a recording one on PATH.
  const bin = mkdtempSync(join(world.scratch, 'bin-'))
  const opened = join(world.scratch, 'xdg-open-args')
  writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\n{ echo "$#"; for a in "$@"; do printf '%s\\n' "$a"; done; } > '${opened}.tmp' && mv '${opened}.tmp' '${opened}'\n`)
  chmodSync(join(bin, 'xdg-open'), 0o755)
  const viaOpen = await world.run(['console'], withSession(world, session, { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` }))
  t.equal(viaOpen.exitCode, 0, viaOpen.stderr)
  t.equal(viaOpen.stdout, '')
  for (let i = 0; i < 200 && !existsSync(opened); i++) await new Promise((resolve) => setTimeout(resolve, 50))
  const [openCount, openUrl, ...openRest] = readFileSync(opened, 'utf8').split('\n')
  t.equal(openCount, '1', 'xdg-open got one argument')
  t.same(openRest, [''])
  t.equal(new URL(openUrl ?? '').searchParams.get('Action'), 'login', 'the login URL')
  assertNoSecrets(t, viaOpen.stderr, [openUrl])

  const missing = await world.run(['console'], withSession(world, session, { BROWSER: join(world.scratch, 'no-such-browser') }))
  t.equal(missing.exitCode, 1)
  t.equal(missing.stdout, '')
  t.match(missing.stderr, /^awsmfa: BROWSER names '.*no-such-browser', which could not be started \(ENOENT\)\n {2}fix: /)
})

t.test('a real browser: headless Chromium opens the login URL and the page shows the signed-in role', async (t) => {
  const chromium = '/usr/bin/chromium'
  if (!existsSync(chromium)) {
    missing(t, `${chromium} is not installed (scripts/setup.sh installs it)`)
    return
  }
  const world = await consoleWorld(t)
  const session = await world.sessionEnv('prod')
  const result = await world.run(['console', '--url'], withSession(world, session))
  t.equal(result.exitCode, 0, result.stderr)
  const profileDir = mkdtempSync(join(world.scratch, 'chromium-'))
  t.teardown(() => rmSync(profileDir, { recursive: true, force: true }))
  const dom = await execa(chromium, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', `--user-data-dir=${profileDir}`, '--dump-dom', result.stdout.trim(),
  ], { reject: false, timeout: 120_000, env: { HOME: profileDir, PATH: process.env.PATH ?? '/usr/bin:/bin' }, extendEnv: false })
  t.equal(dom.exitCode, 0, String(dom.stderr).slice(0, 500))
  t.match(String(dom.stdout), '<h1 id="signed-in">Signed in as ServerworksRolePU</h1>', 'the page names the role')
  t.match(String(dom.stdout), 'arn:aws:sts::123456789034:assumed-role/ServerworksRolePU/awsmfa-alice')
  t.same(world.emulator.federation.map((e) => [e.action, e.status]), [['getSigninToken', 200], ['login', 200]], 'the browser spent the token')
  t.equal(world.emulator.federation[1]?.destination, 'https://console.aws.amazon.com/console/home?region=eu-west-1')
})

t.test('console PROFILE asks a running agent first: no code, no STS call; --no-agent makes its own (and needs a code)', async (t) => {
  const world = await consoleWorld(t)
  await startAgent(t, world)
  const first = await world.run(['env', 'prod', '--json', '-t', world.code()])
  t.equal(first.exitCode, 0, first.stderr)
  const assumed = (): number => world.emulator.requests.filter((r) => r.action === 'AssumeRole').length
  t.equal(assumed(), 1)

  // No code and no terminal: only the agent can answer.
  const hit = await world.run(['console', 'prod', '--url', '--verbose'], { env: { AWSMFA_SIGNIN_URL: world.signin } })
  t.equal(hit.exitCode, 0, hit.stderr)
  t.match(hit.stderr, /the agent at .* holds a session for prod; no MFA needed/)
  t.equal(assumed(), 1, 'no second AssumeRole')
  // No code was given and STS made nothing new: the session the federation endpoint accepted is the agent's.
  t.match(world.emulator.federation.at(-1) ?? {}, { action: 'getSigninToken', status: 200, origin: 'assume-role' })
  const token = new URL(hit.stdout.trim()).searchParams.get('SigninToken') ?? ''
  t.ok(token.length > 0, 'a sign-in URL on stdout')
  t.notOk(hit.stderr.includes(token), 'the sign-in token is not on stderr')

  const own = await world.run(['console', 'prod', '--url', '--no-agent'], { env: { AWSMFA_SIGNIN_URL: world.signin } })
  t.not(own.exitCode, 0)
  t.equal(own.stdout, '')
  t.match(own.stderr, /prod: needs an MFA code, and there is no terminal to ask for one/)
  t.equal(assumed(), 1, '--no-agent asked the agent nothing and STS nothing without a code')
})
