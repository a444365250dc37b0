#!/usr/bin/env node
// `npm run bench`: times awsmfa's hot paths against the project's STS emulator and the AWS CLI v2,
// and prints one markdown table with the machine noted. Timings are measured here, never asserted
// in tests. See docs/benchmarks.md for what each row means.
//
//   node bench/run.mjs [--quick] [--only a,b,…] [--markdown FILE] [--json FILE] [--no-netns] [--package DIR] [--standalone FILE]
//
// Rows (ids for --only): floor, version, init, help, env, aws, mfa-prompt, netns, completion, prompt, startup.
// netns holds the HTTPS rows: the floor (Node + one bare HTTPS POST), env from the npm bundle and from
// the standalone executable, the AWS CLI, their ratios and peak RSS.
// Each path runs many times: with hyperfine (--export-json, warm-up, fixed run count) when it is
// installed, else with this script's own loop (warm-up, then the same statistics from hrtime).
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'

const ROOT = resolve(import.meta.dirname, '..')
const NODE = process.execPath
const AWS = '/usr/bin/aws' // the AWS CLI v2 (Debian awscli); the `aws` on PATH may be a v1 shim
const REGION = 'eu-west-1'
const STS_HOST = `sts.${REGION}.amazonaws.com`
const SESSION_NAME = 'awsmfa-alice' // awsmfa's default for USER=alice; the AWS CLI is given the same

const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    markdown: { type: 'string' },
    json: { type: 'string' },
    'no-netns': { type: 'boolean', default: false },
    'no-hyperfine': { type: 'boolean', default: false },
    // Another checkout's build (its package.json, dist/, shells/, completions/), e.g. for before/after.
    package: { type: 'string' },
    // The standalone executable (npm run build:standalone); default dist/standalone/awsmfa.
    standalone: { type: 'string' },
  },
})
const only = opt.only ? new Set(opt.only.split(',')) : undefined
const want = (id) => only === undefined || only.has(id)
const Q = opt.quick
/** Run counts: Node paths are cheap, the AWS CLI is not; --quick for a smoke run. */
const COUNTS = {
  node: { warmup: Q ? 2 : 5, runs: Q ? 8 : 40 },
  sts: { warmup: Q ? 1 : 3, runs: Q ? 5 : 30 },
  aws: { warmup: Q ? 1 : 2, runs: Q ? 4 : 15 },
  shell: { warmup: Q ? 3 : 10, runs: Q ? 20 : 200 },
}
/** STS rows alternate in this many rounds (see stsRows). */
const ROUNDS = Q ? 1 : 3
const PROMPT_RENDERS = 10_000
const PROMPT_REPEATS = Q ? 2 : 7

const log = (line) => process.stderr.write(`bench: ${line}\n`)
const work = mkdtempSync(join(tmpdir(), 'awsmfa-bench-'))
const cleanups = []
const cleanup = () => {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      fn()
    } catch (error) {
      log(`cleanup: ${error.message}`)
    }
  }
}
process.on('exit', cleanup)
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanup()
    process.exit(130)
  })
}
cleanups.push(() => rmSync(work, { recursive: true, force: true }))

// ---------------------------------------------------------------------------------------------
// The machine and the tools

const sh = (cmd, args, options = {}) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], ...options }).trim()
  } catch {
    return undefined
  }
}
const which = (name) => sh('sh', ['-c', `command -v ${name}`])
const hyperfine = opt['no-hyperfine'] ? undefined : which('hyperfine')
const strace = which('strace')
const awsVersion = existsSync(AWS) ? sh(AWS, ['--version'], { env: { PATH: process.env.PATH, HOME: work } }) : undefined

function machine() {
  const cpuModel = cpus()[0]?.model?.trim() ?? 'unknown'
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    nproc: sh('nproc', []) ?? String(cpus().length),
    cpu: cpuModel,
    memory: `${Math.round(Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024 / 1024)} GiB`,
    kernel: sh('uname', ['-r']),
    node: process.version,
    hyperfine: hyperfine ? sh(hyperfine, ['--version']) : 'not installed (own loop)',
    aws: awsVersion ?? 'not installed',
    bash: sh('bash', ['-c', 'echo $BASH_VERSION']),
    zsh: sh('zsh', ['-fc', 'echo $ZSH_VERSION']),
    load: loadavg().map((l) => l.toFixed(2)).join(' '),
  }
}

// ---------------------------------------------------------------------------------------------
// A snapshot of the built package, so a concurrent `npm run build` cannot change it mid-run.

function snapshotPackage() {
  const dir = join(work, 'awsmfa')
  const from = resolve(opt.package ?? ROOT)
  mkdirSync(dir)
  for (const part of ['package.json', 'dist', 'shells', 'completions']) {
    if (existsSync(join(from, part))) cpSync(join(from, part), join(dir, part), { recursive: true })
  }
  return { dir, cli: join(dir, 'dist/awsmfa.mjs') }
}

// ---------------------------------------------------------------------------------------------
// Statistics and the two ways of timing a command

function stats(seconds) {
  const ms = seconds.map((s) => s * 1000).sort((a, b) => a - b)
  const at = (p) => {
    const i = (ms.length - 1) * p
    const lo = Math.floor(i)
    const hi = Math.ceil(i)
    return ms[lo] + (ms[hi] - ms[lo]) * (i - lo)
  }
  const mean = ms.reduce((a, b) => a + b, 0) / ms.length
  const sd = Math.sqrt(ms.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, ms.length - 1))
  return { runs: ms.length, median: at(0.5), q1: at(0.25), q3: at(0.75), min: ms[0], max: ms.at(-1), mean, sd }
}

