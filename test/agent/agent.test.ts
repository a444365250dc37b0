/**
 * A real agent process on a real socket, driven by the built CLI: start/stop/status/forget,
 * sharing for env, env --json and exec (a hit asks no code and makes no STS call), --no-agent,
 * --min-remaining, stale sockets, an agent killed mid-request, and no secret anywhere on disk.
 * Every run has no controlling terminal, so a run that needed a code would fail at once.
 */
import t from 'tap'
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { execa, execaSync } from 'execa'
import { makeWorld, type World } from '../helpers/world.js'
import { assertAgentDirClean, assertNoLeaks } from '../helpers/leaks.js'
import { isAlive, rawExchange, startAgent, until } from '../helpers/agent.js'
import { missing } from '../helpers/missing.js'

const assumeCalls = (world: World): number => world.emulator.requests.filter((r) => r.action === 'AssumeRole').length

interface Json { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string }

t.test('start is idempotent, makes a 0700 directory, and stop ends the agent and removes its socket', async (t) => {
  const world = await makeWorld(t)
  const agent = await startAgent(t, world, { AWS_ACCESS_KEY_ID: world.alice.accessKeyId, AWS_SECRET_ACCESS_KEY: world.alice.secretAccessKey, AWSMFA_PROFILE: 'prod' })
  const environ = readFileSync(`/proc/${agent.pid}/environ`, 'utf8').split('\0')
  t.notOk(environ.some((entry) => entry.startsWith('AWS_') || entry.includes(world.alice.secretAccessKey)), 'the agent never sees the shell\'s AWS keys, not even in its environment')
  t.ok(environ.some((entry) => entry.startsWith('AWSMFA_AGENT_SOCK=')), 'it keeps where to listen')
  t.notOk(environ.some((entry) => entry.startsWith('AWSMFA_PROFILE=')), 'nor a terminal\'s awsmfa state')
  t.equal(statSync(agent.dir).mode & 0o777, 0o700, 'the directory is 0700')
  t.ok(lstatSync(agent.sock).isSocket(), 'the socket is there')
  t.equal(lstatSync(agent.sock).mode & 0o077, 0, 'the socket itself has no group or world access')
  const again = await world.run(['agent', 'start'])
  t.equal(again.exitCode, 0, again.stderr)
  t.match(again.stderr, new RegExp(`already running \\(pid ${agent.pid}\\)`), 'a second start finds the first agent')
  t.equal(again.stdout, '')
  const status = await world.run(['agent', 'status'])
  t.equal(status.exitCode, 0, status.stderr)
  t.match(status.stderr, /holds 0 sessions/)
  const stop = await world.run(['agent', 'stop'])
  t.equal(stop.exitCode, 0, stop.stderr)
  await until('the agent to exit', () => !agent.alive())
  t.notOk(existsSync(agent.sock), 'the socket is gone')
  const after = await world.run(['agent', 'status'])
  t.equal(after.exitCode, 1)
  t.equal(after.stdout, '')
  t.match(after.stderr, /no agent is running at .*\n {2}fix: awsmfa agent start/)
  const stopAgain = await world.run(['agent', 'stop'])
  t.equal(stopAgain.exitCode, 0, 'stop without an agent is not an error')
  t.match(stopAgain.stderr, /no agent was running/)
})

