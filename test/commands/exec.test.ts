/**
 * `awsmfa exec` end to end: the built CLI against the emulator, real children, real signals.
 */
import t from 'tap'
import { execa } from 'execa'
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CLI, PROD_ROLE, SHORT_ROLE, assertNoSecrets, makeWorld, type World } from '../helpers/world.js'

const NODE = process.execPath
/** A child that prints the variables it was given as JSON on stdout. */
const PRINT_ENV = [
  NODE,
  '-e',
  'const o={};for(const [k,v] of Object.entries(process.env))if(/^AWS/.test(k))o[k]=v;console.log(JSON.stringify(o))',
]

function childEnv(stdout: string): Record<string, string> {
  return JSON.parse(stdout) as Record<string, string>
}

const assumeRoleCalls = (world: World): number => world.emulator.requests.filter((r) => r.action === 'AssumeRole').length

t.test('runs the command with the session in its environment; its stdout is the only stdout', async (t) => {
  const world = await makeWorld(t)
  const code = world.code()
  const result = await world.run(['exec', 'prod', '-t', code, '--', ...PRINT_ENV], {
    env: { AWS_PROFILE: 'stale', AWS_DEFAULT_PROFILE: 'stale', AWS_SECURITY_TOKEN: 'old', AWSMFA_SHELL: 'fish' },
  })
  t.equal(result.exitCode, 0, result.stderr)
  const seen = childEnv(result.stdout)
  const issued = world.emulator.issued[0]!
  t.equal(seen.AWS_ACCESS_KEY_ID, issued.accessKeyId)
  t.equal(seen.AWS_SECRET_ACCESS_KEY, issued.secretAccessKey)
  t.equal(seen.AWS_SESSION_TOKEN, issued.sessionToken)
  t.equal(seen.AWSMFA_PROFILE, 'prod')
  t.equal(seen.AWSMFA_ROLE_ARN, PROD_ROLE)
  t.equal(seen.AWS_REGION, 'eu-west-1')
  t.equal(seen.AWSMFA_EXPIRATION, String(Math.floor(issued.expiration.getTime() / 1000)))
  t.notOk('AWS_PROFILE' in seen, 'AWS_PROFILE removed for the child')
  t.notOk('AWS_DEFAULT_PROFILE' in seen)
  t.notOk('AWS_SECURITY_TOKEN' in seen)
  t.notOk('AWSMFA_SHELL' in seen, 'the integration\'s AWSMFA_SHELL is not handed on (the command may be a script in another shell)')
  t.equal(seen.AWS_CONFIG_FILE, world.configPath, 'the rest of the caller\'s environment is inherited')
  t.equal(assumeRoleCalls(world), 1, 'one AssumeRole')
  t.equal(world.emulator.requests[0]?.params.DurationSeconds, '43200')
  t.equal(result.stderr, '', 'awsmfa itself says nothing on success')
  assertNoSecrets(t, result.stderr, [issued.secretAccessKey, issued.sessionToken, code, world.alice.secretAccessKey])
})

t.test('passes the child\'s exit code through', async (t) => {
  const world = await makeWorld(t)
  const zero = await world.run(['exec', 'prod', '-t', world.code(), '--', 'sh', '-c', 'exit 0'])
  t.equal(zero.exitCode, 0, zero.stderr)
  const seven = await world.run(['exec', 'prod', '-t', world.code(), '--', 'sh', '-c', 'echo out; echo err >&2; exit 7'])
  t.equal(seven.exitCode, 7)
  t.equal(seven.stdout, 'out\n')
  t.equal(seven.stderr, 'err\n', 'the child\'s stderr, and nothing from awsmfa')
})

t.test('127 for a command that is not there, 126 for one that cannot run, before any MFA code is spent', async (t) => {
  const world = await makeWorld(t)
  const missing = await world.run(['exec', 'prod', '-t', '123456', '--', 'no-such-command-awsmfa', '--flag'])
  t.equal(missing.exitCode, 127)
  t.equal(missing.stdout, '')
  t.match(missing.stderr, /^awsmfa: command not found: 'no-such-command-awsmfa'\n  fix: .*PATH/)
  t.equal(missing.stderr.split('\n').filter((line) => line.startsWith('awsmfa:')).length, 1, 'one message')

  const script = join(world.scratch, 'not-executable.sh')
  writeFileSync(script, '#!/bin/sh\necho hi\n')
  chmodSync(script, 0o644)
  const denied = await world.run(['exec', 'prod', '-t', '123456', '--', script])
  t.equal(denied.exitCode, 126)
  t.equal(denied.stdout, '')
  t.match(denied.stderr, /^awsmfa: cannot run '.*not-executable\.sh': it is not an executable file\n  fix: make it executable/)

  const directory = await world.run(['exec', 'prod', '-t', '123456', '--', world.scratch])
  t.equal(directory.exitCode, 126, 'a directory is not executable')

  const relative = await world.run(['exec', 'prod', '-t', '123456', '--', './nowhere/tool'])
  t.equal(relative.exitCode, 127)
  t.match(relative.stderr, /fix: check the path/)
  t.equal(world.emulator.requests.length, 0, 'no STS call, so no code was used')
})

