/**
 * The exec command in-process: the child is scripted through Deps (what it was asked to run, how
 * it ends, which signals reach it); files are real, and the STS call is the real SDK over HTTP to
 * the emulator. The real child and real signals: test/commands/exec*.test.ts.
 */
import t from 'tap'
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { main } from '../../lib/cli.js'
import type { ChildExit } from '../../lib/deps.js'
import { fakeDeps, type ChildScript } from '../helpers/deps.js'
import { NOMFA_ROLE, PROD_ROLE, makeWorld, type World } from '../helpers/world.js'

process.env.AWS_EC2_METADATA_DISABLED = 'true'
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

const ends = (exit: ChildExit): ChildScript => async () => exit
const assumeRoleCalls = (world: World): number => world.emulator.requests.filter((r) => r.action === 'AssumeRole').length

/**
 * What a terminal holds after `awsmfa use prod`: the environment exec gave its child. Later runs
 * with it reuse the session, so they need no MFA code (a world hands out two per 30 s).
 */
async function heldSession(world: World): Promise<Record<string, string>> {
  const deps = fakeDeps({ env: world.env(), child: ends({ kind: 'exited', exitCode: 0 }) })
  const exit = await main(['exec', 'prod', '-t', world.code(), '--', 'sh'], deps)
  const env = deps.children[0]?.env
  if (exit !== 0 || env === undefined) throw new Error(`exec prod failed: ${deps.out.stderr}`)
  return { ...env }
}

t.test('the child gets the session in its environment and its arguments verbatim; its exit code is awsmfa\'s', async (t) => {
  const world = await makeWorld(t)
  const env = { ...world.env(), AWS_PROFILE: 'stale', AWSMFA_SHELL: 'fish' }
  const deps = fakeDeps({ env, child: ends({ kind: 'exited', exitCode: 0 }) })
  const args = ['-l', '--region', 'x', '0x10', '--', '-t', '']
  t.equal(await main(['exec', 'prod', '-t', world.code(), '--', 'sh', ...args], deps), 0, deps.out.stderr)
  t.equal(deps.children.length, 1)
  const child = deps.children[0]!
  t.equal(child.file, 'sh')
  t.same(child.args, args)
  const issued = world.emulator.issued[0]!
  t.equal(child.env.AWS_ACCESS_KEY_ID, issued.accessKeyId)
  t.equal(child.env.AWS_SESSION_TOKEN, issued.sessionToken)
  t.equal(child.env.AWSMFA_PROFILE, 'prod')
  t.equal(child.env.AWSMFA_ROLE_ARN, PROD_ROLE)
  t.equal(child.env.AWS_REGION, 'eu-west-1')
  t.notOk('AWS_PROFILE' in child.env, 'AWS_PROFILE removed for the child')
  t.notOk('AWSMFA_SHELL' in child.env, 'the integration\'s AWSMFA_SHELL is not handed on')
  t.equal(child.env.AWS_CONFIG_FILE, world.configPath, 'the rest of the environment is inherited')
  t.equal(deps.out.stdout, '', 'stdout belongs to the child')
  t.equal(deps.out.stderr, '')

  const session = { ...child.env }
  for (const exitCode of [1, 7, 255]) {
    const run = fakeDeps({ env: session, child: ends({ kind: 'exited', exitCode }) })
    t.equal(await main(['exec', 'prod', '--', 'sh'], run), exitCode, `exit ${exitCode} passed through`)
    t.equal(run.out.stderr, '')
  }
})