t.test('env, env --json and exec share one session through the agent; --no-agent skips it both ways', async (t) => {
  const world = await makeWorld(t)
  await startAgent(t, world)
  const code = world.code()
  const first = await world.run(['env', 'prod', '--json', '-t', code])
  t.equal(first.exitCode, 0, first.stderr)
  const issued = JSON.parse(first.stdout) as Json
  t.equal(assumeCalls(world), 1)

  // No code, no terminal: only the agent can answer.
  const json = await world.run(['env', 'prod', '--json'])
  t.equal(json.exitCode, 0, json.stderr)
  t.same(JSON.parse(json.stdout), issued, 'env --json answered from the agent: the same session')
  const shell = await world.run(['env', 'prod', '--shell', 'bash', '--verbose'])
  t.equal(shell.exitCode, 0, shell.stderr)
  t.match(shell.stdout, `AWS_SESSION_TOKEN=`)
  t.ok(shell.stdout.includes(issued.AccessKeyId), 'env for bash carries the agent\'s keys')
  t.match(shell.stdout, /AWS_REGION='eu-west-1'/, 'the profile\'s region came along')
  t.match(shell.stderr, /the agent at .* holds a session for prod; no MFA needed/)
  t.match(shell.stderr, /^prod: ServerworksRolePU in 123456789034 until/m, 'the usual success line')
  const region = await world.run(['env', 'prod', '--shell', 'bash', '--region', 'us-west-2'])
  t.match(region.stdout, /AWS_REGION='us-west-2'/, '--region still applies to a shared session')
  const exec = await world.run(['exec', 'prod', '--', 'sh', '-c', 'printf %s "$AWS_ACCESS_KEY_ID"'])
  t.equal(exec.exitCode, 0, exec.stderr)
  t.equal(exec.stdout, issued.AccessKeyId, 'exec ran with the agent\'s session')
  t.equal(assumeCalls(world), 1, 'one AssumeRole for all of them')

  const status = await world.run(['agent', 'status'])
  t.match(status.stdout, /^prod +ServerworksRolePU +123456789034 +1[12]h\d\dm +until /m, 'agent status lists the session')
  t.notOk(status.stdout.includes(issued.AccessKeyId) || status.stdout.includes(issued.SessionToken), 'and no key or token')

  const skipped = await world.run(['env', 'prod', '--json', '--no-agent'])
  t.equal(skipped.exitCode, 2, '--no-agent does not ask the agent: a code is needed and there is no terminal')
  t.equal(skipped.stdout, '')
  t.match(skipped.stderr, /needs an MFA code, and there is no terminal/)

  const readonlyCode = world.code()
  const own = await world.run(['env', 'readonly', '--json', '--no-agent', '-d', '1h', '-t', readonlyCode])
  t.equal(own.exitCode, 0, own.stderr)
  const notShared = await world.run(['env', 'readonly', '--json'])
  t.equal(notShared.exitCode, 2, '--no-agent handed nothing over')
  assertNoLeaks(t, world, { text: [first.stderr, json.stderr, shell.stderr, exec.stderr, status.stdout, status.stderr, skipped.stderr], paths: [world.scratch], codes: [code, readonlyCode] })
})

t.test('--min-remaining: a session with less time left is not used; the new one replaces it', async (t) => {
  const world = await makeWorld(t)
  await startAgent(t, world)
  const first = await world.run(['env', 'prod', '--json', '-t', world.code(), '-d', '1h'])
  t.equal(first.exitCode, 0, first.stderr)
  const hit = await world.run(['env', 'prod', '--json', '--min-remaining', '30m'])
  t.equal(hit.exitCode, 0, `1 h left is enough for 30m: ${hit.stderr}`)
  const miss = await world.run(['env', 'prod', '--json', '--min-remaining', '2h'])
  t.equal(miss.exitCode, 2, 'less than 2 h left: a new session (and a code) is needed')
  const fresh = await world.run(['env', 'prod', '--json', '--min-remaining', '2h', '-t', world.code()])
  t.equal(fresh.exitCode, 0, fresh.stderr)
  const now = await world.run(['env', 'prod', '--json', '--min-remaining', '11h'])
  t.equal(now.exitCode, 0, now.stderr)
  t.same(JSON.parse(now.stdout), JSON.parse(fresh.stdout), 'the 12 h session replaced the 1 h one')
  const bad = await world.run(['env', 'prod', '--min-remaining', 'soon'])
  t.equal(bad.exitCode, 2)
  t.match(bad.stderr, /--min-remaining 'soon' is not a duration/)
})

t.test('forget one profile, then all', async (t) => {
  const world = await makeWorld(t)
  await startAgent(t, world)
  t.equal((await world.run(['env', 'prod', '--json', '-t', world.code()])).exitCode, 0)
  t.equal((await world.run(['env', 'readonly', '--json', '-d', '1h', '-t', world.code()])).exitCode, 0)
  const one = await world.run(['agent', 'forget', 'prod'])
  t.equal(one.exitCode, 0, one.stderr)
  t.match(one.stderr, /forgot 1 session for prod/)
  t.equal((await world.run(['env', 'prod', '--json'])).exitCode, 2, 'prod now needs a code again')
  t.equal((await world.run(['env', 'readonly', '--json'])).exitCode, 0, 'readonly is still held')
  const all = await world.run(['agent', 'forget'])
  t.match(all.stderr, /forgot 1 session\n/)
  t.equal((await world.run(['env', 'readonly', '--json'])).exitCode, 2)
  const usage = await world.run(['agent', 'forget', 'a', 'b'])
  t.equal(usage.exitCode, 2)
  t.equal(usage.stdout, '')
})