t.test('the session reaches the child and never the calling shell', async (t) => {
  const world = await makeWorld(t)
  const script = `${JSON.stringify(NODE)} ${JSON.stringify(CLI)} exec prod -t ${world.code()} -- printenv AWSMFA_PROFILE; ` +
    'echo "status=$?"; echo "caller=${AWSMFA_PROFILE-unset} ${AWS_SESSION_TOKEN-unset}"'
  const result = await execa('bash', ['--norc', '--noprofile', '-c', script], { env: world.env(), extendEnv: false, reject: false })
  t.equal(result.exitCode, 0, result.stderr)
  t.equal(result.stdout, 'prod\nstatus=0\ncaller=unset unset')
})

t.test('arguments after -- reach the child verbatim, options and numbers included', async (t) => {
  const world = await makeWorld(t)
  const printArgs = join(world.scratch, 'args.mjs')
  writeFileSync(printArgs, 'console.log(JSON.stringify(process.argv.slice(2)))\n')
  const args = ['-l', '--region', 'x', '0x10', '007', '--', '-t', '--help', '--version', 'a b', '$HOME', '']
  const result = await world.run(['exec', 'prod', '-t', world.code(), '--', NODE, printArgs, ...args])
  t.equal(result.exitCode, 0, result.stderr)
  t.same(JSON.parse(result.stdout), args)
  t.equal(world.emulator.requests[0]?.params.TokenCode?.length, 6, 'awsmfa took -t before -- as its own')
})

t.test('usage errors: no command, or child options without --', async (t) => {
  const world = await makeWorld(t)
  const none = await world.run(['exec', 'prod', '--'])
  t.equal(none.exitCode, 2)
  t.equal(none.stdout, '')
  t.match(none.stderr, /^awsmfa: name the command to run after --\n  fix: awsmfa exec prod -- /)

  const ambiguous = await world.run(['exec', 'prod', 'ls', '-l'])
  t.equal(ambiguous.exitCode, 2)
  t.equal(ambiguous.stdout, '')
  t.match(ambiguous.stderr, /^awsmfa: exec has no option -l\n  fix: options for awsmfa go before --/, 'strict parsing refuses the child\'s option instead of eating it')

  const plain = await world.run(['exec', 'nomfa', 'sh', '-c', 'exit 3'])
  t.equal(plain.exitCode, 2, 'an option-looking word anywhere needs --')
  const noOptions = await world.run(['exec', 'nomfa', 'true'])
  t.equal(noOptions.exitCode, 0, 'a command without any options runs without --')

  const badMin = await world.run(['exec', 'prod', '--min-remaining', 'soon', '--', 'true'])
  t.equal(badMin.exitCode, 2)
  t.match(badMin.stderr, /--min-remaining 'soon' is not a duration/)
  t.equal(world.emulator.requests.filter((r) => r.action === 'AssumeRole' && r.params.RoleArn === PROD_ROLE).length, 0)
})

t.test('a failed AssumeRole: non-zero, empty stdout, one message, no secrets, the child never runs', async (t) => {
  const world = await makeWorld(t)
  const marker = join(world.scratch, 'ran')
  const good = world.code()
  const wrong = good === '000000' ? '111111' : '000000'
  const result = await world.run(['exec', 'prod', '-t', wrong, '--', 'sh', '-c', `touch ${JSON.stringify(marker)}`])
  t.equal(result.exitCode, 1)
  t.equal(result.stdout, '')
  t.match(result.stderr, /^awsmfa: prod: AWS rejected the MFA code/)
  t.notOk(existsSync(marker), 'the command did not run')
  assertNoSecrets(t, result.stderr, [world.alice.secretAccessKey, wrong])

  const noTerminal = await world.run(['exec', 'prod', '--', 'true'])
  t.equal(noTerminal.exitCode, 2)
  t.match(noTerminal.stderr, /no terminal to ask for one/)
})

