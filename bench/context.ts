/**
 * What every measurement family of `npm run bench` shares: the options, the run counts, the
 * scratch folder and its clean-up, the tools found on this machine, and the rows of the report.
 */
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { singleQuote } from '../lib/shells/posix.js'
import { AWS, ROOT, log, messageOf } from './common.js'

export { AWS, NODE, REGION, ROOT, SESSION_NAME, STS_HOST, log, messageOf } from './common.js'

export const { values: opt } = parseArgs({
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
const only = opt.only === undefined ? undefined : new Set(opt.only.split(','))
/** Whether the row family `id` was asked for (--only). */
export const want = (id: string): boolean => only === undefined || only.has(id)
export const QUICK = opt.quick

export interface Counts {
  warmup: number
  runs: number
}
/** Run counts: Node paths are cheap, the AWS CLI is not; --quick for a smoke run. */
export const COUNTS = {
  node: { warmup: QUICK ? 2 : 5, runs: QUICK ? 8 : 40 },
  sts: { warmup: QUICK ? 1 : 3, runs: QUICK ? 5 : 30 },
  aws: { warmup: QUICK ? 1 : 2, runs: QUICK ? 4 : 15 },
  shell: { warmup: QUICK ? 3 : 10, runs: QUICK ? 20 : 200 },
} satisfies Record<string, Counts>
/** Rows that alternate do so in this many rounds (see measure.ts). */
export const ROUNDS = QUICK ? 1 : 3

export const work = mkdtempSync(join(tmpdir(), 'awsmfa-bench-'))
const cleanups: Array<() => void> = []
/** Runs `fn` when the bench ends, however it ends (last registered, first run). */
export const atCleanup = (fn: () => void): void => void cleanups.push(fn)
export function cleanup(): void {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      fn()
    } catch (error) {
      log(`cleanup: ${messageOf(error)}`)
    }
  }
}
process.on('exit', cleanup)
// Clean up, then die of the same signal (the caller sees 128+n): no process.exit cutting output short.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cleanup()
    process.kill(process.pid, signal)
  })
}
atCleanup(() => rmSync(work, { recursive: true, force: true }))

// ---------------------------------------------------------------------------------------------
// The tools

/** A command's trimmed stdout, or undefined when it fails. */
export function sh(cmd: string, args: string[], options: ExecFileSyncOptions = {}): string | undefined {
  try {
    return String(execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], ...options })).trim()
  } catch {
    return undefined
  }
}
export const which = (name: string): string | undefined => sh('sh', ['-c', `command -v ${singleQuote(name)}`])
export const hyperfine = opt['no-hyperfine'] ? undefined : which('hyperfine')
export const strace = which('strace')
/** Node 22 and 24 as users mostly run them (DESIGN.md, Runtime), where scripts/fetch-node.sh fetched them. */
export function otherNodes(): Array<{ major: string; node: string; version: string | undefined }> {
  return ['22', '24'].flatMap((major) => {
    const node = join(ROOT, `.node-versions/${major}/bin/node`)
    return existsSync(node) ? [{ major, node, version: sh(node, ['--version']) }] : []
  })
}
export const awsVersion = existsSync(AWS) ? sh(AWS, ['--version'], { env: { PATH: process.env.PATH, HOME: work } }) : undefined

// ---------------------------------------------------------------------------------------------
// The report's rows

export interface Stats {
  runs: number
  median: number
  q1: number
  q3: number
  min: number
  max: number
  mean: number
  sd: number
}

/** One line of the table: measured (stats, or a `value` of its own) or skipped with the reason. */
export interface Row extends Partial<Omit<Stats, 'runs'>> {
  id: string
  path: string
  skipped?: string
  value?: string
  target?: string
  met?: boolean
  runs?: number | string
  spreadText?: string
  tool?: string
  ratio?: number
  overFloor?: number
}
export type MeasuredRow = Row & Stats

export const rows: Row[] = []
export const notes: string[] = []

export function row<R extends Row>(fields: R): R {
  rows.push(fields)
  return fields
}

/** Puts `fields` right after the row `after`. */
export function place<R extends Row>(after: Row, fields: R): R {
  rows.splice(rows.indexOf(after) + 1, 0, fields)
  return fields
}

/** Whether `r` was measured (not skipped) and has its statistics. */
export function usable(r: Row | undefined): r is MeasuredRow {
  return r !== undefined && r.skipped === undefined && r.median !== undefined
}

/** Runs `fn`, recording the row it makes or the reason it was skipped. */
export async function tryRow<T>(id: string, label: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn()
  } catch (error) {
    log(`${label}: ${messageOf(error)}`)
    row({ id, path: label, skipped: messageOf(error) })
    return undefined
  }
}

/** The built package the bench times (a snapshot: see run.ts). */
export interface Package {
  dir: string
  cli: string
}
