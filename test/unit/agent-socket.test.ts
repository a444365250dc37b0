/**
 * The agent's address and the rules for its directory, against real directories; the Windows
 * named-pipe path is computed here as on Windows (the pipe itself is not run on this machine).
 */
import t from 'tap'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, chownSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { agentAddress, checkSocketDir, checkSocketFile, pipeUserName, type UnixAddress } from '../../lib/agent/socket.js'
import { MAX_REQUEST_BYTES, parseRequest, parseWireSession } from '../../lib/agent/protocol.js'
import { AwsmfaError } from '../../lib/errors.js'

const linux = { platform: 'linux' as const, uid: 1000, username: 'alice' }
const windows = { platform: 'win32' as const, uid: undefined, username: 'Alice Smith' }

t.test('the address: AWSMFA_AGENT_SOCK, else XDG_RUNTIME_DIR/awsmfa, else ${TMPDIR:-/tmp}/awsmfa-<uid>', async (t) => {
  t.same(agentAddress({ AWSMFA_AGENT_SOCK: '/x/y/s.sock', XDG_RUNTIME_DIR: '/run/user/1000' }, linux), { kind: 'unix', path: '/x/y/s.sock', dir: '/x/y' })
  t.same(agentAddress({ XDG_RUNTIME_DIR: '/run/user/1000', TMPDIR: '/var/tmp' }, linux), { kind: 'unix', path: '/run/user/1000/awsmfa/agent.sock', dir: '/run/user/1000/awsmfa' })
  t.same(agentAddress({ TMPDIR: '/var/folders/ab/T/' }, linux), { kind: 'unix', path: '/var/folders/ab/T/awsmfa-1000/agent.sock', dir: '/var/folders/ab/T/awsmfa-1000' }, 'a trailing slash in TMPDIR (macOS) is harmless')
  t.same(agentAddress({}, linux).path, '/tmp/awsmfa-1000/agent.sock')
  t.same(agentAddress({ AWSMFA_AGENT_SOCK: '', XDG_RUNTIME_DIR: '', TMPDIR: '' }, linux).path, '/tmp/awsmfa-1000/agent.sock', 'empty variables count as unset')
  t.same(agentAddress({ XDG_RUNTIME_DIR: 'relative' }, linux).path, '/tmp/awsmfa-1000/agent.sock', 'a relative XDG_RUNTIME_DIR is ignored (the spec requires an absolute one)')
  t.throws(() => agentAddress({ AWSMFA_AGENT_SOCK: 'agent.sock' }, linux), { message: /is not an absolute path/ })
  t.throws(() => agentAddress({ AWSMFA_AGENT_SOCK: `/${'d'.repeat(120)}/agent.sock` }, linux), { message: /a Unix socket path can hold at most 103/ })
})

t.test('Windows: a per-user named pipe (code path only; not run on this machine)', async (t) => {
  t.same(agentAddress({}, windows), { kind: 'pipe', path: '\\\\.\\pipe\\awsmfa-agent-Alice_Smith' })
  t.same(agentAddress({ AWSMFA_AGENT_SOCK: '\\\\.\\pipe\\mine' }, windows), { kind: 'pipe', path: '\\\\.\\pipe\\mine' })
  t.throws(() => agentAddress({ AWSMFA_AGENT_SOCK: 'C:\\Users\\a\\agent.sock' }, windows), { message: /is not a named pipe/ })
  t.equal(pipeUserName('DOMAIN\\bob'), 'DOMAIN_bob', 'no path separator reaches the pipe name')
  t.equal(pipeUserName(''), 'user')
  t.same(agentAddress({ XDG_RUNTIME_DIR: '/run/user/1' }, windows).kind, 'pipe', 'XDG_RUNTIME_DIR means nothing on Windows')
})