const shellQuote = (word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)

/**
 * Times `spec.argv` (warm-up, then runs). spec: { name, argv, env, prepare?: argv, stdin?: file,
 * netns?: name, warmup, runs }. `prepare` runs before every run, outside the timing. Every run must
 * exit 0, or the row fails.
 */
async function measure(spec) {
  log(`${spec.name} (${spec.warmup} warm-up + ${spec.runs} runs${hyperfine ? ', hyperfine' : ''})`)
  const prefix = spec.netns ? ['ip', 'netns', 'exec', spec.netns] : []
  if (hyperfine) {
    const out = join(work, `hf-${Date.now()}-${Math.random().toString(36).slice(2)}.json`)
    let command = spec.argv.map(shellQuote).join(' ')
    // hyperfine 1.15 gives commands no stdin: a redirect needs its shell (whose start it subtracts).
    const shell = spec.stdin ? ['--shell', 'sh'] : ['-N']
    if (spec.stdin) command += ` < ${shellQuote(spec.stdin)}`
    const args = [
      ...shell, '--style', 'none', '--warmup', String(spec.warmup), '--runs', String(spec.runs),
      '--export-json', out, '--command-name', spec.name,
      ...(spec.prepare ? ['--prepare', spec.prepare.map(shellQuote).join(' ')] : []),
      command,
    ]
    const argv = [...prefix, hyperfine, ...args]
    const result = await run(argv, { env: spec.env, stdin: 'ignore' })
    if (result.status !== 0) throw new Error(`${spec.name}: hyperfine failed: ${result.stderr.trim().split('\n').slice(-6).join(' | ')}`)
    const [res] = JSON.parse(readFileSync(out, 'utf8')).results
    return { ...stats(res.times), seconds: res.times, tool: 'hyperfine' }
  }
  const times = []
  for (let i = 0; i < spec.warmup + spec.runs; i++) {
    if (spec.prepare) {
      const p = spawnSync(spec.prepare[0], spec.prepare.slice(1), { env: spec.env, stdio: 'ignore' })
      if (p.status !== 0) throw new Error(`${spec.name}: prepare failed`)
    }
    const stdin = spec.stdin ? openSync(spec.stdin, 'r') : 'ignore'
    const r = await run([...prefix, ...spec.argv], { env: spec.env, stdin })
    if (typeof stdin === 'number') closeSync(stdin)
    if (r.status !== 0) throw new Error(`${spec.name}: exit ${r.status}: ${(r.stderr ?? '').trim().split('\n')[0]}`)
    if (i >= spec.warmup) times.push(r.seconds)
  }
  return { ...stats(times), seconds: times, tool: 'own loop' }
}

/**
 * Runs one command in a new session — without a controlling terminal, so a prompt reads the code
 * from stdin instead of waiting on /dev/tty — and times it from spawn to exit.
 */
function run(argv, { env, stdin }) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint()
    const child = spawn(argv[0], argv.slice(1), { env, stdio: [stdin, 'ignore', 'pipe'], detached: true })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d
    })
    child.on('error', (error) => resolve({ status: -1, stderr: error.message, seconds: 0 }))
    child.on('close', (status) => resolve({ status, stderr, seconds: Number(process.hrtime.bigint() - t0) / 1e9 }))
  })
}

/** Runs `fn`, recording its row or the reason it was skipped. */
const rows = []
const notes = []
function row(fields) {
  rows.push(fields)
  return fields
}
async function tryRow(id, label, fn) {
  try {
    return await fn()
  } catch (error) {
    log(`${label}: ${error.message}`)
    row({ id, path: label, skipped: error.message })
    return undefined
  }
}

// ---------------------------------------------------------------------------------------------
// The emulator in its own process, and a world of users to rotate through

let emulatorBundle
async function bundleEmulator() {
  if (emulatorBundle) return emulatorBundle
  const { build } = await import('esbuild')
  const outfile = join(work, 'emulator-server.mjs')
  await build({ entryPoints: [join(ROOT, 'bench/emulator-server.ts')], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' })
  emulatorBundle = outfile
  return outfile
}

/** Starts the emulator (optionally inside a network namespace, with a TLS front) and waits for its JSON line. */
async function startEmulatorProcess({ users, netns, tls }) {
  const args = [await bundleEmulator(), '--users', String(users)]
  if (tls) args.push('--tls-port', '443', '--tls-cert', tls.cert, '--tls-key', tls.key)
  const argv = netns ? ['ip', 'netns', 'exec', netns, NODE, ...args] : [NODE, ...args]
  const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'inherit'], env: { PATH: process.env.PATH } })
  const lines = createInterface({ input: child.stdout })
  const iterator = lines[Symbol.asyncIterator]()
  const first = await Promise.race([
    iterator.next(),
    new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`emulator exited (${code})`)))),
  ])
  const info = JSON.parse(first.value)
  let stopped
  return {
    ...info,
    /** Stops it and returns how many answers of each kind it sent. */
    stop() {
      stopped ??= (async () => {
        child.stdin.end()
        const last = await iterator.next()
        return last.done ? {} : JSON.parse(last.value).answers
      })()
      return stopped
    },
  }
}

