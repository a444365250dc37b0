/**
 * The HTTPS rows. `aws configure export-credentials` resolves the profile itself and calls the
 * regional endpoint, which only a network namespace can point at 127.0.0.1 (with a throwaway CA
 * for TLS); awsmfa (npm bundle and standalone executable), the floor and peak RSS run in there too.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { AWS, COUNTS, NODE, ROOT, STS_HOST, atCleanup, awsVersion, notes, opt, otherNodes, row, usable, which, work, type Package, type Row } from './context.js'
import { floorRatioRow, ratioRow } from './report.js'
import { makeBenchWorld, startEmulatorProcess, stsRows, type StsSpec, type TlsFront } from './sts-world.js'
import type { BenchEmulatorInfo } from './emulator-server.js'

export async function netnsRows(pkg: Package): Promise<void> {
  const label = '`aws configure export-credentials --profile prod --format env` (HTTPS, netns)'
  const skip = (why: string): void => {
    row({ id: 'export', path: label, skipped: why })
    notes.push(`export-credentials row skipped: ${why}`)
  }
  if (opt['no-netns']) return skip('--no-netns')
  if (!awsVersion) return skip(`${AWS} not installed`)
  if (!which('openssl')) return skip('openssl not installed')
  const ns = `awsmfa-bench-${process.pid}`
  if (spawnSync('ip', ['netns', 'add', ns], { stdio: 'ignore' }).status !== 0) {
    return skip('`ip netns add` is not permitted here (needs root or CAP_SYS_ADMIN)')
  }
  const etc = `/etc/netns/${ns}`
  atCleanup(() => {
    spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' })
    rmSync(etc, { recursive: true, force: true })
  })
  execFileSync('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up'])
  mkdirSync(etc, { recursive: true })
  // `ip netns exec` bind-mounts this over /etc/hosts: the regional hostname is loopback in there only.
  writeFileSync(join(etc, 'hosts'), `127.0.0.1 localhost\n127.0.0.1 ${STS_HOST}\n`)

  // A throwaway CA and a certificate for the regional hostname (RSA 2048, as AWS's own).
  const pki = join(work, 'pki')
  mkdirSync(pki)
  const ssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: pki, stdio: 'ignore' })
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2',
    '-subj', '/CN=awsmfa bench throwaway CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign')
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${STS_HOST}`)
  writeFileSync(join(pki, 'ext.cnf'), `subjectAltName=DNS:${STS_HOST}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`)
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf')

  const tls: TlsFront = { cert: join(pki, 'server.pem'), key: join(pki, 'server.key') }
  const ca = join(pki, 'ca.pem')
  // The AWS CLI normally verifies against the system's CA bundle: give it that bundle plus the
  // throwaway CA, so it parses as many certificates as it would against the real endpoint (Node
  // keeps its built-in roots and adds NODE_EXTRA_CA_CERTS).
  const system = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt'].find((f) => existsSync(f))
  const awsBundle = join(pki, 'aws-bundle.pem')
  writeFileSync(awsBundle, (system ? readFileSync(system, 'utf8') : '') + readFileSync(ca, 'utf8'))
  if (!system) notes.push('no system CA bundle found: the AWS CLI verified against the throwaway CA alone')
  const inNs = { netns: ns, tls }
  const awsmfa = (bin: string[]): StsSpec['command'] => (emu, world) =>
    ({ argv: [...bin, 'env', 'prod', '--token-code', emu.code], env: { ...world.env, NODE_EXTRA_CA_CERTS: ca } })
  const specs: StsSpec[] = [
    { id: 'env-https', path: '`awsmfa env prod --token-code C` (HTTPS, regional endpoint, netns)', counts: COUNTS.sts, opts: inNs,
      command: awsmfa([NODE, pkg.cli]) },
    // The CLI asks for the MFA code with getpass: with no terminal it reads stdin.
    { id: 'export', path: label, counts: COUNTS.aws, opts: { ...inNs, stdin: (world) => world.codeFile },
      command: (_emu, world) => ({ argv: [AWS, 'configure', 'export-credentials', '--profile', 'prod', '--format', 'env'], env: { ...world.env, AWS_CA_BUNDLE: awsBundle } }) },
  ]
  for (const { major, node, version } of otherNodes()) {
    specs.push({ id: `env-https-node${major}`, path: `… awsmfa over HTTPS on Node ${version}`, counts: COUNTS.sts, opts: inNs,
      command: awsmfa([node, pkg.cli]) })
  }
  // The floor for this endpoint: Node start + one bare HTTPS POST (no SDK), and the standalone
  // executable, alternating with the rows above.
  const floorScript = join(work, 'https-post.cjs')
  writeFileSync(floorScript, `const https = require('node:https')
const body = 'Action=AssumeRole&Version=2011-06-15'
const req = https.request({ host: ${JSON.stringify(STS_HOST)}, port: 443, path: '/', method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } }, (res) => { res.resume(); res.on('end', () => {}) })
req.on('error', (e) => { console.error(e.message); process.exitCode = 1 })
req.end(body)
`)
  specs.unshift({ id: 'floor-https', path: 'floor: `node` + one bare HTTPS POST to the same endpoint (no SDK)', counts: COUNTS.sts, opts: { ...inNs, anyAnswer: true },
    command: (_emu, world) => ({ argv: [NODE, floorScript], env: { ...world.env, NODE_EXTRA_CA_CERTS: ca } }) })
  const standalone = standaloneExecutable()
  if (standalone === undefined) notes.push('standalone row skipped: no dist/standalone/awsmfa (npm run build:standalone)')
  else {
    specs.splice(2, 0, { id: 'env-standalone', path: '`awsmfa env prod --token-code C`, standalone executable (HTTPS, netns)', counts: COUNTS.sts, opts: inNs,
      command: awsmfa([standalone]) })
  }
  const results = await stsRows(specs)
  const envRow = results.find((r) => r.id === 'env-https')
  const awsRow = results.find((r) => r.id === 'export')
  const floorRow = results.find((r) => r.id === 'floor-https')
  const seaRow = results.find((r) => r.id === 'env-standalone')
  if (usable(envRow) && usable(awsRow)) ratioRow('ratio-export', 'ratio awsmfa ÷ aws configure export-credentials', envRow, awsRow)
  if (usable(seaRow) && usable(awsRow)) ratioRow('ratio-export-standalone', 'ratio standalone ÷ aws configure export-credentials', seaRow, awsRow)
  if (usable(floorRow)) {
    if (usable(seaRow)) floorRatioRow('ratio-floor-standalone', 'ratio standalone ÷ floor', seaRow, floorRow, 1.15)
    if (usable(envRow)) floorRatioRow('ratio-floor-npm', 'ratio npm bundle ÷ floor', envRow, floorRow, 1.5)
  }
  // Peak memory of one run each (GNU time's maximum resident set size).
  const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined
  if (!gnuTime) notes.push('peak RSS rows skipped: no GNU time at /usr/bin/time (Debian package time)')
  if (gnuTime) {
    const rss = await rssOnce(ns, tls, ca, gnuTime, [
      { id: 'rss-npm', path: 'peak RSS, `awsmfa env` (npm bundle, HTTPS)', argv: (emu) => [NODE, pkg.cli, 'env', 'prod', '--token-code', emu.code], target: 60 },
      ...(standalone === undefined ? [] : [{ id: 'rss-standalone', path: 'peak RSS, `awsmfa env` (standalone, HTTPS)', argv: (emu: BenchEmulatorInfo) => [standalone, 'env', 'prod', '--token-code', emu.code], target: 80 }]),
    ])
    for (const r of rss) row(r)
  }
}

/** The standalone executable, copied into the bench's folder (a rebuild cannot change it mid-run). */
function standaloneExecutable(): string | undefined {
  const from = resolve(opt.standalone ?? join(ROOT, 'dist/standalone/awsmfa'))
  if (!existsSync(from)) return undefined
  const to = join(work, 'awsmfa-standalone')
  cpSync(from, to)
  return to
}

