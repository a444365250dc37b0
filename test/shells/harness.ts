/**
 * Runs awsmfa's shell output in the real shells and reads the variables back from a CHILD process
 * (`env -0`), which proves they were exported and not just set, byte for byte.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Shell, ShellName } from '../../lib/shells/index.js'
import { SHELL_TABLE, findExe, findShell, readDump, requireRow, shellRow, type ShellRow } from '../helpers/shell-table.js'

/** One way of running a script file with a real shell, made from the shell table. */
export interface Runner {
  /** The shell module whose output this runner reads. */
  readonly module: ShellName
  /** The row whose binary runs it (the module's own, or a readBy host). */
  readonly host: ShellRow
  /** A binary outside the table instead of host's (Variant.exe). */
  readonly exe?: string
  readonly label: string
  /** Arguments; `file` is an absolute path of safe characters. */
  args(file: string): string[]
}

/**
 * The main way of each row (its evalFile in its own binary) and of each readBy host: one runner
 * per way a user evaluates `awsmfa env` output, for the batched tests (random, locales).
 */
export const MAIN_RUNNERS: readonly Runner[] = SHELL_TABLE.flatMap((row) => [
  { module: row.name, host: row, label: `${row.label} ${row.evalFile('FILE')}`, args: (f: string) => row.command(row.evalFile(f)) },
  ...(row.readBy ?? []).map((name) => {
    const host = shellRow(name)
    return { module: row.name, host, label: `${row.name} output in ${host.label} ${host.evalFile('FILE')}`, args: (f: string) => host.command(host.evalFile(f)) }
  }),
])

/** Every way: the main ones, each row's script file, and its shell-specific variants. */
export const RUNNERS: readonly Runner[] = [
  ...MAIN_RUNNERS,
  ...SHELL_TABLE.flatMap((row) => [
    { module: row.name, host: row, label: `${row.label} script file`, args: (f: string) => row.file(f) },
    ...row.variants.map((v) => ({ module: row.name, host: shellRow(v.host ?? row.name), ...(v.exe === undefined ? {} : { exe: v.exe }), label: v.label, args: (f: string) => v.args(f) })),
  ]),
]

/** The binary of `runner`, or undefined. */
export function runnerPath(runner: Runner): string | undefined {
  return runner.exe === undefined ? findShell(runner.host) : findExe(runner.exe)
}

/**
 * The binary for a test of `runner` (call first in the test): a missing shell is a skip locally
 * and a failure in CI, as requireRow says.
 */
export function requireRunner(t: { fail(message: string): unknown; plan(count: number, comment?: string): unknown }, runner: Runner): string | undefined {
  if (runner.exe === undefined) return requireRow(t, runner.host)
  const path = findExe(runner.exe)
  if (path !== undefined) return path
  return requireRow(t, { ...runner.host, exe: runner.exe, dirs: [] })
}

const SAFE_PATH = /^[A-Za-z0-9_./-]+$/

/** A fresh temporary directory whose path is safe to embed in any shell's script unquoted. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `awsmfa-${prefix}-`))
  if (!SAFE_PATH.test(dir)) throw new Error(`temporary path ${dir} has characters the test cannot embed`)
  return dir
}

/** The statement, in `shell`'s syntax, that records the environment a child process sees into `out.env` in cwd. */
export function readerStatement(shell: ShellName): string {
  return shellRow(shell).dumpEnv('out.env')
}

export interface RunResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
  /** AWSMFA_* variables a child process saw, as UTF-8 bytes. */
  readonly env: ReadonlyMap<string, Buffer>
  /** Whether some value ran `touch CANARY` / `New-Item CANARY`. */
  readonly canary: boolean
  readonly error?: Error
}

/** Write the script into `dir` and run it with `runner` in a fresh working directory under `dir`. */
/** A shell's whole environment in these tests: PATH, a fresh HOME (and every rc directory in it), the locale. */
export function shellEnvironment(home: string, locale: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    ZDOTDIR: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CACHE_HOME: join(home, 'cache'),
    LC_ALL: locale,
  }
}

export function runScript(runner: Runner, script: string, dir: string, locale: string, extraEnv: Record<string, string> = {}): RunResult {
  const file = join(dir, `script.${shellRow(runner.module).ext}`)
  writeFileSync(file, `${script}\n`)
  const cwd = mkdtempSync(join(dir, 'run-'))
  const home = join(cwd, 'home')
  mkdirSync(home)
  const env = { ...shellEnvironment(home, locale), ...extraEnv }
  const r = spawnSync(runnerPath(runner) ?? runner.exe ?? runner.host.exe, runner.args(file), { cwd, env, encoding: 'utf8', timeout: 60_000 })
  const envMap = new Map([...(readDump(join(cwd, 'out.env')) ?? [])].filter(([name]) => name.startsWith('AWSMFA_')))
  const result: RunResult = {
    status: r.status,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    env: envMap,
    canary: existsSync(join(cwd, 'CANARY')),
    ...(r.error ? { error: r.error } : {}),
  }
  rmSync(cwd, { recursive: true, force: true })
  return result
}

/** Build a script of `set` lines for values (named AWSMFA_<prefix><i>) and what a child must see. */
export function setLines(shell: Shell, prefix: string, values: readonly string[]): { lines: string[]; expected: Map<string, string> } {
  const lines: string[] = []
  const expected = new Map<string, string>()
  values.forEach((value, i) => {
    const name = `AWSMFA_${prefix}${i}`
    lines.push(shell.set(name, value))
    // PowerShell writes an empty value as a removal (assigning '' deletes before pwsh 7.5)
    if (!(shellRow(shell.name).emptyIsUnset && value === '')) expected.set(name, value)
  })
  return { lines, expected }
}

/** Names whose bytes differ between what was expected and what a child saw, with both sides. */
export function differences(expected: ReadonlyMap<string, string>, actual: ReadonlyMap<string, Buffer>): string[] {
  const out: string[] = []
  for (const [name, value] of expected) {
    const got = actual.get(name)
    if (got === undefined) out.push(`${name}: expected ${JSON.stringify(value)}, absent`)
    else if (!got.equals(Buffer.from(value, 'utf8'))) {
      out.push(`${name}: expected ${JSON.stringify(value)} (${Buffer.from(value, 'utf8').toString('hex')}), got ${JSON.stringify(got.toString('utf8'))} (${got.toString('hex')})`)
    }
  }
  for (const name of actual.keys()) if (!expected.has(name)) out.push(`${name}: unexpected, ${JSON.stringify(actual.get(name)?.toString('utf8'))}`)
  return out
}
