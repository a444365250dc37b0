/**
 * Secrets never leak: the main success and failure paths, each with --verbose (where the command
 * has it) and AWSMFA_DEBUG=1 (stack traces of unexpected failures), through assertNoLeaks: no
 * long-term secret, no issued secret or token, no MFA code in stderr, in text meant for people on
 * stdout, or in any file a run wrote under HOME or TMPDIR.
 */
import t, { type Test } from 'tap'
import { createServer, type Server } from 'node:http'
import { createServer as createTcpServer } from 'node:net'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { STSClient, GetSessionTokenCommand } from '@aws-sdk/client-sts'
import type { EmulatorUser } from '../../lib/emulator/index.js'
import { HOSTILE_SECRET, HOSTILE_TOKEN } from '../helpers/hostile-keys.js'
import { findLeak, assertNoLeaks } from '../helpers/leaks.js'
import { snapshotTree, treeChanges, type Tree } from '../helpers/snapshot.js'
import { ALICE_MFA, NOMFA_ROLE, PROD_ROLE, defaultConfig, defaultCredentials, makeUser, makeWorld, type RunResult, type World } from '../helpers/world.js'
import { hostileWorld } from './hostile-data.js'

process.env.AWS_EC2_METADATA_DISABLED = 'true'

const STACK = /\n\s+at .+:\d+:\d+/

interface Probe {
  world: World
  /** A second user with his own MFA device (not in the hostile world). */
  bob: EmulatorUser
  tmp: string
  /** Every code this world's runs were given. */
  codes: string[]
  /** Secrets the test itself put in files or servers. */
  secrets: string[]
}

async function probe(t: Test, options: { hostile?: boolean } = {}): Promise<Probe> {
  const bob = makeUser('bob')
  const world = options.hostile
    ? await hostileWorld(t)
    : await makeWorld(t, {
        extraUsers: [bob],
        roles: [
          { arn: PROD_ROLE, maxSessionDuration: 43200, trustedPrincipals: ['arn:aws:iam::123456789012:user/alice', 'arn:aws:iam::123456789012:user/bob'], requireMfa: true },
          { arn: NOMFA_ROLE, maxSessionDuration: 43200, trustedPrincipals: ['arn:aws:iam::123456789012:root'] },
        ],
      })
  return { world, bob, tmp: mkdtempSync(join(world.scratch, 'tmp-')), codes: [], secrets: [bob.secretAccessKey, bob.mfaSecret ?? ''] }
}

/**
 * One run with AWSMFA_DEBUG=1 (and --verbose for env/exec); asserts on what it printed for people
 * and on every file it wrote under HOME or TMPDIR. `people`: stdout is for people (not shell code).
 */
async function run(t: Test, p: Probe, label: string, args: string[], options: { env?: Record<string, string>; ok?: boolean; people?: boolean } = {}): Promise<RunResult> {
  const verbose = args[0] === 'env' || args[0] === 'exec' ? ['--verbose'] : []
  const homeBefore: Tree = snapshotTree(p.world.home)
  const result = await p.world.run([...args.slice(0, 2), ...verbose, ...args.slice(2)], {
    env: { AWSMFA_DEBUG: '1', TMPDIR: p.tmp, ...options.env },
  })
  const written = treeChanges(homeBefore, snapshotTree(p.world.home))
    .filter((c) => c.startsWith('+') || c.startsWith('~'))
    .map((c) => join(p.world.home, c.slice(2).replace(/ \(.*\)$/, '')))
  t.test(label, async (t) => {
    if (options.ok !== undefined) t.equal(result.exitCode === 0, options.ok, `exit ${result.exitCode}: ${result.stderr.slice(0, 300)}`)
    if (options.ok === false) {
      t.equal(result.stdout, '', 'a failure prints nothing on stdout')
      t.notMatch(result.stderr.replace(/^(?!awsmfa: ).*$/gm, ''), STACK, 'no stack trace in the message itself')
    }
    const texts = [result.stderr, ...(options.people || options.ok === false ? [result.stdout] : [])]
    assertNoLeaks(t, p.world, { text: texts, paths: [...written, p.tmp], codes: p.codes, secrets: p.secrets }, label)
  })
  return result
}