interface RssSpec {
  id: string
  path: string
  argv: (emu: BenchEmulatorInfo) => string[]
  /** MB */
  target: number
}

/** One run of each command under GNU time in the namespace: its peak RSS in MB. */
async function rssOnce(ns: string, tls: TlsFront, ca: string, gnuTime: string, specs: readonly RssSpec[]): Promise<Row[]> {
  const out: Row[] = []
  for (const spec of specs) {
    const emu = await startEmulatorProcess({ users: 3, netns: ns, tls })
    try {
      const world = makeBenchWorld(emu, spec.id)
      const [prepare = '', ...prepareArgs] = world.prepare
      spawnSync(prepare, prepareArgs, { env: world.env, stdio: 'ignore' })
      const r = spawnSync('ip', ['netns', 'exec', ns, gnuTime, '-f', 'RSS %M', ...spec.argv(emu)], { env: { ...world.env, NODE_EXTRA_CA_CERTS: ca }, encoding: 'utf8' })
      const kb = Number(/RSS (\d+)/.exec(r.stderr ?? '')?.[1])
      if (r.status !== 0 || !Number.isFinite(kb)) out.push({ id: spec.id, path: spec.path, skipped: `exit ${r.status}: ${(r.stderr ?? '').split('\n')[0]}` })
      else out.push({ id: spec.id, path: spec.path, value: `${(kb / 1024).toFixed(1)} MB`, target: `≤ ${spec.target} MB`, met: kb / 1024 <= spec.target })
    } finally {
      await emu.stop()
    }
  }
  return out
}
