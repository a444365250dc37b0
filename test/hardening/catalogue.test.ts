/**
 * The failure catalogue (docs/failures.md), the rows not already proven in test/env-errors.e2e.test.ts:
 * 10 MB config files, an unreadable config (a real EACCES, also when the suite runs as root),
 * broken profiles, keys that cannot be sent, a FIFO as the config, mfa_process output with
 * terminal escapes, and Ctrl-C at the real MFA prompt in tmux (terminal state unchanged) next to
 * a code typed at that prompt. Every failure: non-zero exit, empty stdout, no secret or code, no
 * stack trace, and it finishes.
 */
import t, { type Test } from 'tap'
import { execa } from 'execa'
import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { explainStsError } from '../../lib/sts.js'
import { assertNoLeaks } from '../helpers/leaks.js'
import { requireShell } from '../helpers/shells.js'
import { requireRow, shellRow } from '../helpers/shell-table.js'
import { Tmux } from '../helpers/tmux.js'
import { ALICE_MFA, CLI, PROD_ROLE, defaultConfig, makeWorld, type RunResult, type World } from '../helpers/world.js'

const STACK = /\n\s+at .+:\d+:\d+/

function assertCleanFailure(t: Test, world: World, result: RunResult, exitCode: number, cause: RegExp, codes: string[] = []): void {
  t.equal(result.exitCode, exitCode, `exit ${exitCode}`)
  t.equal(result.stdout, '', 'stdout is empty')
  t.match(result.stderr, cause, 'the cause')
  t.match(result.stderr, /\n {2}fix: \S/, 'a fix')
  t.notMatch(result.stderr, STACK, 'no stack trace')
  assertNoLeaks(t, world, { text: result.stderr, codes })
}

const TEN_MB = 10 * 1024 * 1024

/** About 10 MB of valid profiles (over 60,000), `prod` (from the default config) in the middle. */
function bigValidConfig(): string {
  const parts: string[] = []
  let size = 0
  for (let i = 0; size < TEN_MB; i++) {
    const text = `[profile p${i}]\nrole_arn = arn:aws:iam::123456789034:role/Role${i}\nsource_profile = alice\nmfa_serial = ${ALICE_MFA}\nregion = eu-west-1\n\n`
    parts.push(text)
    size += text.length
  }
  const middle = Math.floor(parts.length / 2)
  return [...parts.slice(0, middle), defaultConfig(), '\n', ...parts.slice(middle)].join('')
}

t.test('10 MB config files: valid, printable garbage, invalid UTF-8, binary — each finishes', async (t) => {
  const world = await makeWorld(t)
  const timings: string[] = []
  const timed = async (label: string, args: string[]): Promise<RunResult> => {
    const started = Date.now()
    const result = await world.run(args)
    timings.push(`${label} ${Date.now() - started} ms`)
    return result
  }

  world.writeConfig(bigValidConfig())
  t.ok(readFileSync(world.configPath).length >= TEN_MB, 'the valid config is 10 MB')
  const code = world.code()
  const ok = await timed('valid: env prod', ['env', 'prod', '-t', code])
  t.equal(ok.exitCode, 0, ok.stderr)
  t.match(ok.stdout, /^builtin export AWSMFA_PROFILE='prod';$|^\\export AWSMFA_PROFILE='prod';$/m, 'prod found among 60,000 profiles')
  const unknown = await timed('valid: env nope', ['env', 'nope', '-t', '123456'])
  assertCleanFailure(t, world, unknown, 2, /^awsmfa: nope: no profile named 'nope'/)
  const list = await timed('valid: list --json', ['list', '--json'])
  t.equal(list.exitCode, 0, list.stderr)
  t.ok((JSON.parse(list.stdout) as unknown[]).length > 60_000, 'list reads every profile')

  // Printable garbage: brackets, equals signs and escapes, no NUL.
  const alphabet = '[]=#; \t\nabcxyz0123$`\'"\\\x1b\x07'
  const garbage = Array.from(randomBytes(TEN_MB), (b) => alphabet[b % alphabet.length]).join('')
  world.writeConfig(garbage)
  const printableGarbage = await timed('printable garbage: env prod', ['env', 'prod', '-t', '123456'])
  assertCleanFailure(t, world, printableGarbage, 2, /^awsmfa: prod: no profile named 'prod'/)
  t.notMatch(printableGarbage.stderr, /[\x07\x1b]/, 'no raw escape from the garbage')

  // Every byte but NUL: invalid UTF-8 is read as U+FFFD, never a crash.
  const bytes = randomBytes(TEN_MB).map((b) => (b === 0 ? 1 : b))
  writeFileSync(world.configPath, bytes)
  const invalidUtf8 = await timed('invalid UTF-8: env prod', ['env', 'prod', '-t', '123456'])
  assertCleanFailure(t, world, invalidUtf8, 2, /^awsmfa: prod: no profile named 'prod'/)

  writeFileSync(world.configPath, randomBytes(TEN_MB))
  const binary = await timed('binary: env prod', ['env', 'prod', '-t', '123456'])
  assertCleanFailure(t, world, binary, 2, /config is not a text file \(it contains NUL bytes\)/)

  world.writeConfig(defaultConfig())
  writeFileSync(world.credentialsPath, randomBytes(TEN_MB))
  const binaryCredentials = await timed('binary credentials: env prod', ['env', 'prod', '-t', '123456'])
  assertCleanFailure(t, world, binaryCredentials, 2, /credentials is not a text file \(it contains NUL bytes\)/)
  t.equal(world.emulator.requests.length, 1, 'only the valid run called STS')
  t.comment(`10 MB files: ${timings.join('; ')}`)
})