/**
 * One directory per emulator user (config, credentials, the AWS CLI's request), and `cur`, a
 * symlink that rotate.sh moves to the next user before each run (outside the timing).
 */
function makeWorld(emu, name) {
  const dir = join(work, name)
  mkdirSync(join(dir, 'home'), { recursive: true })
  emu.users.forEach((user, i) => {
    const u = join(dir, `u${i + 1}`)
    mkdirSync(u)
    writeFileSync(join(u, 'config'), `[profile prod]
role_arn = ${emu.roleArn}
source_profile = src
mfa_serial = ${user.mfaSerial}
region = ${REGION}
duration_seconds = 43200

[profile src]
region = ${REGION}
`)
    writeFileSync(join(u, 'credentials'), `[src]
aws_access_key_id = ${user.accessKeyId}
aws_secret_access_key = ${user.secretAccessKey}
`, { mode: 0o600 })
    // Only the device differs per run; everything else is on the AWS CLI's command line.
    writeFileSync(join(u, 'assume-role.json'), `${JSON.stringify({ SerialNumber: user.mfaSerial })}\n`)
  })
  writeFileSync(join(dir, 'counter'), '0\n')
  writeFileSync(join(dir, 'code'), `${emu.code}\n`)
  writeFileSync(join(dir, 'rotate.sh'), `# next user for the next run: cur -> uN
read n < '${dir}/counter'; n=$((n + 1)); echo "$n" > '${dir}/counter'
[ -d '${dir}'/u"$n" ] || { echo "bench: no unused MFA device left" >&2; exit 1; }
ln -sfn u"$n" '${dir}/cur'
`)
  const env = {
    PATH: process.env.PATH,
    HOME: join(dir, 'home'),
    USER: 'alice',
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    AWS_CONFIG_FILE: join(dir, 'cur/config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'cur/credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    NO_COLOR: '1',
  }
  return { dir, env, prepare: ['sh', join(dir, 'rotate.sh')], request: join(dir, 'cur/assume-role.json'), codeFile: join(dir, 'code') }
}

function checkAnswers(answers, expected, label) {
  const ok = answers['AssumeRole 200'] ?? 0
  const other = Object.entries(answers).filter(([k]) => k !== 'AssumeRole 200')
  if (ok !== expected || other.length > 0) {
    throw new Error(`${label}: expected ${expected} successful AssumeRole answers, emulator sent ${JSON.stringify(answers)}`)
  }
}

// ---------------------------------------------------------------------------------------------
// The rows

const fmtMs = (ms) => (Math.abs(ms) >= 100 ? ms.toFixed(0) : Math.abs(ms) >= 10 ? ms.toFixed(1) : ms.toFixed(2))
const signed = (ms) => `${ms < 0 ? '−' : '+'}${fmtMs(Math.abs(ms))}`
const spread = (s) => `${fmtMs(s.q1)}–${fmtMs(s.q3)} (min ${fmtMs(s.min)})`

async function main() {
  const m0 = machine()
  log(`machine: ${m0.nproc} × ${m0.cpu}, Node ${m0.node}, load ${m0.load}`)
  const pkg = snapshotPackage()
  const baseEnv = { PATH: process.env.PATH, HOME: join(work, 'home'), USER: 'alice', LANG: 'C.UTF-8', TZ: 'UTC', NO_COLOR: '1' }
  mkdirSync(baseEnv.HOME)
  // The start-up rows, in alternating rounds with the floor they are compared with.
  const nodeSpecs = [
    { id: 'floor', path: '`node -e 0` (floor)', argv: [NODE, '-e', '0'] },
    { id: 'version', path: '`awsmfa --version`', argv: [NODE, pkg.cli, '--version'] },
    { id: 'init', path: '`awsmfa init bash`', argv: [NODE, pkg.cli, 'init', 'bash'] },
    { id: 'help', path: '`awsmfa env --help` (yargs)', argv: [NODE, pkg.cli, 'env', '--help'] },
  ].filter((spec) => want(spec.id) || (spec.id === 'floor' && ['version', 'init', 'help'].some(want)))
  const nodeRows = await roundRows(nodeSpecs.map((spec) => ({ ...spec, env: baseEnv, counts: COUNTS.node })))
  const floor = nodeRows.find((r) => r.id === 'floor')
  for (const r of nodeRows) {
    if (r.id === 'floor' || r.skipped || !floor || floor.skipped) continue
    r.overFloor = r.median - floor.median
    r.value = `${fmtMs(r.median)} ms (floor ${signed(r.overFloor)})`
    if (r.id === 'help') continue
    r.target = 'floor + 15 ms'
    r.met = r.overFloor <= 15
  }

  // awsmfa env and aws sts assume-role: the same AssumeRole (MFA, 43200 s) over HTTP to 127.0.0.1.
  const envArgv = (node, emu) => [node, pkg.cli, 'env', 'prod', '--token-code', emu.code]
  const httpEnv = (world, emu) => ({ ...world.env, AWS_ENDPOINT_URL_STS: emu.url })
  const specs = []
  if (want('env')) {
    specs.push({ id: 'env', path: '`awsmfa env prod --token-code C` (HTTP emulator)', counts: COUNTS.sts,
      command: (emu, world) => ({ argv: envArgv(NODE, emu), env: httpEnv(world, emu) }) })
  }
  if (want('aws')) {
    if (!awsVersion) row({ id: 'aws', path: '`aws sts assume-role --endpoint-url …`', skipped: `${AWS} not installed` })
    else {
      specs.push({ id: 'aws', path: '`aws sts assume-role --endpoint-url …` (AWS CLI v2)', counts: COUNTS.aws,
        command: (emu, world) => ({
          argv: [AWS, 'sts', 'assume-role', '--endpoint-url', emu.url, '--profile', 'src',
            '--role-arn', emu.roleArn, '--role-session-name', SESSION_NAME, '--duration-seconds', '43200',
            '--token-code', emu.code, '--cli-input-json', `file://${world.request}`],
          env: world.env,
        }) })
    }
  }
  if (want('env')) {
    // Users mostly run Node 22 or 24 (DESIGN.md, Runtime): the same row on those, when scripts/fetch-node.sh fetched them.
    for (const major of ['22', '24']) {
      const node = join(ROOT, `.node-versions/${major}/bin/node`)
      if (!existsSync(node)) continue
      const version = sh(node, ['--version'])
      specs.push({ id: `env-node${major}`, path: `… the same on Node ${version}`, counts: COUNTS.sts,
        command: (emu, world) => ({ argv: envArgv(node, emu), env: httpEnv(world, emu) }) })
      if (major === '24') {
        // Opt-in for users (NODE_COMPILE_CACHE, Node >= 22.1): V8 code cache on disk, warmed by the warm-up runs.
        const cache = join(work, 'compile-cache')
        specs.push({ id: 'env-node24-cache', path: `… the same on Node ${version} with NODE_COMPILE_CACHE (opt-in, warm)`, counts: COUNTS.sts,
          command: (emu, world) => ({ argv: envArgv(node, emu), env: { ...httpEnv(world, emu), NODE_COMPILE_CACHE: cache } }) })
      }
    }
  }
  const stsResults = await stsRows(specs)
  const envRow = stsResults.find((r) => r.id === 'env')
  const awsRow = stsResults.find((r) => r.id === 'aws')
  if (envRow && awsRow && !envRow.skipped && !awsRow.skipped) ratioRow('ratio', 'ratio awsmfa ÷ aws sts assume-role', envRow, awsRow)
  if (want('mfa-prompt')) await promptLatencyRow(pkg)

  if (want('netns')) await netnsRows(pkg)
  if (want('completion')) completionRows()
  if (want('prompt')) promptRows(pkg)
  if (want('startup')) await startupRows(pkg)

  const m1 = machine()
  const report = renderReport(m0, m1)
  process.stdout.write(report)
  if (opt.markdown) writeFileSync(opt.markdown, report)
  if (opt.json) writeFileSync(opt.json, `${JSON.stringify({ machine: m0, loadAfter: m1.load, rows, notes }, null, 2)}\n`)
}

/**
 * Plain rows measured in alternating rounds (A, B, C, A, B, C, …), like stsRows.
 * specs: [{ id, path, argv, env, counts }]. Returns the rows (or skipped rows).
 */
async function roundRows(specs) {
  const results = specs.map(() => ({ seconds: [], tool: '', error: undefined }))
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, spec] of specs.entries()) {
      const res = results[i]
      if (res.error) continue
      try {
        const r = await measure({ name: `${spec.path} (round ${round + 1})`, argv: spec.argv, env: spec.env,
          warmup: Math.max(1, Math.ceil(spec.counts.warmup / ROUNDS)), runs: Math.ceil(spec.counts.runs / ROUNDS) })
        res.seconds.push(...r.seconds)
        res.tool = r.tool
      } catch (error) {
        log(`${spec.path}: ${error.message}`)
        res.error = error.message
      }
    }
  }
  return specs.map((spec, i) =>
    results[i].error
      ? row({ id: spec.id, path: spec.path, skipped: results[i].error })
      : row({ id: spec.id, path: spec.path, ...stats(results[i].seconds), tool: results[i].tool }))
}