t.test('success paths, verbose and debug', async (t) => {
  const p = await probe(t)
  const { world } = p
  const code = world.code()
  p.codes.push(code)
  const bash = await run(t, p, 'env --shell bash', ['env', 'prod', '--shell', 'bash', '-t', code], { ok: true })
  await run(t, p, 'env --json (no MFA)', ['env', 'nomfa', '--json'], { ok: true })
  await run(t, p, 'env default output (no MFA)', ['env', 'nomfa'], { ok: true })
  await run(t, p, 'exec (no MFA)', ['exec', 'nomfa', '--', 'true'], { ok: true })

  // mfa_process: the code comes from bob's device (alice's codes are few), read from a file, so the
  // command's text does not hold it.
  const bobCode = world.emulator.totp(p.bob.mfaSerial ?? '')
  p.codes.push(bobCode)
  const codeFile = join(world.scratch, 'code.txt')
  writeFileSync(codeFile, `${bobCode}\n`)
  world.writeConfig(`${defaultConfig()}\n[profile viaproc]\nrole_arn = ${PROD_ROLE}\nsource_profile = bob\nmfa_serial = ${p.bob.mfaSerial}\nmfa_process = cat '${codeFile}'\n`)
  world.writeCredentials(`${defaultCredentials(world.alice)}\n[bob]\naws_access_key_id = ${p.bob.accessKeyId}\naws_secret_access_key = ${p.bob.secretAccessKey}\n`)
  await run(t, p, 'env via mfa_process', ['env', 'viaproc', '--shell', 'zsh'], { ok: true })

  // credential_process as the source: its stdout holds alice's secret.
  const json = JSON.stringify({ Version: 1, AccessKeyId: world.alice.accessKeyId, SecretAccessKey: world.alice.secretAccessKey })
  world.writeConfig(`${defaultConfig()}\n[profile viavault]\nrole_arn = ${NOMFA_ROLE}\nsource_profile = vault\n\n[profile vault]\ncredential_process = printf '%s' '${json}'\n`)
  await run(t, p, 'env with credential_process', ['env', 'viavault', '--shell', 'fish'], { ok: true })

  world.writeConfig(defaultConfig())
  world.writeCredentials(defaultCredentials(world.alice))
  const session: Record<string, string> = {}
  for (const line of bash.stdout.split('\n')) {
    const m = /^builtin export (\w+)='(.*)';$/.exec(line)
    if (m?.[1] !== undefined && m[2] !== undefined) session[m[1]] = m[2]
  }
  t.ok(session.AWS_SESSION_TOKEN, 'a session to show')
  await run(t, p, 'status', ['status'], { env: session, ok: true, people: true })
  await run(t, p, 'status --verify', ['status', '--verify'], { env: session, ok: true, people: true })
  await run(t, p, 'status --json', ['status', '--json'], { env: session, ok: true, people: true })
  await run(t, p, 'list', ['list'], { ok: true, people: true })
  await run(t, p, 'list --json', ['list', '--json'], { ok: true, people: true })
  await run(t, p, 'doctor --online', ['doctor', 'prod', '--online'], { people: true })
  t.ok(world.emulator.issued.length >= 6, `${world.emulator.issued.length} issued secrets and tokens checked`)
})