t.test('an unreadable config: a real EACCES (as root, the CLI runs as nobody)', async (t) => {
  const world = await makeWorld(t)
  const root = process.getuid?.() === 0
  // As root, chmod 000 is still readable: drop to an unprivileged user for the run instead.
  const runAs = async (args: string[]): Promise<RunResult> => {
    if (!root) return world.run(args)
    const setpriv = await requireShell(t, 'setpriv')
    // env -u: tap's process-info hook (NODE_OPTIONS) would try to write under the repo as nobody.
    const result = await execa(setpriv, ['--reuid=65534', '--regid=65534', '--clear-groups', 'env', '-u', 'NODE_OPTIONS', process.execPath, CLI, ...args], {
      env: world.env(),
      extendEnv: false,
      reject: false,
      stripFinalNewline: false,
      stdin: 'ignore',
      timeout: 60_000,
    })
    return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) }
  }
  chmodSync(world.home, 0o755)
  chmodSync(join(world.home, '.aws'), 0o755)
  chmodSync(world.credentialsPath, 0o644)
  chmodSync(world.configPath, 0o000)
  const config = await runAs(['env', 'prod', '-t', '123456'])
  assertCleanFailure(t, world, config, 2, /^awsmfa: cannot read .*\/\.aws\/config \(EACCES\)\n {2}fix: check the file's permissions: chmod 600 /)
  chmodSync(world.configPath, 0o644)
  chmodSync(world.credentialsPath, 0o000)
  const credentials = await runAs(['env', 'prod', '-t', '123456'])
  assertCleanFailure(t, world, credentials, 2, /^awsmfa: cannot read .*\/\.aws\/credentials \(EACCES\)/)
  const list = await runAs(['list'])
  t.equal(list.exitCode, 2, 'list: exit 2')
  t.equal(list.stdout, '')
  t.match(list.stderr, /cannot read .*credentials \(EACCES\)/)
  t.equal(world.emulator.requests.length, 0)
  t.comment(root ? 'ran as root: the CLI ran as nobody (setpriv), so EACCES is real' : 'ran unprivileged: chmod 000 gives EACCES')
})