/**
 * One round of an STS row: a fresh emulator (its clock frozen for this round only) with one MFA
 * user per run, the command timed while rotate.sh hands each run the next user, then proof from
 * the emulator that every run was one successful AssumeRole. Returns the run times (s).
 */
async function stsRound(id, round, counts, { netns, tls, stdin, anyAnswer }, command) {
  const total = counts.warmup + counts.runs
  const emu = await startEmulatorProcess({ users: total + 2, netns, tls })
  try {
    const world = makeWorld(emu, `${id}-${round}`)
    const { argv, env } = command(emu, world)
    const r = await measure({ name: `${id} (round ${round + 1})`, argv, env, prepare: world.prepare, netns, stdin: stdin?.(world), ...counts })
    // The floor's bare POST is not a signed AssumeRole: it only needs an answer.
    if (!anyAnswer) checkAnswers(await emu.stop(), total, id)
    return r
  } finally {
    await emu.stop()
  }
}

/**
 * STS rows measured in alternating rounds (A, B, C, A, B, C, …), so a change in the machine's
 * load (other jobs come and go) hits awsmfa and the AWS CLI alike and cannot fake a ratio.
 * specs: [{ id, path, counts, opts?, command }]. Returns the rows (or skipped rows).
 */
async function stsRows(specs) {
  const results = specs.map(() => ({ seconds: [], tool: '', error: undefined }))
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, spec] of specs.entries()) {
      const res = results[i]
      if (res.error) continue
      const counts = { warmup: Math.max(1, Math.ceil(spec.counts.warmup / ROUNDS)), runs: Math.ceil(spec.counts.runs / ROUNDS) }
      try {
        const r = await stsRound(spec.id, round, counts, spec.opts ?? {}, spec.command)
        res.seconds.push(...r.seconds)
        res.tool = r.tool
      } catch (error) {
        log(`${spec.path}: ${error.message}`)
        res.error = error.message
      }
    }
  }
  return specs.map((spec, i) =>
    results[i].error
      ? row({ id: spec.id, path: spec.path, skipped: results[i].error })
      : row({ id: spec.id, path: spec.path, ...stats(results[i].seconds), tool: results[i].tool }))
}