t.test('malformed, unknown, wrongly versioned and oversized requests get an error; the agent keeps serving', async (t) => {
  const world = await makeWorld(t)
  const agent = await startAgent(t, world)
  const answers = await rawExchange(agent.sock, 'not json\n[1]\n{"v":2,"op":"ping"}\n{"v":1,"op":"zap"}\n{"v":1,"op":"get"}\n{"v":1,"op":"put","key":{"profile":"p","config":"c"},"session":{"profile":"p","roleArn":"r","accessKeyId":"AKIAEXAMPLE","secretAccessKey":"s","sessionToken":"t","expiration":"2999-01-01T00:00:00Z","region":null}}\n{"v":1,"op":"ping"}\n', 7)
  const parsed = answers.map((line) => JSON.parse(line) as { ok: boolean; error?: string; pid?: number })
  t.same(parsed.map((a) => a.ok), [false, false, false, false, false, false, true], 'six refusals, then the ping is answered on the same connection')
  t.match(parsed[2]?.error, /unsupported protocol version 2/)
  t.match(parsed[3]?.error, /unknown request "zap"/)
  t.match(parsed[5]?.error, /long-term keys/, 'the agent refuses long-term keys')
  t.equal(parsed[6]?.pid, agent.pid)

  const big = await rawExchange(agent.sock, Buffer.alloc(70 * 1024, 'x'), 1)
  t.match(JSON.parse(big[0] ?? '{}'), { ok: false, error: /larger than 65536 bytes/ }, 'an oversized request is refused')
  const bigLine = await rawExchange(agent.sock, `{"v":1,"op":"ping","pad":"${'y'.repeat(70 * 1024)}"}\n{"v":1,"op":"ping"}\n`, 2)
  t.match(JSON.parse(bigLine[0] ?? '{}'), { ok: false }, 'an oversized line in one write is refused')
  t.ok(agent.alive(), 'the agent survived')
  const ping = await rawExchange(agent.sock, '{"v":1,"op":"ping"}\n', 1)
  t.match(JSON.parse(ping[0] ?? '{}'), { ok: true, pid: agent.pid }, 'and still answers')
})

t.test('20 concurrent clients are all answered', async (t) => {
  const world = await makeWorld(t)
  await startAgent(t, world)
  const first = await world.run(['env', 'prod', '--json', '-t', world.code()])
  t.equal(first.exitCode, 0, first.stderr)
  const runs = await Promise.all(Array.from({ length: 20 }, () => world.run(['env', 'prod', '--json'])))
  t.same(runs.map((r) => r.exitCode), Array(20).fill(0), runs.map((r) => r.stderr).join(''))
  t.ok(runs.every((r) => r.stdout === first.stdout), 'every one got the session')
  t.equal(assumeCalls(world), 1)
})

t.test('a stale socket (agent killed) is no agent: the normal flow, silently; start replaces it', async (t) => {
  const world = await makeWorld(t)
  const agent = await startAgent(t, world)
  process.kill(agent.pid, 'SIGKILL')
  await until('the agent to die', () => !agent.alive())
  t.ok(lstatSync(agent.sock).isSocket(), 'the killed agent left its socket behind')
  const run = await world.run(['env', 'prod', '--json', '-t', world.code()])
  t.equal(run.exitCode, 0, run.stderr)
  t.notMatch(run.stderr, /agent/, 'nothing said about an agent: none was running')
  const restarted = await startAgent(t, world)
  t.not(restarted.pid, agent.pid)
  const ping = await rawExchange(restarted.sock, '{"v":1,"op":"ping"}\n', 1)
  t.match(JSON.parse(ping[0] ?? '{}'), { ok: true, pid: restarted.pid }, 'the new agent listens on the replaced socket')
})

t.test('the agent killed mid-request: the client says so in one line and runs the normal flow', async (t) => {
  const world = await makeWorld(t)
  const ss = await execa('sh', ['-c', 'command -v ss'], { reject: false })
  if (ss.exitCode !== 0) {
    missing(t, 'ss is not installed (apt-get install -y iproute2)')
    return
  }
  const agent = await startAgent(t, world)
  // Stopped, it accepts connections (the kernel queues them) but never answers.
  process.kill(agent.pid, 'SIGSTOP')
  t.teardown(() => {
    if (isAlive(agent.pid)) process.kill(agent.pid, 'SIGKILL')
  })
  const code = world.code()
  const client = world.start(['env', 'prod', '--json', '-t', code], { env: { AWSMFA_AGENT_TIMEOUT: '60' } })
  // Wait until the client's connection is queued on the agent's listening socket, then kill it.
  await until('the client to connect', async () => {
    const listening = await execa('ss', ['-xlnH', 'src', agent.sock], { reject: false })
    const queued = Number(String(listening.stdout).trim().split(/\s+/)[2] ?? '0')
    return queued > 0
  })
  process.kill(agent.pid, 'SIGKILL')
  const result = await client
  t.equal(result.exitCode, 0, String(result.stderr))
  const lines = String(result.stderr).split('\n').filter((line) => /agent/.test(line))
  t.equal(lines.length, 1, 'exactly one line about the agent')
  t.match(lines[0], /^awsmfa: the agent at .* did not answer \(it closed the connection\); going on without it$/)
  t.match(JSON.parse(String(result.stdout)), { Version: 1 }, 'the normal flow made the session')
  t.equal(assumeCalls(world), 1)
})