t.test('broken profiles are refused before any call', async (t) => {
  const world = await makeWorld(t)
  world.writeConfig(`${defaultConfig()}
[profile nosource]
role_arn = ${PROD_ROLE}
mfa_serial = ${ALICE_MFA}

[profile both]
role_arn = ${PROD_ROLE}
source_profile = alice
credential_source = Environment

[profile ec2]
role_arn = ${PROD_ROLE}
credential_source = Ec2InstanceMetadata

[profile lost]
role_arn = ${PROD_ROLE}
source_profile = nobody-here

[profile nokeys]
role_arn = ${PROD_ROLE}
source_profile = empty

[profile empty]
region = eu-west-1

[profile envsrc]
role_arn = ${PROD_ROLE}
credential_source = Environment
`)
  const cases: Array<[string, RegExp]> = [
    ['nosource', /^awsmfa: nosource: has neither source_profile nor credential_source/],
    ['both', /^awsmfa: both: sets both source_profile and credential_source; AWS accepts only one/],
    ['ec2', /^awsmfa: ec2: uses credential_source = Ec2InstanceMetadata, which awsmfa does not support/],
    ['lost', /^awsmfa: lost: names source_profile 'nobody-here', which is not in /],
    ['nokeys', /^awsmfa: nokeys: gets its keys from 'empty', which has no aws_access_key_id\/aws_secret_access_key and no credential_process/],
    ['envsrc', /^awsmfa: envsrc: uses credential_source = Environment, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set/],
  ]
  for (const [profile, cause] of cases) {
    t.test(profile, async (t) => assertCleanFailure(t, world, await world.run(['env', profile, '-t', '123456']), 2, cause))
  }
  t.equal(world.emulator.requests.length, 0, 'not one STS call')
})

t.test('keys that cannot be sent in an HTTP header are refused at once, before the code is asked for', async (t) => {
  const world = await makeWorld(t)
  // A typographic quote picked up when the key was copied from a document.
  world.writeCredentials(`[alice]\naws_access_key_id = ${world.alice.accessKeyId}’\naws_secret_access_key = ${world.alice.secretAccessKey}\n`)
  const quoted = await world.run(['env', 'prod'])
  assertCleanFailure(t, world, quoted, 2, /^awsmfa: prod: the access key id from profile 'alice' holds characters no access key has/)
  t.notMatch(quoted.stderr, /MFA code for/, 'no code was asked for')
  world.writeCredentials(`[alice]\naws_access_key_id = ASIAEXAMPLETEMPORARY\naws_secret_access_key = ${world.alice.secretAccessKey}\naws_session_token = IQoJb3 JpZ2luX2Vj\n`)
  const spaced = await world.run(['env', 'prod', '-d', '1h', '-t', '123456'])
  assertCleanFailure(t, world, spaced, 2, /^awsmfa: prod: the session token from profile 'alice' holds characters no session token has/)
  t.equal(world.emulator.requests.length, 0, 'nothing was sent')

  // Where such keys still reach the HTTP client (status --verify reads them from the environment):
  const error = Object.assign(new TypeError('Invalid character in header content ["x-amz-security-token"]'), { code: 'ERR_INVALID_CHAR' })
  const explained = explainStsError(error, { profile: 'prod', roleArn: PROD_ROLE, mfaSerial: undefined, durationSeconds: 3600, sourceOrigin: "profile 'alice'", endpointShown: 'https://sts.eu-west-1.amazonaws.com' })
  t.match(explained.message, /the keys of profile 'alice' hold a character that cannot be sent to AWS; nothing was sent/)
  t.notMatch(explained.message, /could not reach/, 'not blamed on the network')
})

t.test('the config as a FIFO: read when something writes it; Ctrl-C ends the wait when nothing does', async (t) => {
  const world = await makeWorld(t)
  const bash = requireRow(t, shellRow('bash'))
  if (bash === undefined) return
  // Process substitution, as in AWS_CONFIG_FILE=<(generate-config) awsmfa env prod
  const code = world.code()
  const substituted = await execa(bash, ['-c', 'AWS_CONFIG_FILE=<(cat "$1") exec "$2" "$3" env prod -t "$4"', 'bash', world.configPath, process.execPath, CLI, code], {
    env: world.env(),
    extendEnv: false,
    reject: false,
  })
  t.equal(substituted.exitCode, 0, String(substituted.stderr))
  t.match(String(substituted.stdout), /AWSMFA_PROFILE='prod'/)

  const mkfifo = await requireShell(t, 'mkfifo')
  const fifo = join(world.scratch, 'config.fifo')
  await execa(mkfifo, [fifo])
  const waiting = world.start(['env', 'prod', '-t', '123456'], { env: { AWS_CONFIG_FILE: fifo } })
  await new Promise((resolve) => setTimeout(resolve, 1000))
  t.equal(waiting.exitCode, null, 'with no writer it waits, as the AWS CLI does')
  waiting.kill('SIGINT')
  const ended = await waiting
  t.equal(ended.signal, 'SIGINT', 'Ctrl-C ends it (the shell reports 130)')
  t.equal(String(ended.stdout), '', 'stdout is empty')
  t.equal(world.emulator.requests.length, 1, 'only the substituted run called STS')
})