/** The prompt as a person meets it: Enter → exit (bench/prompt-latency.py drives a pseudo-terminal). */
async function promptLatencyRow(pkg) {
  const path = 'MFA prompt: Enter → exit (`awsmfa env prod`, code typed at the prompt)'
  if (!which('python3')) {
    row({ id: 'mfa-prompt', path, skipped: 'python3 not installed (it drives the pseudo-terminal)' })
    return
  }
  const runs = Q ? 4 : 15
  await tryRow('mfa-prompt', path, async () => {
    const emu = await startEmulatorProcess({ users: runs + 2 })
    try {
      const world = makeWorld(emu, 'mfa-prompt')
      const envs = emu.users.slice(0, runs).map((_, i) => ({
        ...world.env, AWS_ENDPOINT_URL_STS: emu.url,
        AWS_CONFIG_FILE: join(world.dir, `u${i + 1}/config`), AWS_SHARED_CREDENTIALS_FILE: join(world.dir, `u${i + 1}/credentials`),
      }))
      log(`${path} (${runs} runs)`)
      const out = execFileSync('python3', [join(ROOT, 'bench/prompt-latency.py')], {
        input: JSON.stringify({ argv: [NODE, pkg.cli, 'env', 'prod'], code: emu.code, think: 0.3, runs: envs }),
        encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'],
      })
      checkAnswers(await emu.stop(), runs, 'mfa-prompt')
      const s = stats(JSON.parse(out).ms.map((ms) => ms / 1000))
      return row({ id: 'mfa-prompt', path, ...s, tool: 'pty' })
    } finally {
      await emu.stop()
    }
  })
}

/** The ratio a ÷ b, placed right after b's row. */
function ratioRow(id, path, a, b) {
  const ratio = a.median / b.median
  const r = place(b, { id, path, value: `${ratio.toFixed(3)} (${fmtMs(a.median)} ÷ ${fmtMs(b.median)} ms; ${(b.median / a.median).toFixed(1)}× faster)`, target: '≤ 0.20', met: ratio <= 0.2, ratio })
  return r
}

function place(after, fields) {
  rows.splice(rows.indexOf(after) + 1, 0, fields)
  return fields
}

// ---------------------------------------------------------------------------------------------
// aws configure export-credentials: the AWS CLI resolves the profile itself and calls the regional
// endpoint, which only a network namespace can point at 127.0.0.1 (with a throwaway CA for TLS).