t.test('a child ended by a signal gives 128+n; one that never started gives 127 or 126 with one message', async (t) => {
  const world = await makeWorld(t)
  const session = await heldSession(world)
  for (const [signal, code] of [['SIGHUP', 129], ['SIGINT', 130], ['SIGKILL', 137], ['SIGTERM', 143]] as const) {
    const deps = fakeDeps({ env: session, child: ends({ kind: 'signalled', signal }) })
    t.equal(await main(['exec', 'prod', '--', 'sh'], deps), code, `${signal}: ${code}`)
  }
  const cases = [
    ['ENOENT', 127, /^awsmfa: command not found: 'sh'\n/],
    ['EACCES', 126, /^awsmfa: cannot run 'sh': it is not an executable file\n/],
    ['ENOEXEC', 126, /^awsmfa: cannot run 'sh': it is not an executable file\n/],
    ['E2BIG', 126, /^awsmfa: could not start 'sh' \(E2BIG\)\n  fix: run it without awsmfa to see why, or run again with AWSMFA_DEBUG=1\n$/],
  ] as const
  for (const [code, exitCode, message] of cases) {
    const deps = fakeDeps({ env: session, child: ends({ kind: 'not-started', code, message: 'spawn sh failed' }) })
    t.equal(await main(['exec', 'prod', '--', 'sh'], deps), exitCode, code)
    t.equal(deps.out.stdout, '')
    t.match(deps.out.stderr, message)
    t.notMatch(deps.out.stderr, /spawn sh failed/, 'the system message only with AWSMFA_DEBUG=1')
  }
  const debug = fakeDeps({ env: { ...session, AWSMFA_DEBUG: '1' }, child: ends({ kind: 'not-started', code: 'E2BIG', message: 'spawn sh E2BIG' }) })
  t.equal(await main(['exec', 'prod', '--', 'sh'], debug), 126)
  t.match(debug.out.stderr, /^spawn sh E2BIG\nawsmfa: could not start 'sh' \(E2BIG\)/)
})

t.test('127 for a command that is not there, 126 for one that cannot run, before any STS call or child', async (t) => {
  const world = await makeWorld(t)
  const bin = join(world.scratch, 'bin')
  const later = join(world.scratch, 'later')
  mkdirSync(bin)
  mkdirSync(later)
  writeFileSync(join(bin, 'tool'), '#!/bin/sh\n')
  chmodSync(join(bin, 'tool'), 0o644)
  mkdirSync(join(bin, 'dir-tool'))
  const run = async (command: string, path: string): Promise<{ exit: number; stderr: string; children: number }> => {
    const deps = fakeDeps({ env: { ...world.env(), PATH: path }, child: ends({ kind: 'exited', exitCode: 0 }) })
    const exit = await main(['exec', 'prod', '-t', '123456', '--', command], deps)
    return { exit, stderr: deps.out.stderr, children: deps.children.length }
  }
  const missing = await run('no-such-tool', bin)
  t.equal(missing.exit, 127)
  t.match(missing.stderr, /^awsmfa: command not found: 'no-such-tool'\n  fix: check the name, or that its directory is on PATH\n$/)
  const relative = await run('./nowhere/tool', bin)
  t.equal(relative.exit, 127)
  t.match(relative.stderr, /fix: check the path/)
  const notExecutable = await run('tool', bin)
  t.equal(notExecutable.exit, 126, 'on PATH without the x bit')
  t.match(notExecutable.stderr, /^awsmfa: cannot run 'tool': it is not an executable file\n  fix: make it executable/)
  t.equal((await run('dir-tool', bin)).exit, 126, 'a directory is not executable')
  t.equal((await run(join(bin, 'tool'), '')).exit, 126, 'a path is taken as it is')
  t.equal(world.emulator.requests.length, 0, 'no STS call, so no code was spent')
  t.same([missing, relative, notExecutable].map((r) => r.children), [0, 0, 0], 'no child was started')

  writeFileSync(join(later, 'tool'), '#!/bin/sh\n')
  chmodSync(join(later, 'tool'), 0o755)
  const found = fakeDeps({ env: { ...world.env(), PATH: `${bin}:${later}` }, child: ends({ kind: 'exited', exitCode: 0 }) })
  t.equal(await main(['exec', 'prod', '-t', world.code(), '--', 'tool'], found), 0, found.out.stderr)
  t.equal(found.children[0]?.file, 'tool', 'an executable later on PATH runs, by the name given (as execvp finds it)')
})

