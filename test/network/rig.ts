/**
 * A corporate network in a box, for the proxy/CA tests. A network namespace of the test's own
 * (unique name, deleted at teardown) where:
 *  - the real STS hostnames resolve to 127.0.0.1 — but only for processes started with
 *    `ip netns exec` (it bind-mounts /etc/netns/NAME/hosts over /etc/hosts): the proxy and the TLS front;
 *  - a TLS front on 127.0.0.1:443 presents a certificate for those names, signed by a throwaway
 *    CA, and forwards the bytes over a Unix socket (which crosses namespaces) to the project's
 *    emulator running in this test process;
 *  - a real tinyproxy (Debian's) listens on a loopback port, with its own config and log file.
 * Clients run with `nsenter --net=…`: same network, but the host's resolver, so the STS name does
 * not resolve for them and only the proxy can reach STS. Nothing leaves the namespace.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, connect, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import { splice } from '../helpers/splice.js'
import { CLI, type RunResult, type World } from '../helpers/world.js'

export const STS_HOSTS = [
  'sts.eu-west-1.amazonaws.com',
  'sts-fips.us-east-1.amazonaws.com',
  'sts.cn-north-1.amazonaws.com.cn',
  'sts.us-gov-west-1.amazonaws.com',
  'sts.eu-west-1.api.aws',
]
export const AWS_CLI = '/usr/bin/aws'

export interface Rig {
  readonly ns: string
  /** The throwaway CA that signed the STS certificate, and another one that did not. */
  readonly caPem: string
  readonly wrongCaPem: string
  readonly proxyPort: number
  readonly authProxyPort: number
  /** A port in the namespace where a "proxy" accepts and at once closes every connection. */
  readonly closingProxyPort: number
  /** A port in the namespace where nothing listens. */
  readonly deadPort: number
  /** The proxy logs so far (tinyproxy's own log files). */
  proxyLog(): string
  authProxyLog(): string
  /** Runs the built CLI inside the namespace (host resolver), with the world's files. */
  run(args: string[], env?: Record<string, string | undefined>): Promise<RunResult>
  /** Runs any program inside the namespace. */
  exec(file: string, args: string[], env: Record<string, string | undefined>): Promise<RunResult>
}

let counter = 0

/** Why the rig cannot be built here, or undefined when it can. */
export function rigUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root for ip netns'
  for (const tool of ['/usr/bin/tinyproxy', '/usr/bin/openssl', '/usr/bin/nsenter']) if (!existsSync(tool)) return `${tool} is not installed`
  if (spawnSync('ip', ['-V'], { stdio: 'ignore' }).status !== 0) return 'iproute2 (ip) is not installed'
  return undefined
}

interface Teardown {
  teardown(fn: () => unknown): void
}

const FRONT = `
const tls = require('node:tls'), net = require('node:net'), fs = require('node:fs')
const [cert, key, sock, closingPort] = process.argv.slice(2)
const front = tls.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) }, (s) => {
  const up = net.connect(sock)
  s.pipe(up).pipe(s)
  const end = () => { s.destroy(); up.destroy() }
  s.on('error', end); up.on('error', end)
})
const closing = net.createServer((s) => s.destroy())
front.listen(443, '127.0.0.1', () => closing.listen(Number(closingPort), '127.0.0.1', () => console.log('up')))
`