async function netnsRows(pkg) {
  const label = '`aws configure export-credentials --profile prod --format env` (HTTPS, netns)'
  const skip = (why) => {
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
  cleanups.push(() => {
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
  const ssl = (...args) => execFileSync('openssl', args, { cwd: pki, stdio: 'ignore' })
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2',
    '-subj', '/CN=awsmfa bench throwaway CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign')
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${STS_HOST}`)
  writeFileSync(join(pki, 'ext.cnf'), `subjectAltName=DNS:${STS_HOST}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`)
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf')

  const tls = { cert: join(pki, 'server.pem'), key: join(pki, 'server.key') }
  const ca = join(pki, 'ca.pem')
  // The AWS CLI normally verifies against the system's CA bundle: give it that bundle plus the
  // throwaway CA, so it parses as many certificates as it would against the real endpoint (Node
  // keeps its built-in roots and adds NODE_EXTRA_CA_CERTS).
  const system = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt'].find((f) => existsSync(f))
  const awsBundle = join(pki, 'aws-bundle.pem')
  writeFileSync(awsBundle, (system ? readFileSync(system, 'utf8') : '') + readFileSync(ca, 'utf8'))
  if (!system) notes.push('no system CA bundle found: the AWS CLI verified against the throwaway CA alone')
  const specs = [
    { id: 'env-https', path: '`awsmfa env prod --token-code C` (HTTPS, regional endpoint, netns)', counts: COUNTS.sts, opts: { netns: ns, tls },
      command: (emu, world) => ({ argv: [NODE, pkg.cli, 'env', 'prod', '--token-code', emu.code], env: { ...world.env, NODE_EXTRA_CA_CERTS: ca } }) },
    // The CLI asks for the MFA code with getpass: with no terminal it reads stdin.
    { id: 'export', path: label, counts: COUNTS.aws, opts: { netns: ns, tls, stdin: (world) => world.codeFile },
      command: (emu, world) => ({ argv: [AWS, 'configure', 'export-credentials', '--profile', 'prod', '--format', 'env'], env: { ...world.env, AWS_CA_BUNDLE: awsBundle } }) },
  ]
  for (const major of ['22', '24']) {
    const node = join(ROOT, `.node-versions/${major}/bin/node`)
    if (!existsSync(node)) continue
    specs.push({ id: `env-https-node${major}`, path: `… awsmfa over HTTPS on Node ${sh(node, ['--version'])}`, counts: COUNTS.sts, opts: { netns: ns, tls },
      command: (emu, world) => ({ argv: [node, pkg.cli, 'env', 'prod', '--token-code', emu.code], env: { ...world.env, NODE_EXTRA_CA_CERTS: ca } }) })
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
  specs.unshift({ id: 'floor-https', path: 'floor: `node` + one bare HTTPS POST to the same endpoint (no SDK)', counts: COUNTS.sts, opts: { netns: ns, tls, anyAnswer: true },
    command: (emu, world) => ({ argv: [NODE, floorScript], env: { ...world.env, NODE_EXTRA_CA_CERTS: ca } }) })
  const standalone = standaloneExecutable()
  if (standalone === undefined) notes.push('standalone row skipped: no dist/standalone/awsmfa (npm run build:standalone)')
  else {
    specs.splice(2, 0, { id: 'env-standalone', path: '`awsmfa env prod --token-code C`, standalone executable (HTTPS, netns)', counts: COUNTS.sts, opts: { netns: ns, tls },
      command: (emu, world) => ({ argv: [standalone, 'env', 'prod', '--token-code', emu.code], env: { ...world.env, NODE_EXTRA_CA_CERTS: ca } }) })
  }
  const results = await stsRows(specs)
  const envRow = results.find((r) => r.id === 'env-https')
  const awsRow = results.find((r) => r.id === 'export')
  const floorRow = results.find((r) => r.id === 'floor-https')
  const seaRow = results.find((r) => r.id === 'env-standalone')
  const usable = (r) => r !== undefined && !r.skipped
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
      ...(standalone === undefined ? [] : [{ id: 'rss-standalone', path: 'peak RSS, `awsmfa env` (standalone, HTTPS)', argv: (emu) => [standalone, 'env', 'prod', '--token-code', emu.code], target: 80 }]),
    ])
    for (const r of rss) row(r)
  }
}

/** The standalone executable, copied into the bench's folder (a rebuild cannot change it mid-run). */
function standaloneExecutable() {
  const from = resolve(opt.standalone ?? join(ROOT, 'dist/standalone/awsmfa'))
  if (!existsSync(from)) return undefined
  const to = join(work, 'awsmfa-standalone')
  cpSync(from, to)
  return to
}

/** a ÷ floor against a target ratio, after a's row. */
function floorRatioRow(id, path, a, floor, target) {
  const ratio = a.median / floor.median
  return place(a, { id, path, value: `${ratio.toFixed(2)} × (${fmtMs(a.median)} ÷ ${fmtMs(floor.median)} ms)`, target: `≤ ${target} × floor`, met: ratio <= target, ratio })
}

/** One run of each command under GNU time in the namespace: its peak RSS in MB. */
async function rssOnce(ns, tls, ca, gnuTime, specs) {
  const out = []
  for (const spec of specs) {
    const emu = await startEmulatorProcess({ users: 3, netns: ns, tls })
    try {
      const world = makeWorld(emu, `${spec.id}`)
      spawnSync(world.prepare[0], world.prepare.slice(1), { env: world.env, stdio: 'ignore' })
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

// ---------------------------------------------------------------------------------------------
// TAB completion: the shell-integration owner's script (bench/completion*), when it exists.

function completionRows() {
  const label = 'TAB completion, bash, 1,000 / 10,000 profiles'
  const file = join(ROOT, 'bench/completion.sh')
  if (!existsSync(file)) {
    row({ id: 'completion', path: label, skipped: "bench/completion.sh not written yet (the shell-integration owner's script)" })
    return
  }
  // Its own loop inside one bash, timed with $EPOCHREALTIME: `bench/completion.sh [ITERATIONS]`.
  const iterations = Q ? 20 : 200
  log(`TAB completion: bench/completion.sh ${iterations}`)
  const r = spawnSync('bash', [file, String(iterations)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 900_000 })
  if (r.status !== 0) {
    row({ id: 'completion', path: label, skipped: `bench/completion.sh failed: ${(r.stderr || '').trim().split('\n').slice(-3).join(' / ')}` })
    return
  }
  // "1000 target profiles (…):" then "  awsmfa use <TAB> (all)   12.34 ms per TAB  (1000 candidates)"
  let profiles
  let any = false
  for (const line of r.stdout.split('\n')) {
    const head = /^(\d+) target profiles/.exec(line)
    if (head) {
      profiles = Number(head[1])
      continue
    }
    const m = /^\s+(.+?)\s+([\d.]+) ms per TAB\s+\((\d+) candidates\)/.exec(line)
    if (!m || profiles === undefined) continue
    const ms = Number(m[2])
    const all = m[1].includes('(all)')
    const target = all ? (profiles <= 1000 ? 20 : profiles <= 10000 ? 100 : undefined) : undefined
    row({
      id: 'completion', path: `TAB completion, bash, ${profiles.toLocaleString('en')} profiles: \`${m[1]}\``,
      value: `${fmtMs(ms)} ms per TAB (${m[3]} candidates)`, runs: `mean of ${iterations}`,
      target: target === undefined ? undefined : `≤ ${target} ms`, met: target === undefined ? undefined : ms <= target,
    })
    any = true
  }
  if (!any) row({ id: 'completion', path: label, skipped: `could not read bench/completion.sh output: ${r.stdout.trim().split('\n')[0] ?? ''}` })
}