t.test('signals: SIGTERM always reaches the child; SIGINT and SIGHUP only when stdin is not a terminal', async (t) => {
  const world = await makeWorld(t)
  const session = await heldSession(world)
  /** A child that reports each signal it receives and ends, as trapping it, on SIGTERM. */
  const trapping = (received: string[]): ChildScript => (_request, control) =>
    new Promise<ChildExit>((resolve) => {
      control.onSignal((signal) => {
        received.push(signal)
        if (signal === 'SIGTERM') resolve({ kind: 'exited', exitCode: 42 })
      })
    })
  for (const stdinIsTTY of [true, false]) {
    const received: string[] = []
    const deps = fakeDeps({
      env: session,
      stdinIsTTY,
      child: (request, control) => {
        const ending = trapping(received)(request, control)
        // Delivered to awsmfa while the child runs, as kill(1) or the terminal would.
        setImmediate(() => {
          deps.signal('SIGINT')
          deps.signal('SIGHUP')
          deps.signal('SIGTERM')
        })
        return ending
      },
    })
    t.equal(await main(['exec', 'prod', '--', 'sh'], deps), 42, `the child's own code (stdin a terminal: ${stdinIsTTY})`)
    // At a terminal the keyboard's signals already reach the child's process group: passed on again they would arrive twice.
    t.same(received, stdinIsTTY ? ['SIGTERM'] : ['SIGINT', 'SIGHUP', 'SIGTERM'], `stdin a terminal: ${stdinIsTTY}`)
    t.equal(deps.out.stderr, '')
  }
})

t.test('reuses this terminal\'s session for the same profile when enough is left', async (t) => {
  const world = await makeWorld(t)
  const first = fakeDeps({ env: world.env(), child: ends({ kind: 'exited', exitCode: 0 }) })
  t.equal(await main(['exec', 'prod', '-d', '1h', '-t', world.code(), '--', 'sh'], first), 0, first.out.stderr)
  t.equal(assumeRoleCalls(world), 1)
  // What the child held is what this terminal holds after `awsmfa use prod -d 1h`.
  const session = first.children[0]!.env

  const reused = fakeDeps({ env: session, child: ends({ kind: 'exited', exitCode: 0 }) })
  t.equal(await main(['exec', 'prod', '-v', '--', 'sh'], reused), 0, reused.out.stderr)
  t.equal(world.emulator.requests.length, 1, 'no request of any kind: the session was reused')
  t.equal(reused.children[0]?.env.AWS_ACCESS_KEY_ID, session.AWS_ACCESS_KEY_ID, 'the same keys')
  t.match(reused.out.stderr, /^awsmfa: reusing this terminal's session for prod \((59m|1h00m) left\); no MFA needed\n$/)

  const enough = fakeDeps({ env: session, child: ends({ kind: 'exited', exitCode: 0 }) })
  t.equal(await main(['exec', 'prod', '--min-remaining', '45m', '--', 'sh'], enough), 0, enough.out.stderr)
  t.equal(assumeRoleCalls(world), 1, '45m wanted, about 1h left: reused')

  const tooLittle = fakeDeps({ env: session, child: ends({ kind: 'exited', exitCode: 0 }) })
  t.equal(await main(['exec', 'prod', '--min-remaining', '2h', '-t', world.code(), '--', 'sh'], tooLittle), 0, tooLittle.out.stderr)
  t.equal(assumeRoleCalls(world), 2, 'less than --min-remaining left: a new AssumeRole')
  t.not(tooLittle.children[0]?.env.AWS_ACCESS_KEY_ID, session.AWS_ACCESS_KEY_ID, 'with new keys')

  // nomfa: a role that needs no MFA, so no third code in this 30-s window.
  const other = fakeDeps({ env: session, child: ends({ kind: 'exited', exitCode: 0 }) })
  t.equal(await main(['exec', 'nomfa', '-d', '1h', '--', 'sh'], other), 0, other.out.stderr)
  t.equal(assumeRoleCalls(world), 3, 'another profile: a new AssumeRole')
  t.equal(world.emulator.requests.at(-1)?.params.RoleArn, NOMFA_ROLE)
  t.equal(world.emulator.requests.at(-1)?.accessKeyId, world.alice.accessKeyId, 'signed with the long-term keys, not the terminal\'s session')
  t.equal(other.children[0]?.env.AWSMFA_PROFILE, 'nomfa')

  const expired = fakeDeps({ env: { ...session, AWSMFA_EXPIRATION: String(Math.floor(Date.now() / 1000) - 60) }, child: ends({ kind: 'exited', exitCode: 0 }) })
  t.equal(await main(['exec', 'prod', '--', 'sh'], expired), 2, 'an expired session is not reused: a code is needed')
  t.same(expired.children, [], 'and the child never ran')
  const partial = fakeDeps({ env: { ...session, AWS_SESSION_TOKEN: undefined }, child: ends({ kind: 'exited', exitCode: 0 }) })
  t.equal(await main(['exec', 'prod', '--', 'sh'], partial), 2, 'a session with a key missing is not reused')
  t.equal(assumeRoleCalls(world), 3)
})