t.test('SIGTERM to awsmfa reaches the child, which decides how to end', async (t) => {
  const world = await makeWorld(t)
  const ready = join(world.scratch, 'ready')
  const marker = join(world.scratch, 'got-term')
  const child = `trap 'echo TERM > ${JSON.stringify(marker).slice(1, -1)}; exit 42' TERM; : > ${JSON.stringify(ready).slice(1, -1)}; while :; do sleep 0.05; done`
  const running = world.start(['exec', 'prod', '-t', world.code(), '--', 'sh', '-c', child])
  const deadline = Date.now() + 20_000
  while (!existsSync(ready) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25))
  t.ok(existsSync(ready), 'the child started')
  running.kill('SIGTERM')
  const result = await running
  t.equal(readFileSync(marker, 'utf8'), 'TERM\n', 'the child trapped SIGTERM')
  t.equal(result.exitCode, 42, 'and awsmfa exited with the child\'s code')
  t.equal(String(result.stderr), '')
})

t.test('SIGINT and SIGHUP are forwarded too; a child killed by a signal gives 128+n', async (t) => {
  const world = await makeWorld(t)
  for (const [signal, number] of [['SIGINT', 2], ['SIGHUP', 1]] as const) {
    const ready = join(world.scratch, `ready-${signal}`)
    // No trap: the default action ends the child, and awsmfa reports it as a shell would.
    const running = world.start(['exec', 'prod', '-t', world.code(), '--', NODE, '-e', `require('fs').writeFileSync(${JSON.stringify(ready)}, ''); setInterval(() => {}, 1000)`])
    const deadline = Date.now() + 20_000
    while (!existsSync(ready) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25))
    t.ok(existsSync(ready), `child started (${signal})`)
    running.kill(signal)
    const result = await running
    t.equal(result.exitCode, 128 + number, `${signal}: 128+${number}`)
  }
})

t.test('reuses this terminal\'s session for the same profile when enough is left', async (t) => {
  const world = await makeWorld(t)
  const session = await world.sessionEnv('prod', ['--duration', '1h'])
  t.equal(assumeRoleCalls(world), 1)

  const reused = await world.run(['exec', 'prod', '-v', '--', ...PRINT_ENV], { env: session })
  t.equal(reused.exitCode, 0, reused.stderr)
  t.equal(assumeRoleCalls(world), 1, 'no STS call: the session was reused')
  t.equal(world.emulator.requests.length, 1, 'no request of any kind')
  t.equal(childEnv(reused.stdout).AWS_ACCESS_KEY_ID, session.AWS_ACCESS_KEY_ID, 'the same keys')
  t.match(reused.stderr, /reusing this terminal's session for prod \((59m|1h00m) left\)/)

  const enough = await world.run(['exec', 'prod', '--min-remaining', '45m', '--', 'true'], { env: session })
  t.equal(enough.exitCode, 0, enough.stderr)
  t.equal(assumeRoleCalls(world), 1, '45m wanted, about 1h left: reused')

  const tooLittle = await world.run(['exec', 'prod', '--min-remaining', '2h', '-t', world.code(), '--', ...PRINT_ENV], { env: session })
  t.equal(tooLittle.exitCode, 0, tooLittle.stderr)
  t.equal(assumeRoleCalls(world), 2, 'less than --min-remaining left: a new AssumeRole')
  t.not(childEnv(tooLittle.stdout).AWS_ACCESS_KEY_ID, session.AWS_ACCESS_KEY_ID, 'with new keys')

  const otherProfile = await world.run(['exec', 'readonly', '-d', '1h', '-t', world.code(), '--', ...PRINT_ENV], { env: session })
  t.equal(otherProfile.exitCode, 0, otherProfile.stderr)
  t.equal(assumeRoleCalls(world), 3, 'another profile: a new AssumeRole')
  const call = world.emulator.requests.at(-1)!
  t.equal(call.params.RoleArn, SHORT_ROLE)
  t.equal(call.accessKeyId, world.alice.accessKeyId, 'signed with the long-term keys, not the terminal\'s session')
  t.equal(childEnv(otherProfile.stdout).AWSMFA_PROFILE, 'readonly')

  const expired = { ...session, AWSMFA_EXPIRATION: String(Math.floor(Date.now() / 1000) - 60) }
  const noCode = await world.run(['exec', 'prod', '--', 'true'], { env: expired })
  t.equal(noCode.exitCode, 2, 'an expired session is not reused: a code is needed')
  t.equal(assumeRoleCalls(world), 3)

  const partial = { ...session, AWS_SESSION_TOKEN: undefined }
  const notReused = await world.run(['exec', 'prod', '--', 'true'], { env: partial })
  t.equal(notReused.exitCode, 2, 'a session with a key missing is not reused')
})