function waitForLine(child: ChildProcess, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString()
      if (seen.includes('up')) resolve()
    })
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it listened`)))
  })
}

async function waitForPort(ns: string, port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const probe = spawnSync('nsenter', [`--net=/run/netns/${ns}`, process.execPath, '-e', `require('node:net').connect(${port}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))`])
    if (probe.status === 0) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`nothing listens on ${port} in ${ns}`)
}

export async function makeRig(t: Teardown, world: World): Promise<Rig> {
  const ns = `awsmfa-11-${process.pid}-${++counter}`
  const etc = `/etc/netns/${ns}`
  const dir = mkdtempSync(join(tmpdir(), 'awsmfa-rig-'))
  const children: ChildProcess[] = []
  let bridge: Server | undefined
  t.teardown(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
    await Promise.all(children.map((child) => (child.exitCode === null && child.signalCode === null ? new Promise((r) => child.once('exit', r)) : undefined)))
    bridge?.close()
    spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' })
    rmSync(etc, { recursive: true, force: true })
    rmSync(dir, { recursive: true, force: true })
  })
  execFileSync('ip', ['netns', 'add', ns])
  mkdirSync(etc, { recursive: true })
  writeFileSync(join(etc, 'hosts'), `127.0.0.1 localhost\n${STS_HOSTS.map((h) => `127.0.0.1 ${h}`).join('\n')}\n`)
  execFileSync('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up'])

  // Throwaway CAs (RSA 2048 like AWS's) and one certificate for every STS name above.
  const ssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' })
  for (const name of ['ca', 'wrong-ca']) {
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2',
      '-subj', `/CN=awsmfa test ${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign')
  }
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${STS_HOSTS[0]}`)
  writeFileSync(join(dir, 'ext.cnf'), `subjectAltName=${STS_HOSTS.map((h) => `DNS:${h}`).join(',')}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`)
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf')

  // The Unix socket is the only way in from the namespace to this process's emulator.
  const sock = join(dir, 'emulator.sock')
  bridge = createServer((socket) => {
    splice(socket, connect(world.emulator.port, '127.0.0.1'))
  })
  await new Promise<void>((resolve) => bridge?.listen(sock, resolve))

  // The namespace has its own ports: fixed numbers cannot clash with anyone else's.
  const proxyPort = 3128
  const authProxyPort = 3129
  const closingProxyPort = 3130
  const deadPort = 3131

  writeFileSync(join(dir, 'front.cjs'), FRONT)
  const front = spawn('ip', ['netns', 'exec', ns, process.execPath, join(dir, 'front.cjs'), join(dir, 'server.pem'), join(dir, 'server.key'), sock, String(closingProxyPort)], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(front)
  await waitForLine(front, 'the TLS front')

  const startProxy = async (name: string, port: number, auth: string | undefined): Promise<string> => {
    const log = join(dir, `${name}.log`)
    const conf = join(dir, `${name}.conf`)
    writeFileSync(conf, [
      `Port ${port}`,
      'Listen 127.0.0.1',
      'Timeout 20',
      `LogFile "${log}"`,
      'LogLevel Connect',
      'MaxClients 20',
      'ConnectPort 443',
      ...(auth === undefined ? [] : [`BasicAuth ${auth}`]),
      '',
    ].join('\n'))
    const proxy = spawn('ip', ['netns', 'exec', ns, '/usr/bin/tinyproxy', '-d', '-c', conf], { stdio: ['ignore', 'ignore', 'ignore'] })
    children.push(proxy)
    await waitForPort(ns, port)
    return log
  }
  const proxyLogFile = await startProxy('proxy', proxyPort, undefined)
  const authProxyLogFile = await startProxy('auth-proxy', authProxyPort, 'bob secret9')

  const exec = async (file: string, args: string[], env: Record<string, string | undefined>): Promise<RunResult> => {
    const result = await execa('nsenter', [`--net=/run/netns/${ns}`, file, ...args], {
      env,
      extendEnv: false,
      reject: false,
      stripFinalNewline: false,
      timeout: 60_000,
      detached: true,
      stdin: 'ignore',
    })
    return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) }
  }
  const read = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '')
  return {
    ns,
    caPem: join(dir, 'ca.pem'),
    wrongCaPem: join(dir, 'wrong-ca.pem'),
    proxyPort,
    authProxyPort,
    closingProxyPort,
    deadPort,
    proxyLog: () => read(proxyLogFile),
    authProxyLog: () => read(authProxyLogFile),
    // The regional endpoint, not the emulator's URL: the SDK's rules choose the host.
    run: (args, env = {}) => exec(process.execPath, [CLI, ...args], { ...world.env(), AWS_ENDPOINT_URL_STS: undefined, AWSMFA_STS_TIMEOUT: '20', ...env }),
    exec,
  }
}