t.test('mfa_process output with terminal escapes: shown escaped, a code-like value never echoed', async (t) => {
  const world = await makeWorld(t)
  const withProcess = (command: string): void =>
    world.writeConfig(`[profile prod]\nrole_arn = ${PROD_ROLE}\nsource_profile = alice\nmfa_serial = ${ALICE_MFA}\nmfa_process = ${command}\n`)
  withProcess(`printf '\\033]0;pwned\\007\\033[2Jlocked 314159\\n' >&2; exit 5`)
  const escapes = await world.run(['env', 'prod'])
  assertCleanFailure(t, world, escapes, 1, /^awsmfa: prod: mfa_process exited with status 5: \\x1b\]0;pwned\\x07\\x1b\[2Jlocked/)
  t.notMatch(escapes.stderr, /[\x07\x1b]/, 'no raw escape')
  // The command computes the code, so its text does not hold it; only its output does.
  withProcess(`printf '\\033[31m%s\\033[0m\\n' $((271000 + 828))`)
  const coloured = await world.run(['env', 'prod'])
  assertCleanFailure(t, world, coloured, 1, /mfa_process did not print a 6-digit code/, ['271828'])
  t.equal(world.emulator.requests.length, 0)
})

/** The environment of an interactive bash in tmux for this world. */
async function promptSession(t: Test, world: World): Promise<{ tmux: Tmux; dir: string }> {
  // bash here is the terminal's shell, not a row under test: a tool the suite needs
  const bash = await requireShell(t, 'bash')
  const tmuxPath = await requireShell(t, 'tmux')
  const dir = join(world.scratch, 'tty')
  mkdirSync(dir)
  const rc = join(dir, 'bashrc')
  // No history file: bash would write one into HOME when tmux hangs up on it.
  writeFileSync(rc, "PS1='$ '\nunset HISTFILE\n")
  const tmux = await Tmux.start(t, tmuxPath, {
    command: [bash, '--noprofile', '--rcfile', rc, '-i'],
    env: { ...world.env(), AWSMFA_CLI: CLI, NODE: process.execPath },
    cwd: dir,
  })
  await tmux.waitForMatch(/^\$$/m)
  return { tmux, dir }
}

