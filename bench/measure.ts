/**
 * Timing a command many times: with hyperfine (--export-json, warm-up, fixed run count) when it is
 * installed, else with an own loop (warm-up, then the same statistics from hrtime); and rows
 * measured in alternating rounds, so a change in the machine's load hits every row alike.
 */
import { closeSync, openSync, readFileSync } from 'node:fs'
import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { singleQuote } from '../lib/shells/posix.js'
import { ROUNDS, hyperfine, log, messageOf, row, work, type Counts, type MeasuredRow, type Row, type Stats } from './context.js'

export function stats(seconds: readonly number[]): Stats {
  const ms = seconds.map((s) => s * 1000).sort((a, b) => a - b)
  const sorted = (i: number): number => ms[i] ?? Number.NaN
  const at = (p: number): number => {
    const i = (ms.length - 1) * p
    const lo = Math.floor(i)
    const hi = Math.ceil(i)
    return sorted(lo) + (sorted(hi) - sorted(lo)) * (i - lo)
  }
  const mean = ms.reduce((a, b) => a + b, 0) / ms.length
  const sd = Math.sqrt(ms.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, ms.length - 1))
  return { runs: ms.length, median: at(0.5), q1: at(0.25), q3: at(0.75), min: sorted(0), max: sorted(ms.length - 1), mean, sd }
}

export type Env = Record<string, string | undefined>

export interface MeasureSpec extends Counts {
  name: string
  argv: string[]
  env: Env
  /** Runs before every run, outside the timing. */
  prepare?: string[]
  /** A file for the command's stdin. */
  stdin?: string
  /** A network namespace to run it in. */
  netns?: string
}

export interface Measured extends Stats {
  seconds: number[]
  tool: string
}

/** Times `spec.argv` (warm-up, then runs). Every run must exit 0, or the row fails. */
export async function measure(spec: MeasureSpec): Promise<Measured> {
  log(`${spec.name} (${spec.warmup} warm-up + ${spec.runs} runs${hyperfine ? ', hyperfine' : ''})`)
  const prefix = spec.netns ? ['ip', 'netns', 'exec', spec.netns] : []
  if (hyperfine) {
    const out = join(work, `hf-${Date.now()}-${Math.random().toString(36).slice(2)}.json`)
    let command = spec.argv.map(singleQuote).join(' ')
    // hyperfine 1.15 gives commands no stdin: a redirect needs its shell (whose start it subtracts).
    const shell = spec.stdin ? ['--shell', 'sh'] : ['-N']
    if (spec.stdin) command += ` < ${singleQuote(spec.stdin)}`
    const args = [
      ...shell, '--style', 'none', '--warmup', String(spec.warmup), '--runs', String(spec.runs),
      '--export-json', out, '--command-name', spec.name,
      ...(spec.prepare ? ['--prepare', spec.prepare.map(singleQuote).join(' ')] : []),
      command,
    ]
    const result = await runOnce([...prefix, hyperfine, ...args], { env: spec.env, stdin: 'ignore' })
    if (result.status !== 0) throw new Error(`${spec.name}: hyperfine failed: ${result.stderr.trim().split('\n').slice(-6).join(' | ')}`)
    const exported = JSON.parse(readFileSync(out, 'utf8')) as { results: Array<{ times: number[] }> }
    const times = exported.results[0]?.times ?? []
    return { ...stats(times), seconds: times, tool: 'hyperfine' }
  }
  const times: number[] = []
  for (let i = 0; i < spec.warmup + spec.runs; i++) {
    if (spec.prepare) {
      const [cmd = '', ...args] = spec.prepare
      const p = spawnSync(cmd, args, { env: spec.env, stdio: 'ignore' })
      if (p.status !== 0) throw new Error(`${spec.name}: prepare failed`)
    }
    const stdin = spec.stdin ? openSync(spec.stdin, 'r') : 'ignore'
    const r = await runOnce([...prefix, ...spec.argv], { env: spec.env, stdin })
    if (typeof stdin === 'number') closeSync(stdin)
    if (r.status !== 0) throw new Error(`${spec.name}: exit ${r.status}: ${r.stderr.trim().split('\n')[0]}`)
    if (i >= spec.warmup) times.push(r.seconds)
  }
  return { ...stats(times), seconds: times, tool: 'own loop' }
}

interface RunResult {
  status: number | null
  stderr: string
  seconds: number
}

let discard: number | undefined
/**
 * /dev/null opened write-only, as hyperfine and a shell's `>/dev/null` give it: stdio 'ignore'
 * opens it read-write, which the CLI takes for a stdout that was closed (lib/real-deps.ts).
 */
function devNull(): number {
  discard ??= openSync('/dev/null', 'w')
  return discard
}

/**
 * Runs one command in a new session — without a controlling terminal, so a prompt reads the code
 * from stdin instead of waiting on /dev/tty — and times it from spawn to exit.
 */
function runOnce(argv: string[], { env, stdin }: { env: Env; stdin: 'ignore' | number }): Promise<RunResult> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint()
    const [cmd = '', ...args] = argv
    const child = spawn(cmd, args, { env, stdio: [stdin, devNull(), 'pipe'], detached: true })
    let stderr = ''
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
    })
    child.on('error', (error) => resolve({ status: -1, stderr: error.message, seconds: 0 }))
    child.on('close', (status) => resolve({ status, stderr, seconds: Number(process.hrtime.bigint() - t0) / 1e9 }))
  })
}

/** One round's share of `counts` (at least one warm-up). */
export const perRound = (counts: Counts): Counts => ({ warmup: Math.max(1, Math.ceil(counts.warmup / ROUNDS)), runs: Math.ceil(counts.runs / ROUNDS) })

/**
 * Rows measured in alternating rounds (A, B, C, A, B, C, …): `measureRound` times one spec for
 * one round. Returns the rows (measured or skipped), in the order of `specs`.
 */
export async function alternatingRows<S extends { id: string; path: string }>(
  specs: readonly S[],
  measureRound: (spec: S, round: number) => Promise<Measured>,
): Promise<Array<MeasuredRow | Row>> {
  const results = specs.map(() => ({ seconds: [] as number[], tool: '', error: undefined as string | undefined }))
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, spec] of specs.entries()) {
      const res = results[i]
      if (res === undefined || res.error !== undefined) continue
      try {
        const r = await measureRound(spec, round)
        res.seconds.push(...r.seconds)
        res.tool = r.tool
      } catch (error) {
        log(`${spec.path}: ${messageOf(error)}`)
        res.error = messageOf(error)
      }
    }
  }
  return specs.map((spec, i) => {
    const res = results[i]
    return res?.error !== undefined || res === undefined
      ? row({ id: spec.id, path: spec.path, skipped: res?.error ?? 'not measured' })
      : row({ id: spec.id, path: spec.path, ...stats(res.seconds), tool: res.tool })
  })
}

/** Plain rows (a command and its environment) in alternating rounds. */
export function roundRows(specs: ReadonlyArray<{ id: string; path: string; argv: string[]; env: Env; counts: Counts }>): Promise<Array<MeasuredRow | Row>> {
  return alternatingRows(specs, (spec, round) =>
    measure({ name: `${spec.path} (round ${round + 1})`, argv: spec.argv, env: spec.env, ...perRound(spec.counts) }))
}