// ---------------------------------------------------------------------------------------------
// Prompt segment: awsmfa_prompt 10,000 times inside ONE shell; strace proves it starts no process.

const PROMPT_SCRIPTS = {
  bash: {
    file: 'shells/awsmfa.bash',
    argv: (script) => ['bash', '--norc', '--noprofile', '-c', script, 'bash'],
    clock: '',
    now: '$EPOCHREALTIME',
    epoch: '$EPOCHSECONDS',
    loop: (body) => `for ((i = 0; i < n; i++)); do ${body}; done`,
  },
  zsh: {
    file: 'shells/awsmfa.zsh',
    argv: (script) => ['zsh', '-f', '-c', script, 'zsh'],
    clock: 'zmodload zsh/datetime',
    now: '$EPOCHREALTIME',
    epoch: '$EPOCHSECONDS',
    loop: (body) => `for ((i = 0; i < n; i++)); do ${body}; done`,
  },
}

function promptScript(shell, file, n) {
  const s = PROMPT_SCRIPTS[shell]
  return `${s.clock}
source '${file}' || exit 1
export AWSMFA_PROFILE=prod AWSMFA_EXPIRATION=$((${s.epoch} + 43000))
n=${n}
awsmfa_prompt -v seg; check=$seg
t0=${s.now}; ${s.loop(':')}
t1=${s.now}; ${s.loop('awsmfa_prompt -v seg')}
t2=${s.now}; ${s.loop('awsmfa_prompt >/dev/null')}
t3=${s.now}
echo "$t0 $t1 $t2 $t3 $check"
`
}

function promptRows(pkg) {
  for (const shell of ['bash', 'zsh']) {
    const label = `prompt segment, ${shell} (\`awsmfa_prompt\`, per render)`
    const file = join(pkg.dir, PROMPT_SCRIPTS[shell].file)
    if (!existsSync(file)) {
      row({ id: `prompt-${shell}`, path: label, skipped: `${PROMPT_SCRIPTS[shell].file} not written yet` })
      continue
    }
    if (!which(shell)) {
      row({ id: `prompt-${shell}`, path: label, skipped: `${shell} not installed` })
      continue
    }
    log(`${label}: ${PROMPT_REPEATS} shells × ${PROMPT_RENDERS} renders`)
    const env = { PATH: process.env.PATH, HOME: join(work, 'home'), LC_ALL: 'C', TZ: 'UTC' }
    const perVar = []
    const perPrint = []
    let segment = ''
    try {
      for (let k = 0; k < PROMPT_REPEATS; k++) {
        const argv = PROMPT_SCRIPTS[shell].argv(promptScript(shell, file, PROMPT_RENDERS))
        const out = execFileSync(argv[0], argv.slice(1), { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] }).trim()
        const [t0, t1, t2, t3, ...rest] = out.split(' ')
        segment = rest.join(' ')
        const loop = Number(t1) - Number(t0)
        // Per render, net of the empty loop around it.
        perVar.push(((Number(t2) - Number(t1) - loop) / PROMPT_RENDERS) * 1e6)
        perPrint.push(((Number(t3) - Number(t2) - loop) / PROMPT_RENDERS) * 1e6)
      }
    } catch (error) {
      row({ id: `prompt-${shell}`, path: label, skipped: `failed: ${String(error.stderr || error.message).trim().split('\n')[0]}` })
      continue
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
    const processes = strace ? countProcesses(shell, file, env) : undefined
    const us = Math.max(median(perVar), median(perPrint))
    const noProcess = processes === undefined ? undefined : processes === 0
    row({
      id: `prompt-${shell}`, path: label,
      value: `${median(perVar).toFixed(1)} µs (\`-v seg\`), ${median(perPrint).toFixed(1)} µs (printing); segment \`${segment}\`; ` +
        (processes === undefined ? 'strace not installed' : `${processes} processes started in 1,000 renders (strace)`),
      target: '≤ 50 µs, no process', met: us <= 50 && noProcess !== false, runs: `${PROMPT_REPEATS} × ${PROMPT_RENDERS.toLocaleString('en')}`,
    })
  }
}

