/**
 * Every way `awsmfa env` can fail, through the built CLI against the emulator: non-zero exit,
 * EMPTY stdout, one message on stderr naming the profile, the cause and the fix, no stack
 * trace and no secret.
 */
import t, { type Test } from 'tap'
import { createServer } from 'node:net'
import { STSClient, GetSessionTokenCommand } from '@aws-sdk/client-sts'
import { ALICE_MFA, PROD_ROLE, assertNoSecrets, makeWorld, type RunResult, type World } from './helpers/world.js'

process.env.AWS_EC2_METADATA_DISABLED = 'true'

interface Expect {
  exitCode: number
  cause: RegExp
  fix?: RegExp
  profile?: string
}

function assertCleanFailure(t: Test, world: World, result: RunResult, expect: Expect, extraSecrets: string[] = []): void {
  t.equal(result.exitCode, expect.exitCode, `exit ${expect.exitCode}`)
  t.equal(result.stdout, '', 'stdout is empty')
  t.match(result.stderr, new RegExp(`^awsmfa: ${expect.profile ?? 'prod'}: `), 'names the profile')
  t.match(result.stderr, expect.cause, 'names the cause')
  t.match(result.stderr, expect.fix ?? /\n {2}fix: \S/, 'names the fix')
  t.notMatch(result.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace')
  const issued = world.emulator.issued.flatMap((c) => [c.secretAccessKey, c.sessionToken])
  assertNoSecrets(t, result.stderr, [world.alice.secretAccessKey, ...issued, ...extraSecrets])
}


t.test('AWS rejects a wrong code, and a reused one; neither is retried', async (t) => {
  const world = await makeWorld(t)
  const wrong = await world.run(['env', 'prod', '-t', '000000'])
  assertCleanFailure(t, world, wrong, { exitCode: 1, cause: /AWS rejected the MFA code\. Each code works once/, fix: /wait for the next code/ }, ['000000'])
  t.equal(world.emulator.requests.length, 1, 'one request: an MFA rejection is never retried')

  const code = world.code()
  const first = await world.run(['env', 'prod', '-t', code])
  t.equal(first.exitCode, 0, first.stderr)
  const again = await world.run(['env', 'prod', '-t', code])
  assertCleanFailure(t, world, again, { exitCode: 1, cause: /AWS rejected the MFA code/ }, [code])
  t.equal(world.emulator.requests.length, 3)
})

t.test('a user ARN as mfa_serial is caught before any call', async (t) => {
  const world = await makeWorld(t)
  world.writeConfig(`[profile prod]\nrole_arn = ${PROD_ROLE}\nsource_profile = alice\nmfa_serial = arn:aws:iam::123456789012:user/alice\n`)
  const result = await world.run(['env', 'prod', '-t', world.code()])
  assertCleanFailure(t, world, result, { exitCode: 2, cause: /is the ARN of a user, not of an MFA device/, fix: /arn:aws:iam::123456789012:mfa\/alice/ })
  t.equal(world.emulator.requests.length, 0)
})

t.test('not authorized: a role that does not trust the user', async (t) => {
  const world = await makeWorld(t)
  world.writeConfig(`[profile prod]\nrole_arn = arn:aws:iam::999999999999:role/Nope\nsource_profile = alice\nmfa_serial = ${ALICE_MFA}\n`)
  const result = await world.run(['env', 'prod', '-t', world.code()])
  assertCleanFailure(t, world, result, {
    exitCode: 1,
    cause: /AWS says arn:aws:iam::123456789012:user\/alice may not assume arn:aws:iam::999999999999:role\/Nope/,
    fix: /trust policy/,
  })
})

t.test('MFA-required trust without mfa_serial: not authorized, and the fix mentions mfa_serial', async (t) => {
  const world = await makeWorld(t)
  world.writeConfig(`[profile prod]\nrole_arn = ${PROD_ROLE}\nsource_profile = alice\n`)
  const result = await world.run(['env', 'prod'])
  assertCleanFailure(t, world, result, { exitCode: 1, cause: /may not assume/, fix: /mfa_serial set/ })
})

t.test('MaxSessionDuration: the fix names update-role for this role', async (t) => {
  const world = await makeWorld(t)
  const result = await world.run(['env', 'readonly', '-t', world.code()])
  assertCleanFailure(t, world, result, {
    profile: 'readonly',
    exitCode: 1,
    cause: /the role ReadOnly allows shorter sessions than the 43200 s asked for/,
    fix: /aws iam update-role --role-name ReadOnly --max-session-duration 43200/,
  })
})

t.test('unknown access key and wrong secret', async (t) => {
  const world = await makeWorld(t)
  world.writeCredentials(`[alice]\naws_access_key_id = AKIAUNKNOWNUNKNOWN12\naws_secret_access_key = ${world.alice.secretAccessKey}\n`)
  const unknown = await world.run(['env', 'prod', '-t', world.code()])
  assertCleanFailure(t, world, unknown, { exitCode: 1, cause: /AWS does not know the access key of profile 'alice'/, fix: /new access key/ })

  world.writeCredentials(`[alice]\naws_access_key_id = ${world.alice.accessKeyId}\naws_secret_access_key = wrongwrongwrongwrongwrongwrongwrongwrong\n`)
  const wrongSecret = await world.run(['env', 'prod', '-t', world.code()])
  assertCleanFailure(t, world, wrongSecret, { exitCode: 1, cause: /secret key of profile 'alice' does not match/, fix: /aws_secret_access_key/ }, [
    'wrongwrongwrongwrongwrongwrongwrongwrong',
  ])
})

/** Real temporary credentials from the emulator's GetSessionToken, as the two-step recipe makes them. */
async function sessionTokenCredentials(world: World): Promise<{ id: string; secret: string; token: string }> {
  const client = new STSClient({
    region: 'eu-west-1',
    endpoint: world.emulator.url,
    credentials: { accessKeyId: world.alice.accessKeyId, secretAccessKey: world.alice.secretAccessKey },
    maxAttempts: 1,
  })
  const out = await client.send(new GetSessionTokenCommand({ SerialNumber: ALICE_MFA, TokenCode: world.code(), DurationSeconds: 43200 }))
  client.destroy()
  const c = out.Credentials!
  return { id: c.AccessKeyId!, secret: c.SecretAccessKey!, token: c.SessionToken! }
}

t.test('the chained profile is refused before STS, with the 1-hour explanation', async (t) => {
  const world = await makeWorld(t)
  const temp = await sessionTokenCredentials(world)
  world.writeConfig(`[profile chained]\nrole_arn = ${PROD_ROLE}\nsource_profile = sessiontoken\nmfa_serial = ${ALICE_MFA}\n`)
  world.writeCredentials(`[sessiontoken]\naws_access_key_id = ${temp.id}\naws_secret_access_key = ${temp.secret}\naws_session_token = ${temp.token}\n`)
  const before = world.emulator.requests.length
  const result = await world.run(['env', 'chained', '-t', world.code()])
  assertCleanFailure(t, world, result, {
    profile: 'chained',
    exitCode: 2,
    cause: /gets its keys from profile 'sessiontoken', which holds temporary credentials \(a session token\)\. AWS limits a role assumed with temporary credentials to 1 hour\n {2}\("role chaining"\), so the 12 h session asked for would be refused\./,
    fix: /fix: point source_profile at the IAM user's long-term keys \(AKIA…\), or run with --duration 1h/,
  })
  t.equal(world.emulator.requests.length, before, 'STS was not called')

  // Within the 1-hour cap it is allowed, and is a real chained call.
  const oneHour = await world.run(['env', 'chained', '-t', world.code(), '--duration', '1h'])
  t.equal(oneHour.exitCode, 0, oneHour.stderr)
  t.equal(world.emulator.issued.at(-1)?.chained, true)
})

t.test('a source profile that itself assumes a role is refused', async (t) => {
  const world = await makeWorld(t)
  world.writeConfig(`[profile inner]\nrole_arn = ${PROD_ROLE}\nsource_profile = alice\n\n[profile outer]\nrole_arn = ${PROD_ROLE}\nsource_profile = inner\nmfa_serial = ${ALICE_MFA}\n`)
  const result = await world.run(['env', 'outer', '-t', world.code()])
  assertCleanFailure(t, world, result, { profile: 'outer', exitCode: 2, cause: /'inner', which itself assumes a role/ })
  t.equal(world.emulator.requests.length, 0)
})

t.test('an expired source session: ExpiredToken explained', async (t) => {
  const world = await makeWorld(t)
  const temp = await sessionTokenCredentials(world)
  world.writeConfig(`[profile chained]\nrole_arn = ${PROD_ROLE}\nsource_profile = sessiontoken\nmfa_serial = ${ALICE_MFA}\n`)
  world.writeCredentials(`[sessiontoken]\naws_access_key_id = ${temp.id}\naws_secret_access_key = ${temp.secret}\naws_session_token = ${temp.token}\n`)
  world.emulator.inject('expired-session')
  const result = await world.run(['env', 'chained', '-t', world.code(), '-d', '1h'])
  assertCleanFailure(t, world, result, { profile: 'chained', exitCode: 1, cause: /a session that has expired/ }, [temp.secret, temp.token])
})

t.test('throttling is retried with the same code; persistent throttling explained', async (t) => {
  const world = await makeWorld(t)
  world.emulator.inject('throttle', 1)
  const code = world.code()
  const retried = await world.run(['env', 'prod', '-t', code])
  t.equal(retried.exitCode, 0, retried.stderr)
  const calls = world.emulator.requests.map((r) => [r.status, r.params.TokenCode])
  t.same(calls, [[400, code], [200, code]], 'throttled once, then accepted with the same code')

  world.emulator.inject('throttle', 10)
  const throttled = await world.run(['env', 'prod', '-t', world.code()])
  assertCleanFailure(t, world, throttled, { exitCode: 1, cause: /throttling STS requests.*the MFA code was not used/ })
  t.equal(world.emulator.requests.length, 5, 'three attempts, then it gave up')
})

t.test('HTTP 500 is retried, then explained', async (t) => {
  const world = await makeWorld(t)
  world.emulator.inject('http500', 10)
  const result = await world.run(['env', 'prod', '-t', world.code()])
  assertCleanFailure(t, world, result, { exitCode: 1, cause: /STS at http:\/\/127\.0\.0\.1:\d+ failed \(HTTP 500\) even after retries/ })
})

t.test('a malformed answer is explained', async (t) => {
  const world = await makeWorld(t)
  world.emulator.inject('malformed', 10)
  const result = await world.run(['env', 'prod', '-t', world.code()])
  assertCleanFailure(t, world, result, { exitCode: 1, cause: /sent an answer that is not an STS response/ })
})

t.test('an endpoint that never answers: bounded by AWSMFA_STS_TIMEOUT', async (t) => {
  const world = await makeWorld(t)
  world.emulator.inject('hang', 10)
  const result = await world.run(['env', 'prod', '-t', world.code()], { env: { AWSMFA_STS_TIMEOUT: '2' } })
  assertCleanFailure(t, world, result, { exitCode: 1, cause: /no answer from STS at http:\/\/127\.0\.0\.1:\d+ in time/, fix: /check the network/ })
})

t.test('one stalled attempt is abandoned and retried within the bound', async (t) => {
  const world = await makeWorld(t)
  world.emulator.inject('hang', 1)
  const result = await world.run(['env', 'prod', '-t', world.code()], { env: { AWSMFA_STS_TIMEOUT: '6' } })
  t.equal(result.exitCode, 0, result.stderr)
  t.same(world.emulator.requests.map((r) => r.status), [0, 200], 'the first attempt never answered, the second did')
})

t.test('an endpoint that is down names the endpoint', async (t) => {
  const world = await makeWorld(t)
  const port = await new Promise<number>((resolve) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0))
    })
  })
  const result = await world.run(['env', 'prod', '-t', world.code()], { env: { AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${port}` } })
  assertCleanFailure(t, world, result, { exitCode: 1, cause: new RegExp(`could not reach STS at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`) })
})

t.test('local mistakes are refused before any call', async (t) => {
  const world = await makeWorld(t)
  const cases: Array<{ args: string[]; profile?: string; cause: RegExp; env?: Record<string, string> }> = [
    { args: ['env', 'nope', '-t', '123456'], profile: 'nope', cause: /no profile named 'nope'/ },
    { args: ['env', 'pro', '-t', '123456'], profile: 'pro', cause: /no profile named 'pro'/ },
    { args: ['env', 'prod', '-t', '12ab56'], cause: /the MFA code given with --token-code is not 6 digits/ },
    { args: ['env', 'prod', '-t', '123456', '-d', '600'], cause: /--duration 600 is outside what AWS allows/ },
    { args: ['env', 'prod', '-t', '123456', '-d', '13h'], cause: /--duration 13h is outside what AWS allows/ },
    { args: ['env', 'prod', '-t', '123456', '-d', 'soon'], cause: /--duration 'soon' is not a duration/ },
    { args: ['env', 'prod', '-t', '123456', '--session-name', 'a b'], cause: /the session name 'a b' is not one AWS accepts/ },
    { args: ['env', 'prod'], cause: /needs an MFA code, and there is no terminal to ask for one/, env: {} },
    { args: ['env', 'alice', '-t', '123456'], profile: 'alice', cause: /has no role_arn/ },
  ]
  for (const c of cases) {
    const result = await world.run(c.args, c.env === undefined ? {} : { env: c.env })
    t.test(c.args.join(' '), async (t) => {
      assertCleanFailure(t, world, result, { exitCode: 2, cause: c.cause, ...(c.profile === undefined ? {} : { profile: c.profile }) }, ['12ab56'])
    })
  }
  const shell = await world.run(['env', 'prod', '--shell', 'tcsh', '-t', '123456'])
  t.equal(shell.exitCode, 2)
  t.equal(shell.stdout, '')
  t.match(shell.stderr, /--shell 'tcsh' is not a shell awsmfa writes for/)
  t.equal(world.emulator.requests.length, 0, 'not one STS call')
})

t.test('a command line yargs rejects never runs the command (no call, no code spent)', async (t) => {
  const world = await makeWorld(t)
  for (const args of [
    ['env', 'prod', '--unknown', '-t', world.code()],
    ['env', 'prod', 'extra', '-t', world.code()],
    ['env', 'prod', '--token-code'],
  ]) {
    const result = await world.run(args)
    t.equal(result.exitCode, 2, args.join(' '))
    t.equal(result.stdout, '', 'stdout is empty')
    t.match(result.stderr, /^awsmfa: /)
  }
  t.equal(world.emulator.requests.length, 0, 'not one STS call')
})

t.test('--json with --shell, a repeated option, a code typed as a stray word', async (t) => {
  const world = await makeWorld(t)
  const both = await world.run(['env', 'prod', '--json', '--shell', 'bash', '-t', '123456'])
  assertCleanFailure(t, world, both, { exitCode: 2, cause: /--json and --shell ask for two different outputs/ })
  const twice = await world.run(['env', 'prod', '--shell', 'zsh', '--shell', 'bash', '-t', '123456'])
  t.equal(twice.exitCode, 2)
  t.equal(twice.stdout, '')
  t.match(twice.stderr, /^awsmfa: an option was given more than once \(zsh, bash\)/)
  const stray = await world.run(['env', 'prod', '654321', '-t', '123456'])
  t.equal(stray.exitCode, 2)
  t.match(stray.stderr, /env does not take '\*{6}'/)
  t.notMatch(stray.stderr, /654321/, 'the stray code is not echoed')
  t.equal(world.emulator.requests.length, 0)
})

t.test('a command line in the profile is named by its program only (it may hold a seed)', async (t) => {
  const world = await makeWorld(t)
  world.writeConfig(`[profile prod]\nrole_arn = ${PROD_ROLE}\nsource_profile = alice\nmfa_serial = ${ALICE_MFA}\nmfa_process = oathtool --totp -b JBSWY3DPEHPK3PXP\n`)
  const result = await world.run(['env', 'prod'], { env: { PATH: '/nonexistent' } })
  assertCleanFailure(t, world, result, { exitCode: 1, cause: /mfa_process could not be started/, fix: /check that oathtool is installed/ }, ['JBSWY3DPEHPK3PXP'])
})

t.test('broken config files', async (t) => {
  const world = await makeWorld(t)
  world.writeConfig('[profile prod]\nrole_arn = x\0\0binary')
  const binary = await world.run(['env', 'prod', '-t', '123456'])
  t.equal(binary.exitCode, 2)
  t.equal(binary.stdout, '')
  t.match(binary.stderr, /config is not a text file \(it contains NUL bytes\)/)

  const missing = await world.run(['env', 'prod', '-t', '123456'], { env: { AWS_CONFIG_FILE: `${world.home}/nowhere`, AWS_SHARED_CREDENTIALS_FILE: `${world.home}/nowhere2` } })
  t.equal(missing.exitCode, 2)
  t.equal(missing.stdout, '')
  t.match(missing.stderr, /^awsmfa: prod: no profile named 'prod' in .*nowhere/)

  const directory = await world.run(['env', 'prod', '-t', '123456'], { env: { AWS_CONFIG_FILE: world.home } })
  t.equal(directory.exitCode, 2)
  t.match(directory.stderr, /is a directory, not an AWS config file/)

  world.writeConfig(`[profile prod]\nrole_arn = ${PROD_ROLE}\nsource_profile = alice\nmfa_serial = ${ALICE_MFA}\nduration_seconds = forever\n`)
  const badDuration = await world.run(['env', 'prod', '-t', '123456'])
  t.equal(badDuration.exitCode, 2)
  t.match(badDuration.stderr, /^awsmfa: prod: duration_seconds 'forever' is not a duration/)
  t.equal(world.emulator.requests.length, 0)
})

t.test('mfa_process that fails, hangs or prints garbage', async (t) => {
  const world = await makeWorld(t)
  const withProcess = (command: string): void =>
    world.writeConfig(`[profile prod]\nrole_arn = ${PROD_ROLE}\nsource_profile = alice\nmfa_serial = ${ALICE_MFA}\nmfa_process = ${command}\n`)
  withProcess('echo "device locked" >&2; exit 3')
  const fails = await world.run(['env', 'prod'])
  assertCleanFailure(t, world, fails, { exitCode: 1, cause: /mfa_process exited with status 3: device locked/ })
  withProcess("printf 'code%s' 987654")
  const garbage = await world.run(['env', 'prod'])
  assertCleanFailure(t, world, garbage, { exitCode: 1, cause: /mfa_process did not print a 6-digit code/ }, ['code987654'])
  withProcess('sleep 30')
  const hangs = await world.run(['env', 'prod'], { env: { AWSMFA_PROCESS_TIMEOUT: '1' } })
  assertCleanFailure(t, world, hangs, { exitCode: 1, cause: /mfa_process did not print a code within 1 s/ })
  withProcess('no-such-command-awsmfa')
  const missing = await world.run(['env', 'prod'])
  assertCleanFailure(t, world, missing, { exitCode: 1, cause: /mfa_process could not be started/ })
  t.equal(world.emulator.requests.length, 0)
})

t.test('credential_process as the source: used when it prints long-term keys, explained when it fails', async (t) => {
  const world = await makeWorld(t)
  const json = JSON.stringify({ Version: 1, AccessKeyId: world.alice.accessKeyId, SecretAccessKey: world.alice.secretAccessKey })
  world.writeConfig(`[profile prod]\nrole_arn = ${PROD_ROLE}\nsource_profile = vault\nmfa_serial = ${ALICE_MFA}\n\n[profile vault]\ncredential_process = printf '%s' '${json}'\n`)
  world.writeCredentials('')
  const ok = await world.run(['env', 'prod', '-t', world.code()])
  t.equal(ok.exitCode, 0, ok.stderr)
  t.equal(world.emulator.requests[0]?.accessKeyId, world.alice.accessKeyId)

  world.writeConfig(`[profile prod]\nrole_arn = ${PROD_ROLE}\nsource_profile = vault\nmfa_serial = ${ALICE_MFA}\n\n[profile vault]\ncredential_process = sh -c 'echo nope >&2; exit 4'\n`)
  const failed = await world.run(['env', 'prod', '-t', world.code()])
  assertCleanFailure(t, world, failed, { exitCode: 1, cause: /the credential_process of 'vault' exited with status 4: nope/ })
})

t.test('--verbose explains the steps and never shows a secret', async (t) => {
  const world = await makeWorld(t)
  const code = world.code()
  const result = await world.run(['env', 'prod', '-t', code, '--verbose'], { env: { AWSMFA_DEBUG: '1' } })
  t.equal(result.exitCode, 0, result.stderr)
  t.match(result.stderr, /awsmfa: source keys from profile 'alice' \(AKIA…\)/)
  t.match(result.stderr, /awsmfa: AssumeRole arn:aws:iam::123456789034:role\/ServerworksRolePU for 43200 s as 'awsmfa-alice'/)
  t.match(result.stderr, /awsmfa: request id [0-9a-f-]{36}/)
  const issued = world.emulator.issued[0]!
  assertNoSecrets(t, result.stderr, [world.alice.secretAccessKey, world.alice.accessKeyId, issued.secretAccessKey, issued.sessionToken, code])
})