t.test('failure paths, verbose and debug', async (t) => {
  const p = await probe(t)
  const { world } = p
  const code = world.code()
  p.codes.push(code, '000000')
  await run(t, p, 'wrong code', ['env', 'prod', '-t', '000000'], { ok: false })
  await run(t, p, 'first use of a code', ['env', 'prod', '-t', code], { ok: true })
  await run(t, p, 'reused code', ['env', 'prod', '-t', code], { ok: false })
  for (const [fault, count] of [['throttle', 3], ['http500', 3], ['malformed', 1], ['expired-session', 1]] as const) {
    // As many faults as the run meets (throttling and 500 are tried three times), none left over.
    world.emulator.inject(fault, count)
    const before = world.emulator.requests.length
    await run(t, p, `fault ${fault}`, ['env', 'nomfa'], { ok: false })
    t.equal(world.emulator.requests.length - before, count, `fault ${fault}: ${count} attempt(s)`)
  }
  world.emulator.inject('hang', 1)
  await run(t, p, 'no answer in time', ['env', 'nomfa'], { ok: false, env: { AWSMFA_STS_TIMEOUT: '1' } })
  const port = await new Promise<number>((resolve) => {
    const server = createTcpServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0))
    })
  })
  await run(t, p, 'endpoint down', ['env', 'nomfa'], { ok: false, env: { AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${port}` } })
  await run(t, p, 'no terminal, no code', ['env', 'prod'], { ok: false })

  const wrongSecret = 'wrongWRONGwrongWRONGwrongWRONGwrongWRONG'
  p.secrets.push(wrongSecret)
  world.writeCredentials(`[alice]\naws_access_key_id = ${world.alice.accessKeyId}\naws_secret_access_key = ${wrongSecret}\n`)
  await run(t, p, 'wrong secret', ['env', 'nomfa'], { ok: false })
  world.writeCredentials(`[alice]\naws_access_key_id = AKIAUNKNOWNUNKNOWN12\naws_secret_access_key = ${world.alice.secretAccessKey}\n`)
  await run(t, p, 'unknown key', ['env', 'nomfa'], { ok: false })

  // Temporary keys from GetSessionToken (issued by the emulator, so checked): chained, refused locally.
  world.writeCredentials(defaultCredentials(world.alice))
  const client = new STSClient({ region: 'eu-west-1', endpoint: world.emulator.url, credentials: { accessKeyId: world.alice.accessKeyId, secretAccessKey: world.alice.secretAccessKey }, maxAttempts: 1 })
  const temp = (await client.send(new GetSessionTokenCommand({ DurationSeconds: 3600 }))).Credentials
  client.destroy()
  world.writeCredentials(`[alice]\naws_access_key_id = ${temp?.AccessKeyId}\naws_secret_access_key = ${temp?.SecretAccessKey}\naws_session_token = ${temp?.SessionToken}\n`)
  await run(t, p, 'chained source refused', ['env', 'nomfa'], { ok: false })
  world.writeCredentials(defaultCredentials(world.alice))

  const withConfig = (extra: string): void => world.writeConfig(`${defaultConfig()}\n${extra}`)
  withConfig(`[profile proc]\nrole_arn = ${PROD_ROLE}\nsource_profile = alice\nmfa_serial = ${ALICE_MFA}\nmfa_process = printf 'your code: %s\\n' $((123000 + 456))\n`)
  p.codes.push('123456')
  await run(t, p, 'mfa_process prints garbage around a code', ['env', 'proc'], { ok: false })
  // credential_process output holds the long-term keys: never echoed, whatever went wrong.
  const keysFile = join(world.scratch, 'keys.json')
  writeFileSync(keysFile, JSON.stringify({ Version: 1, AccessKeyId: world.alice.accessKeyId, SecretAccessKey: world.alice.secretAccessKey }))
  world.writeCredentials('')
  const vault = (command: string): void => withConfig(`[profile viavault]\nrole_arn = ${NOMFA_ROLE}\nsource_profile = vault\n\n[profile vault]\ncredential_process = ${command}\n`)
  vault(`sh -c 'printf "secret: %s" "$(cat ${keysFile})"'`)
  await run(t, p, 'credential_process prints keys, not as JSON', ['env', 'viavault'], { ok: false })
  // (Its stderr is for diagnostics: the first line of it is shown, as the helper's own words.)
  vault(`sh -c 'cat ${keysFile}; echo vault sealed >&2; exit 1'`)
  await run(t, p, 'credential_process prints keys, then fails', ['env', 'viavault'], { ok: false })
  vault(`sh -c 'cat ${keysFile} | tr -d "{"'`)
  await run(t, p, 'credential_process prints broken JSON holding keys', ['env', 'viavault'], { ok: false })
})

/** An STS stand-in that answers AssumeRole with a 200 whose XML is cut after the secret and token. */
async function truncatingServer(t: Test, secret: string, token: string, cutAfter: 'token' | 'expiration'): Promise<string> {
  const body =
    '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>' +
    `<AccessKeyId>ASIATRUNCATEDTRUNCAT</AccessKeyId><SecretAccessKey>${secret}</SecretAccessKey><SessionToken>${token}</SessionToken>` +
    (cutAfter === 'expiration' ? '<Expiration>not-a-date</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>' : '<Expir')
  const server: Server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': 'trunc-0001' })
      res.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const address = server.address()
  return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
}

t.test('an answer cut after the secret and token, or with a bad expiration: debug output holds neither', async (t) => {
  const p = await probe(t)
  const secret = `trunc${Buffer.from('secret-in-a-broken-answer').toString('base64')}Zz`
  const token = `IQoJ${Buffer.from('token-in-a-broken-answer-token-in-a-broken-answer').toString('base64')}`
  p.secrets.push(secret, token)
  for (const cut of ['token', 'expiration'] as const) {
    const url = await truncatingServer(t, secret, token, cut)
    const result = await run(t, p, `cut after ${cut}`, ['env', 'nomfa'], { ok: false, env: { AWS_ENDPOINT_URL_STS: url } })
    t.match(result.stderr, /^awsmfa: nomfa: /m, `cut after ${cut}: explained`)
    t.equal(findLeak(result.stderr, [secret, token]), undefined, `cut after ${cut}: neither secret nor token in stderr`)
  }
})

t.test('hostile secrets (quotes, newlines, $(…)) are not leaked in any escaped form either', async (t) => {
  const p = await probe(t, { hostile: true })
  p.secrets.push(HOSTILE_SECRET, HOSTILE_TOKEN)
  const code = p.world.code()
  p.codes.push(code)
  await run(t, p, 'hostile env', ['env', 'prod', '--shell', 'fish', '-t', code], { ok: true })
  await run(t, p, 'hostile env --json (no MFA)', ['env', 'nomfa', '--json'], { ok: true })
})

t.test('the leak check itself catches leaks, also escaped or in pieces', async (t) => {
  const secret = 'abcdEFGHijklMNOPqrstUVWXyz0123456789+/ab'
  t.ok(findLeak(`x ${secret} y`, [secret]), 'verbatim')
  t.ok(findLeak(`x ${secret.slice(5, 25)} y`, [secret]), 'a 20-character piece')
  t.ok(findLeak(JSON.stringify({ s: HOSTILE_SECRET }), [HOSTILE_SECRET]), 'JSON-escaped')
  t.ok(findLeak(`token: ${HOSTILE_TOKEN.replace('\n', '\\x0a')}`, [HOSTILE_TOKEN]), 'printable()-escaped')
  t.ok(findLeak('the code was 123456.', [], ['123456']), 'a code')
  t.notOk(findLeak('account 912345678901', [], ['123456']), 'not a code inside a longer number')
  t.notOk(findLeak('nothing here', [secret, HOSTILE_SECRET], ['654321']), 'clean text passes')
})