/** Process-creating syscalls in 1,000 renders: a traced run with the renders minus one without. */
function countProcesses(shell, file, env) {
  const count = (n) => {
    const out = join(work, `strace-${shell}-${n}`)
    const argv = PROMPT_SCRIPTS[shell].argv(promptScript(shell, file, n))
    execFileSync('strace', ['-f', '-qq', '-o', out, '-e', 'trace=execve,fork,vfork,clone,clone3', ...argv], { env, stdio: 'ignore' })
    return readFileSync(out, 'utf8').split('\n').filter((l) => /\b(execve|fork|vfork|clone3?)\(/.test(l)).length
  }
  return count(1000) - count(0)
}

// ---------------------------------------------------------------------------------------------
// Shell start-up added by the rc line: interactive bash/zsh with and without it.

async function startupRows(pkg) {
  const dir = join(work, 'rc')
  mkdirSync(dir)
  const env = { PATH: process.env.PATH, HOME: join(work, 'home'), TERM: 'dumb', LANG: 'C.UTF-8' }
  const shells = [
    { shell: 'bash', file: 'shells/awsmfa.bash', base: '', argv: (rc) => ['bash', '--rcfile', rc, '-i', '-c', 'exit'] },
    // compinit in both: a zsh user with completion has it already; the row is what the awsmfa line adds.
    { shell: 'zsh', file: 'shells/awsmfa.zsh', base: `autoload -Uz compinit && compinit -C -d '${dir}/zcompdump'\n`, argv: (zdotdir) => ['zsh', '-i', '-c', 'exit'], zsh: true },
  ]
  for (const s of shells) {
    const label = `${s.shell} start-up added by \`source ${s.file}\``
    const file = join(pkg.dir, s.file)
    if (!existsSync(file)) {
      row({ id: `startup-${s.shell}`, path: label, skipped: `${s.file} not written yet` })
      continue
    }
    if (!which(s.shell)) {
      row({ id: `startup-${s.shell}`, path: label, skipped: `${s.shell} not installed` })
      continue
    }
    const variants = {
      without: s.base,
      with: `${s.base}source '${file}'\n`,
      eval: `${s.base}eval "$('${NODE}' '${pkg.cli}' init ${s.shell})"\n`,
    }
    const results = {}
    try {
      const commands = {}
      for (const [name, text] of Object.entries(variants)) {
        let argv
        let e = env
        if (s.zsh) {
          const zdotdir = join(dir, `zsh-${name}`)
          mkdirSync(zdotdir)
          writeFileSync(join(zdotdir, '.zshrc'), text)
          e = { ...env, ZDOTDIR: zdotdir }
          argv = s.argv(zdotdir)
        } else {
          const rc = join(dir, `bashrc-${name}`)
          writeFileSync(rc, text)
          argv = s.argv(rc)
        }
        if (name !== 'without') {
          // The row means nothing unless the line really defines the integration in that shell.
          const probe = spawnSync(argv[0], [...argv.slice(1, -1), 'typeset -f awsmfa_prompt >/dev/null && echo loaded'], { env: e, encoding: 'utf8' })
          if (!probe.stdout.includes('loaded')) throw new Error(`${s.shell} -i with the ${name} line did not define awsmfa_prompt`)
        }
        commands[name] = { argv, env: e }
      }
      // Alternating rounds (without, with, eval, without, …): the row is a difference of two
      // medians, and a load change between two long blocks would show up as start-up cost.
      const seconds = Object.fromEntries(Object.keys(commands).map((k) => [k, []]))
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, c] of Object.entries(commands)) {
          const counts = name === 'eval' ? COUNTS.node : COUNTS.shell
          const r = await measure({ name: `${s.shell} -i (${name}, round ${round + 1})`, argv: c.argv, env: c.env,
            warmup: Math.max(1, Math.ceil(counts.warmup / ROUNDS)), runs: Math.ceil(counts.runs / ROUNDS) })
          seconds[name].push(...r.seconds)
        }
      }
      for (const name of Object.keys(commands)) results[name] = stats(seconds[name])
    } catch (error) {
      row({ id: `startup-${s.shell}`, path: label, skipped: error.message })
      continue
    }
    const added = results.with.median - results.without.median
    row({
      id: `startup-${s.shell}`, path: label,
      value: `${signed(added)} ms (${fmtMs(results.without.median)} → ${fmtMs(results.with.median)} ms)`,
      target: '≤ 5 ms', met: added <= 5, runs: results.with.runs, spreadText: `${spread(results.without)} / ${spread(results.with)}`,
    })
    row({
      id: `startup-${s.shell}-eval`, path: `${s.shell} start-up added by \`eval "$(awsmfa init ${s.shell})"\` (for comparison)`,
      value: `${signed(results.eval.median - results.without.median)} ms`, runs: results.eval.runs, spreadText: spread(results.eval),
    })
  }
}

// ---------------------------------------------------------------------------------------------

function renderReport(m0, m1) {
  const lines = []
  lines.push(`Machine: ${m0.nproc} × ${m0.cpu}, ${m0.memory}, Linux ${m0.kernel}; Node ${m0.node}; bash ${m0.bash}, zsh ${m0.zsh}; ${m0.aws}; hyperfine: ${m0.hyperfine}`)
  lines.push('')
  lines.push(`Date: ${m0.date}. Load average (1/5/15 min) before: ${m0.load}; after: ${m1.load}.`)
  lines.push('')
  lines.push('| path | median | spread (IQR, min) | runs | target | |')
  lines.push('|---|---|---|---|---|---|')
  for (const r of rows) {
    if (r.skipped) {
      lines.push(`| ${r.path} | skipped | ${r.skipped.replaceAll('|', '/')} | | | |`)
      continue
    }
    const value = r.value ?? `${fmtMs(r.median)} ms`
    const sp = r.spreadText ?? (r.q1 !== undefined ? spread(r) : '')
    const verdict = r.met === undefined ? '' : r.met ? 'met' : '**missed**'
    lines.push(`| ${r.path} | ${value} | ${sp} | ${r.runs ?? ''} | ${r.target ?? ''} | ${verdict} |`)
  }
  if (notes.length) lines.push('', ...notes.map((n) => `- ${n}`))
  return `${lines.join('\n')}\n`
}

try {
  await main()
} finally {
  cleanup()
}