t.test('a stopped agent that never answers: the client gives up after AWSMFA_AGENT_TIMEOUT and goes on', async (t) => {
  const world = await makeWorld(t)
  const agent = await startAgent(t, world)
  process.kill(agent.pid, 'SIGSTOP')
  t.teardown(() => {
    if (isAlive(agent.pid)) process.kill(agent.pid, 'SIGKILL')
  })
  const run = await world.run(['env', 'prod', '--json', '-t', world.code()], { env: { AWSMFA_AGENT_TIMEOUT: '0.5' } })
  t.equal(run.exitCode, 0, run.stderr)
  t.match(run.stderr, /did not answer \(no answer in time\); going on without it/)
  t.equal(run.stderr.split('\n').filter((line) => /agent/.test(line)).length, 1, 'one line; no second try at the agent for the hand-over')
})

t.test('unsafe directories are refused: 0777, group access, another owner, a symlink, a file', async (t) => {
  const world = await makeWorld(t)
  const cases: Array<[string, (dir: string) => void, RegExp]> = [
    ['0777', (dir) => { mkdirSync(dir); chmodSync(dir, 0o777) }, /is open to other users \(mode 0777\); awsmfa needs 0700\n {2}fix: chmod 700 /],
    ['0750', (dir) => { mkdirSync(dir); chmodSync(dir, 0o750) }, /mode 0750/],
    ['foreign', (dir) => { mkdirSync(dir, { mode: 0o700 }); execaSync('chown', ['65534:65534', dir]) }, /belongs to uid 65534, not to you \(uid 0\)/],
    ['symlink', (dir) => { mkdirSync(`${dir}-real`, { mode: 0o700 }); execaSync('ln', ['-s', `${dir}-real`, dir]) }, /is a symbolic link/],
    ['file', (dir) => { execaSync('touch', [dir]) }, /is not a directory/],
  ]
  for (const [name, make, message] of cases) {
    const dir = `${world.scratch}/${name}`
    make(dir)
    const sock = `${dir}/agent.sock`
    const start = await world.run(['agent', 'start'], { env: { AWSMFA_AGENT_SOCK: sock } })
    t.equal(start.exitCode, 2, `${name}: start refused`)
    t.equal(start.stdout, '')
    t.match(start.stderr, message, `${name}: says why`)
    t.notOk(existsSync(sock), `${name}: no socket made`)
    // env still works (nomfa: a role without MFA, so no code is spent per case) and says once that it does not use the agent there.
    const env = await world.run(['env', 'nomfa', '--json'], { env: { AWSMFA_AGENT_SOCK: sock } })
    t.equal(env.exitCode, 0, env.stderr)
    t.match(env.stderr, /^awsmfa: not using the agent: /m, `${name}: env warns`)
  }
  const file = `${world.scratch}/notasock`
  mkdirSync(file, { mode: 0o700 })
  execaSync('touch', [`${file}/agent.sock`])
  const start = await world.run(['agent', 'start'], { env: { AWSMFA_AGENT_SOCK: `${file}/agent.sock` } })
  t.equal(start.exitCode, 2)
  t.match(start.stderr, /is not a socket, so awsmfa will not replace it/)
  t.equal(readFileSync(`${file}/agent.sock`, 'utf8'), '', 'the file is untouched')
  const relative = await world.run(['agent', 'start'], { env: { AWSMFA_AGENT_SOCK: 'agent.sock' } })
  t.equal(relative.exitCode, 2)
  t.match(relative.stderr, /is not an absolute path/)
})