t.test('the directory: created 0700; refused when open, foreign, a symlink or a file', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'awsmfa-sockdir-'))
  t.teardown(() => rmSync(root, { recursive: true, force: true }))
  const uid = process.getuid?.() ?? 0
  const at = (name: string): UnixAddress => ({ kind: 'unix', path: join(root, name, 'agent.sock'), dir: join(root, name) })
  t.equal(await checkSocketDir(at('new'), uid), 'missing', 'a client never creates it')
  t.equal(await checkSocketDir(at('new'), uid, { create: true }), 'ready')
  const { statSync } = await import('node:fs')
  t.equal(statSync(join(root, 'new')).mode & 0o777, 0o700, 'created 0700 whatever the umask')
  t.equal(await checkSocketDir(at('new'), uid, { create: true }), 'ready', 'idempotent')

  mkdirSync(join(root, 'open'))
  chmodSync(join(root, 'open'), 0o777)
  await t.rejects(checkSocketDir(at('open'), uid), { message: /mode 0777/ })
  mkdirSync(join(root, 'grp'))
  chmodSync(join(root, 'grp'), 0o710)
  await t.rejects(checkSocketDir(at('grp'), uid), { message: /mode 0710/ }, 'even group search access is refused')
  mkdirSync(join(root, 'theirs'), { mode: 0o700 })
  await t.rejects(checkSocketDir(at('theirs'), uid + 1), { message: new RegExp(`belongs to uid ${uid}, not to you \\(uid ${uid + 1}\\)`) })
  if (uid === 0) {
    chownSync(join(root, 'theirs'), 65534, 65534)
    await t.rejects(checkSocketDir(at('theirs'), 0), { message: /belongs to uid 65534/ })
  }
  mkdirSync(join(root, 'real'), { mode: 0o700 })
  symlinkSync(join(root, 'real'), join(root, 'link'))
  await t.rejects(checkSocketDir(at('link'), uid), { message: /is a symbolic link/ }, 'a link to a good directory is still refused')
  await t.rejects(checkSocketDir(at('link'), uid, { create: true }), { message: /is a symbolic link/ })
  writeFileSync(join(root, 'file'), '')
  await t.rejects(checkSocketDir(at('file'), uid), { message: /is not a directory/ })
  await t.rejects(checkSocketDir({ kind: 'unix', path: join(root, 'no', 'such', 's'), dir: join(root, 'no', 'such') }, uid, { create: true }), { message: /cannot create the agent's directory/ }, 'only the last level is created')
  t.equal(await checkSocketDir({ kind: 'unix', path: join(root, 'file', 'd', 's'), dir: join(root, 'file', 'd') }, uid), 'missing', 'a parent that is a file: no agent can be there')
  await t.rejects(checkSocketDir({ kind: 'unix', path: join(root, 'file', 'd', 's'), dir: join(root, 'file', 'd') }, uid, { create: true }), { message: /cannot read the agent's directory .*\(ENOTDIR\)/ }, 'but start says why it cannot use it')
  const refusal = await checkSocketDir(at('open'), uid).catch((error: unknown) => error)
  t.ok(refusal instanceof AwsmfaError && refusal.exitCode === 2 && /chmod 700/.test(refusal.fix ?? ''), 'a usage error with the fix')
})

t.test('the socket path: absent or a socket; a file or a symlink is refused', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'awsmfa-sockfile-'))
  t.teardown(() => rmSync(root, { recursive: true, force: true }))
  const address = (name: string): UnixAddress => ({ kind: 'unix', path: join(root, name), dir: root })
  t.equal(await checkSocketFile(address('none')), 'absent')
  writeFileSync(join(root, 'file'), 'x')
  await t.rejects(checkSocketFile(address('file')), { message: /is not a socket, so awsmfa will not replace it/ })
  symlinkSync('/dev/null', join(root, 'link'))
  await t.rejects(checkSocketFile(address('link')), { message: /is a symbolic link/ })
})

t.test('the protocol: versioned, validated; long-term keys and bad expirations refused', async (t) => {
  const now = Date.parse('2026-12-02T00:00:00Z')
  const session = { profile: 'p', roleArn: 'arn:aws:iam::1:role/R', assumedRoleArn: 'arn:aws:sts::1:assumed-role/R/s', accessKeyId: 'ASIAX', secretAccessKey: 's', sessionToken: 't', expiration: '2026-12-02T12:00:00Z', region: 'eu-west-1' }
  t.same(parseRequest('{"v":1,"op":"ping"}', now), { request: { op: 'ping' } })
  t.same(parseRequest('{"v":1,"op":"forget"}', now), { request: { op: 'forget', profile: null } })
  t.match(parseRequest('{"op":"ping"}', now), { error: /unsupported protocol version null/ })
  t.match(parseRequest('{"v":1,"op":"get","key":{"profile":"p","config":"c"},"minRemaining":-1}', now), { error: /malformed get/ })
  t.match(parseRequest('{"v":1,"op":"__proto__"}', now), { error: /unknown request/ })
  t.match(parseRequest(JSON.stringify({ v: 1, op: 'put', key: { profile: 'q', config: 'c' }, session }), now), { error: /another profile/ })
  t.same(parseWireSession(session, now), session)
  t.match(parseWireSession({ ...session, accessKeyId: 'AKIAX' }, now), /long-term/)
  t.match(parseWireSession({ ...session, expiration: '2026-12-01T00:00:00Z' }, now), /not within the next 36 h/, 'an expired session is refused')
  t.match(parseWireSession({ ...session, expiration: '2026-12-04T00:00:00Z' }, now), /not within the next 36 h/)
  t.match(parseWireSession({ ...session, sessionToken: '' }, now), /bad keys/, 'a session without a token is refused')
  t.match(parseWireSession({ ...session, assumedRoleArn: undefined }, now), /bad assumedRoleArn/, 'the assumed-role ARN travels with the session')
  t.equal(MAX_REQUEST_BYTES, 65536)
})
