/**
 * The STS side of the bench: the emulator in its own process (bench/emulator-server.ts), the
 * world of users a row rotates through, and STS rows measured in alternating rounds.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { singleQuote } from '../lib/shells/posix.js'
import { cliEnv, configText, credentialsText, profileSection, roleProfile, writeAwsFiles } from '../test/helpers/aws-files.js'
import { NODE, REGION, ROOT, work, type Counts, type MeasuredRow, type Row } from './context.js'
import type { BenchEmulatorInfo } from './emulator-server.js'
import { alternatingRows, measure, perRound, type Env, type Measured } from './measure.js'

export interface RunningEmulator extends BenchEmulatorInfo {
  /** Stops it and returns how many answers of each kind it sent. */
  stop(): Promise<Record<string, number>>
}

let emulatorBundle: string | undefined
/** bench/emulator-server.ts as one plain file, so it starts as fast as Node can (no TS loader). */
async function bundleEmulator(): Promise<string> {
  if (emulatorBundle !== undefined) return emulatorBundle
  const { build } = await import('esbuild')
  const outfile = join(work, 'emulator-server.mjs')
  await build({ entryPoints: [join(ROOT, 'bench/emulator-server.ts')], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' })
  emulatorBundle = outfile
  return outfile
}

export interface TlsFront {
  cert: string
  key: string
}

/** Starts the emulator (optionally inside a network namespace, with a TLS front) and waits for its JSON line. */
export async function startEmulatorProcess({ users, netns, tls }: { users: number; netns?: string; tls?: TlsFront }): Promise<RunningEmulator> {
  const args = [await bundleEmulator(), '--users', String(users)]
  if (tls) args.push('--tls-port', '443', '--tls-cert', tls.cert, '--tls-key', tls.key)
  const argv = netns ? ['ip', 'netns', 'exec', netns, NODE, ...args] : [NODE, ...args]
  const [cmd = '', ...rest] = argv
  const child = spawn(cmd, rest, { stdio: ['pipe', 'pipe', 'inherit'], env: { PATH: process.env.PATH } })
  const lines = createInterface({ input: child.stdout })
  const iterator = lines[Symbol.asyncIterator]()
  const first = await Promise.race([
    iterator.next(),
    new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`emulator exited (${code})`)))),
  ])
  const info = JSON.parse(String(first.value)) as BenchEmulatorInfo
  let stopped: Promise<Record<string, number>> | undefined
  return {
    ...info,
    stop() {
      stopped ??= (async () => {
        child.stdin.end()
        const last = await iterator.next()
        return last.done ? {} : (JSON.parse(String(last.value)) as { answers: Record<string, number> }).answers
      })()
      return stopped
    },
  }
}

export interface BenchWorld {
  dir: string
  env: Record<string, string>
  /** Moves `cur` to the next user: run before every timed run, outside the timing. */
  prepare: string[]
  /** The AWS CLI's --cli-input-json file of the current user (only the device differs per run). */
  request: string
  codeFile: string
}

/**
 * One directory per emulator user (the tests' AWS files, the AWS CLI's request), and `cur`, a
 * symlink that rotate.sh moves to the next user before each run (outside the timing).
 */
export function makeBenchWorld(emu: BenchEmulatorInfo, name: string): BenchWorld {
  const dir = join(work, name)
  mkdirSync(join(dir, 'home'), { recursive: true })
  emu.users.forEach((user, i) => {
    const u = join(dir, `u${i + 1}`)
    writeAwsFiles(u, {
      config: configText([
        roleProfile('prod', { roleArn: emu.roleArn, source: 'src', mfaSerial: user.mfaSerial, region: REGION, durationSeconds: 43200 }),
        profileSection('src', { region: REGION }),
      ]),
      credentials: credentialsText('src', user),
    })
    writeFileSync(join(u, 'assume-role.json'), `${JSON.stringify({ SerialNumber: user.mfaSerial })}\n`)
  })
  writeFileSync(join(dir, 'counter'), '0\n')
  writeFileSync(join(dir, 'code'), `${emu.code}\n`)
  const q = singleQuote(dir)
  writeFileSync(join(dir, 'rotate.sh'), `# next user for the next run: cur -> uN
read n < ${q}/counter; n=$((n + 1)); echo "$n" > ${q}/counter
[ -d ${q}/u"$n" ] || { echo "bench: no unused MFA device left" >&2; exit 1; }
ln -sfn u"$n" ${q}/cur
`)
  const env = {
    ...cliEnv(join(dir, 'home'), { configPath: join(dir, 'cur/config'), credentialsPath: join(dir, 'cur/credentials') }),
    AWS_PAGER: '',
  }
  return { dir, env, prepare: ['sh', join(dir, 'rotate.sh')], request: join(dir, 'cur/assume-role.json'), codeFile: join(dir, 'code') }
}

/** Proof from the emulator that every run was one successful AssumeRole. */
export function checkAnswers(answers: Record<string, number>, expected: number, label: string): void {
  const ok = answers['AssumeRole 200'] ?? 0
  const other = Object.entries(answers).filter(([k]) => k !== 'AssumeRole 200')
  if (ok !== expected || other.length > 0) {
    throw new Error(`${label}: expected ${expected} successful AssumeRole answers, emulator sent ${JSON.stringify(answers)}`)
  }
}

export interface StsOptions {
  netns?: string
  tls?: TlsFront
  stdin?: (world: BenchWorld) => string
  /** The floor's bare POST is not a signed AssumeRole: it only needs an answer. */
  anyAnswer?: boolean
}

export interface StsSpec {
  id: string
  path: string
  counts: Counts
  opts?: StsOptions
  command: (emu: BenchEmulatorInfo, world: BenchWorld) => { argv: string[]; env: Env }
}

/**
 * One round of an STS row: a fresh emulator (its clock frozen for this round only) with one MFA
 * user per run, the command timed while rotate.sh hands each run the next user, then proof from
 * the emulator that every run was one successful AssumeRole.
 */
async function stsRound(spec: StsSpec, round: number): Promise<Measured> {
  const counts = perRound(spec.counts)
  const { netns, tls, stdin, anyAnswer } = spec.opts ?? {}
  const total = counts.warmup + counts.runs
  const emu = await startEmulatorProcess({ users: total + 2, ...(netns === undefined ? {} : { netns }), ...(tls === undefined ? {} : { tls }) })
  try {
    const world = makeBenchWorld(emu, `${spec.id}-${round}`)
    const { argv, env } = spec.command(emu, world)
    const r = await measure({
      name: `${spec.id} (round ${round + 1})`, argv, env, prepare: world.prepare,
      ...(netns === undefined ? {} : { netns }), ...(stdin === undefined ? {} : { stdin: stdin(world) }), ...counts,
    })
    if (!anyAnswer) checkAnswers(await emu.stop(), total, spec.id)
    return r
  } finally {
    await emu.stop()
  }
}

/**
 * STS rows measured in alternating rounds, so a change in the machine's load (other jobs come and
 * go) hits awsmfa and the AWS CLI alike and cannot fake a ratio.
 */
export function stsRows(specs: readonly StsSpec[]): Promise<Array<MeasuredRow | Row>> {
  return alternatingRows(specs, stsRound)
}