t.test('another user cannot reach the agent', async (t) => {
  const world = await makeWorld(t)
  const setpriv = await execa('sh', ['-c', 'command -v setpriv'], { reject: false })
  if (setpriv.exitCode !== 0 || process.getuid?.() !== 0) {
    missing(t, 'another user needs root and setpriv (util-linux)')
    return
  }
  // A parent every user can traverse, so only the agent's own directory (and socket) stand in the way.
  const parent = `${world.scratch}/shared`
  mkdirSync(parent)
  chmodSync(world.scratch, 0o755)
  chmodSync(parent, 0o755)
  const sock = `${parent}/awsmfa/agent.sock`
  const agent = await startAgent(t, world, { AWSMFA_AGENT_SOCK: sock })
  t.equal((await world.run(['env', 'prod', '--json', '-t', world.code()], { env: { AWSMFA_AGENT_SOCK: sock } })).exitCode, 0)
  const probe = `const s=require('net').connect(process.argv[1]);s.on('connect',()=>{s.write('{"v":1,"op":"list"}\\n')});s.on('data',(d)=>{process.stdout.write(String(d));process.exit(0)});s.on('error',(e)=>{process.stdout.write(e.code);process.exit(3)})`
  const bare = { env: { PATH: '/usr/bin:/bin' }, extendEnv: false, reject: false } as const
  const asRoot = await execa(process.execPath, ['-e', probe, sock], bare)
  t.equal(asRoot.exitCode, 0, 'the owner (root) connects: the probe itself works')
  t.match(String(asRoot.stdout), /"profile":"prod"/)
  const asNobody = await execa('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', probe, sock], bare)
  t.equal(asNobody.exitCode, 3, `nobody cannot connect: ${String(asNobody.stdout)} ${String(asNobody.stderr)}`)
  t.equal(String(asNobody.stdout), 'EACCES', 'permission denied by the 0700 directory')
  t.ok(agent.alive())
})

t.test('idle exit, expiry, and nothing on disk', async (t) => {
  const world = await makeWorld(t)
  const tmp = `${world.scratch}/tmp`
  mkdirSync(tmp, { mode: 0o700 })
  const before = world.snapshotHome()
  // The default address under TMPDIR: AWSMFA_AGENT_SOCK unset, no XDG_RUNTIME_DIR.
  const env = { AWSMFA_AGENT_SOCK: '', TMPDIR: tmp, AWSMFA_AGENT_IDLE: '2' }
  const agent = await startAgent(t, world, env)
  const uid = process.getuid?.() ?? 0
  t.equal(agent.sock === '' ? `${tmp}/awsmfa-${uid}/agent.sock` : agent.sock, `${tmp}/awsmfa-${uid}/agent.sock`)
  const sock = `${tmp}/awsmfa-${uid}/agent.sock`
  t.ok(lstatSync(sock).isSocket(), 'the socket sits in ${TMPDIR}/awsmfa-<uid>/')
  // A session that expires in 3 s, handed over raw: it is listed, then dropped at its expiry.
  const expiration = new Date(Date.now() + 3000).toISOString()
  const put = await rawExchange(sock, `{"v":1,"op":"put","key":{"profile":"short","config":"c"},"session":{"profile":"short","roleArn":"arn:aws:iam::123456789034:role/R","assumedRoleArn":"arn:aws:sts::123456789034:assumed-role/R/s","accessKeyId":"ASIAEXAMPLE","secretAccessKey":"s","sessionToken":"t","expiration":"${expiration}","region":null}}\n{"v":1,"op":"list"}\n`, 2)
  t.match(JSON.parse(put[1] ?? '{}'), { ok: true, sessions: [{ profile: 'short' }] })
  const code = world.code()
  const run = await world.run(['env', 'prod', '--json', '-t', code], { env })
  t.equal(run.exitCode, 0, run.stderr)
  const hit = await world.run(['env', 'prod', '--json'], { env })
  t.equal(hit.exitCode, 0, hit.stderr)
  assertAgentDirClean(t, `${tmp}/awsmfa-${uid}`)
  assertNoLeaks(t, world, { text: [run.stderr, hit.stderr], paths: [world.scratch], codes: [code] })
  t.same(world.snapshotHome(), before, 'HOME unchanged')
  await until('the short session to be dropped', async () => {
    const list = await rawExchange(sock, '{"v":1,"op":"list"}\n', 1)
    return !(list[0] ?? '').includes('"short"')
  })
  t.pass('the session was dropped at its expiry')
  t.ok(agent.alive(), 'prod is still held: no idle exit')
  const forget = await world.run(['agent', 'forget'], { env })
  t.equal(forget.exitCode, 0)
  await until('the agent to exit after holding nothing for AWSMFA_AGENT_IDLE', () => !agent.alive())
  t.notOk(existsSync(sock), 'it removed its socket')
  t.same(assertAgentDirClean(t, `${tmp}/awsmfa-${uid}`), [], 'and left nothing in its directory')
})