t.test('Ctrl-C at the real MFA prompt in tmux: exit 130, stdout empty, terminal state unchanged', async (t) => {
  const world = await makeWorld(t)
  const { tmux, dir } = await promptSession(t, world)
  await tmux.line('stty -a > stty.before; echo ready')
  await tmux.waitForMatch(/^ready$/m)
  // stdout into a file, not the terminal (as inside $(…)); the prompt still reaches the terminal.
  // Not $(…) itself here: bash treats a command substitution that exits 130 as its own Ctrl-C and
  // abandons the rest of the line (see below), so the status could not be printed.
  await tmux.line(`bash -c '"$NODE" "$AWSMFA_CLI" env prod > out.txt; echo "rc=$?"'`)
  await tmux.waitForMatch(/^MFA code for prod \(arn:aws:iam::123456789012:mfa\/alice\):$/m)
  await tmux.keys(['C-c'])
  const [, rc] = await tmux.waitForMatch(/^rc=(\d+)$/m)
  t.equal(rc, '130', 'exit status 130')
  t.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), '', 'stdout is empty')
  const screen = await tmux.screen()
  t.match(screen, /awsmfa: prod: interrupted at the MFA prompt; nothing was changed/, 'says nothing changed')
  t.notMatch(screen, STACK, 'no stack trace')
  // The interactive way: eval "$(…)" at the prompt, Ctrl-C: bash abandons the line (not-reached
  // never prints) and the shell holds no session.
  await tmux.line('eval "$("$NODE" "$AWSMFA_CLI" env prod)"; echo not-reached')
  await tmux.waitFor('the second prompt', (s) => (s.match(/MFA code for prod/g) ?? []).length === 2)
  await tmux.keys(['C-c'])
  await tmux.waitFor('the second message', (s) => (s.match(/interrupted at the MFA prompt/g) ?? []).length === 2)
  await tmux.line('echo "after-eval=[${AWSMFA_PROFILE-unset}]"')
  t.equal((await tmux.waitForMatch(/^after-eval=\[(.*)\]$/m))[1], 'unset', 'eval "$(…)" after Ctrl-C leaves the shell unchanged')
  t.notMatch(await tmux.screen(), /^not-reached$/m, 'bash abandoned the rest of the line')
  await tmux.line('stty -a > stty.after; echo done')
  await tmux.waitForMatch(/^done$/m)
  t.equal(readFileSync(join(dir, 'stty.after'), 'utf8'), readFileSync(join(dir, 'stty.before'), 'utf8'), 'stty -a is the same before and after')
  t.equal(world.emulator.requests.length, 0, 'no STS call')
  assertNoLeaks(t, world, { text: screen, paths: [dir] })
})

t.test('a code typed at the real MFA prompt works inside eval "$(…)"', async (t) => {
  const world = await makeWorld(t)
  const { tmux, dir } = await promptSession(t, world)
  await tmux.line('stty -a > stty.before; echo ready')
  await tmux.waitForMatch(/^ready$/m)
  await tmux.line('eval "$("$NODE" "$AWSMFA_CLI" env prod)"; echo "rc=$? profile=[$AWSMFA_PROFILE] key=[$AWS_ACCESS_KEY_ID]"')
  await tmux.waitForMatch(/^MFA code for prod \(arn:aws:iam::123456789012:mfa\/alice\):$/m)
  const code = world.code()
  await tmux.line(code)
  const [, rc, profile, key] = await tmux.waitForMatch(/^rc=(\d+) profile=\[(.*)\] key=\[(.*)\]$/m)
  t.equal(rc, '0')
  t.equal(profile, 'prod', 'the session is in the shell')
  t.equal(key, world.emulator.issued[0]?.accessKeyId)
  t.equal(world.emulator.requests[0]?.params.TokenCode, code, 'the typed code was sent')
  await tmux.line('stty -a > stty.after; echo done')
  await tmux.waitForMatch(/^done$/m)
  t.equal(readFileSync(join(dir, 'stty.after'), 'utf8'), readFileSync(join(dir, 'stty.before'), 'utf8'), 'stty -a is the same before and after')
  const screen = await tmux.screen()
  t.match(screen, /^prod: ServerworksRolePU in 123456789034 until \d\d:\d\d \(12h00m\)$/m, 'the summary line on the terminal')
  // The typed code is echoed by the terminal itself on the prompt line; awsmfa never prints it again.
  t.equal(screen.split(code).length - 1, 1, 'the code appears once: where it was typed')
  assertNoLeaks(t, world, { paths: [join(dir, 'stty.before'), join(dir, 'stty.after')], codes: [code] })
})

t.test('Ctrl-D at the real MFA prompt: the terminal closed, exit 130, stdout empty', async (t) => {
  const world = await makeWorld(t)
  const { tmux, dir } = await promptSession(t, world)
  await tmux.line(`bash -c '"$NODE" "$AWSMFA_CLI" env prod > out.txt; echo "rc=$?"'`)
  await tmux.waitForMatch(/^MFA code for prod \(arn:aws:iam::123456789012:mfa\/alice\):$/m)
  await tmux.keys(['C-d'])
  const [, rc] = await tmux.waitForMatch(/^rc=(\d+)$/m)
  t.equal(rc, '130', 'exit status 130')
  t.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), '', 'stdout is empty')
  t.match(await tmux.screen(), /awsmfa: prod: the terminal closed before an MFA code was typed\n {2}fix: type the code, then Enter/)
  t.equal(world.emulator.requests.length, 0, 'no STS call')
})

/** Every STS answer in DESIGN.md, exactly as the SDK reports it, and what awsmfa makes of it. */
const AWS_ANSWERS: Array<{ name: string; status: number; message: string; exitCode: number; cause: RegExp }> = [
  { name: 'ValidationError', status: 400, message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.', exitCode: 1, cause: /AWS treated this as role chaining/ },
  { name: 'ValidationError', status: 400, message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', exitCode: 1, cause: /the role ServerworksRolePU allows shorter sessions than the 43200 s asked for/ },
  { name: 'ValidationError', status: 400, message: "1 validation error detected: Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900", exitCode: 1, cause: /AWS refused the request: 1 validation error detected: Value '600' at 'durationSeconds'/ },
  { name: 'AccessDenied', status: 403, message: 'MultiFactorAuthentication failed with invalid MFA one time pass code.', exitCode: 1, cause: /AWS rejected the MFA code\. Each code works once/ },
  { name: 'AccessDenied', status: 403, message: 'MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.', exitCode: 1, cause: /AWS did not accept the MFA device/ },
  { name: 'AccessDenied', status: 403, message: 'User: arn:aws:iam::111:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222:role/Admin', exitCode: 1, cause: /AWS says arn:aws:iam::111:user\/alice may not assume/ },
  { name: 'InvalidClientTokenId', status: 403, message: 'The security token included in the request is invalid.', exitCode: 1, cause: /AWS does not know the access key of profile 'alice'/ },
  { name: 'SignatureDoesNotMatch', status: 403, message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.', exitCode: 1, cause: /the secret key of profile 'alice' does not match its access key/ },
  { name: 'ExpiredToken', status: 403, message: 'The security token included in the request is expired', exitCode: 1, cause: /the keys of profile 'alice' are a session that has expired/ },
  { name: 'Throttling', status: 400, message: 'Rate exceeded', exitCode: 1, cause: /AWS is throttling STS requests right now, even after retries; the MFA code was not used/ },
  { name: 'ValidationError', status: 400, message: "1 validation error detected: Value 'a b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*", exitCode: 2, cause: /AWS refused the session name/ },
]

t.test('every STS answer in DESIGN.md is explained (cause, fix, exit code)', async (t) => {
  for (const answer of AWS_ANSWERS) {
    const error = Object.assign(new Error(answer.message), { name: answer.name, $metadata: { httpStatusCode: answer.status } })
    const explained = explainStsError(error, { profile: 'prod', roleArn: PROD_ROLE, mfaSerial: ALICE_MFA, durationSeconds: 43200, sourceOrigin: "profile 'alice'", endpointShown: 'https://sts.eu-west-1.amazonaws.com' })
    t.equal(explained.exitCode, answer.exitCode, `${answer.name} (${answer.message.slice(0, 40)}…): exit ${answer.exitCode}`)
    t.match(explained.message, answer.cause)
    t.ok(explained.fix, 'with a fix')
    t.equal(explained.profile, 'prod', 'naming the profile')
  }
})

t.test('a credential_process that hangs, and use/clear without the shell integration', async (t) => {
  const world = await makeWorld(t)
  world.writeConfig(`${defaultConfig()}\n[profile viavault]\nrole_arn = ${PROD_ROLE}\nsource_profile = vault\n\n[profile vault]\ncredential_process = sleep 30\n`)
  const hangs = await world.run(['env', 'viavault', '-t', '123456'], { env: { AWSMFA_PROCESS_TIMEOUT: '1' } })
  assertCleanFailure(t, world, hangs, 1, /^awsmfa: viavault: the credential_process of 'vault' did not finish within 1 s\n {2}fix: run it by hand to see where it waits\n$/)
  for (const args of [['use', 'prod'], ['clear']]) {
    const result = await world.run(args)
    assertCleanFailure(t, world, result, 2, /^awsmfa: use and clear change the current shell, so they need the shell integration\n {2}fix: add it to your shell: eval "\$\(awsmfa init bash\)"/)
  }
  t.equal(world.emulator.requests.length, 0)
})
