/**
 * Runs awsmfa's shell output in the real shells and reads the variables back from a CHILD process
 * (`env -0`), which proves they were exported and not just set, byte for byte.
 */
import { spawnSync } from 'node:child_process'
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import type { Shell, ShellName } from '../../lib/shells/index.js'
import { pwshPath } from '../helpers/shells.js'

/** One way of running a script file with a real shell. */
export interface Runner {
  /** The shell module whose output this runner reads. */
  readonly module: ShellName
  /** The executable, looked up on PATH. */
  readonly exe: string
  readonly label: string
  /** Arguments; `file` is an absolute path of safe characters. */
  args(file: string): string[]
}

const evalArgs = (prelude: string) => (file: string) => ['-c', `${prelude}eval "$(cat '${file}')"`, 'awsmfa-test']

// Aliases and functions that would run `touch CANARY` if the output called them unprotected.
const ALIASES = `alias export='touch CANARY;'; alias unset='touch CANARY;'; `
const FUNCTIONS = `export() { touch CANARY; }; unset() { touch CANARY; }; `

export const RUNNERS: readonly Runner[] = [
  { module: 'bash', exe: 'bash', label: 'bash eval "$(cat)"', args: evalArgs('') },
  { module: 'bash', exe: 'bash', label: 'bash script file', args: (f) => [f] },
  { module: 'bash', exe: 'bash', label: 'bash set -euo pipefail, extglob', args: evalArgs('set -euo pipefail; shopt -s extglob; ') },
  { module: 'bash', exe: 'bash', label: 'bash --posix', args: (f) => ['--posix', ...evalArgs('')(f)] },
  { module: 'bash', exe: 'bash', label: 'bash with export/unset aliases and functions', args: evalArgs(`shopt -s expand_aliases; ${ALIASES}${FUNCTIONS}`) },
  { module: 'zsh', exe: 'zsh', label: 'zsh -f eval "$(cat)"', args: (f) => ['-f', ...evalArgs('')(f)] },
  { module: 'zsh', exe: 'zsh', label: 'zsh -f script file', args: (f) => ['-f', f] },
  { module: 'zsh', exe: 'zsh', label: 'zsh prompt_subst', args: (f) => ['-f', ...evalArgs('setopt prompt_subst; ')(f)] },
  {
    module: 'zsh',
    exe: 'zsh',
    label: 'zsh rc_quotes sh_word_split glob_subst posix_builtins err_exit no_unset',
    args: (f) => ['-f', ...evalArgs('setopt rc_quotes sh_word_split glob_subst posix_builtins err_exit no_unset; ')(f)],
  },
  { module: 'zsh', exe: 'zsh', label: 'zsh with export/unset aliases and functions', args: (f) => ['-f', ...evalArgs(`${ALIASES}${FUNCTIONS}`)(f)] },
  { module: 'sh', exe: 'dash', label: 'dash eval "$(cat)"', args: evalArgs('') },
  { module: 'sh', exe: 'dash', label: 'dash script file', args: (f) => [f] },
  { module: 'sh', exe: 'dash', label: 'dash set -eu', args: evalArgs('set -eu; ') },
  { module: 'sh', exe: 'dash', label: 'dash with export/unset aliases', args: evalArgs(ALIASES) },
  { module: 'sh', exe: 'sh', label: 'sh eval "$(cat)"', args: evalArgs('set -eu; ') },
  // the sh output is also the default that bash and zsh must read
  { module: 'sh', exe: 'bash', label: 'sh output in bash eval', args: evalArgs('set -euo pipefail; ') },
  { module: 'sh', exe: 'bash', label: 'sh output in bash with aliases', args: evalArgs(`shopt -s expand_aliases; ${ALIASES}`) },
  { module: 'sh', exe: 'zsh', label: 'sh output in zsh eval', args: (f) => ['-f', ...evalArgs('')(f)] },
  { module: 'sh', exe: 'zsh', label: 'sh output in zsh with aliases', args: (f) => ['-f', ...evalArgs(ALIASES)(f)] },
  { module: 'fish', exe: 'fish', label: 'fish source', args: (f) => ['-N', '-c', `source '${f}'`] },
  { module: 'fish', exe: 'fish', label: 'fish script file', args: (f) => ['-N', f] },
  { module: 'fish', exe: 'fish', label: 'fish cat | source', args: (f) => ['-N', '-c', `cat '${f}' | source`] },
  {
    module: 'fish',
    exe: 'fish',
    label: 'fish source inside a function (like the integration)',
    args: (f) => ['-N', '-c', `function awsmfa_t; cat '${f}' | source; end; awsmfa_t`],
  },
  { module: 'powershell', exe: 'pwsh', label: 'pwsh -File', args: (f) => ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', f] },
  {
    module: 'powershell',
    exe: 'pwsh',
    label: 'pwsh Get-Content | Invoke-Expression',
    args: (f) => ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', `Get-Content -Raw -LiteralPath '${f}' | Invoke-Expression`],
  },
]

/** Absolute path of `exe` on PATH (pwsh also where scripts/setup.sh installs it), or undefined. */
export function which(exe: string): string | undefined {
  if (exe === 'pwsh') return pwshPath()
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue
    const path = join(dir, exe)
    try {
      accessSync(path, constants.X_OK)
      return path
    } catch {
      // not here
    }
  }
  return undefined
}

const SAFE_PATH = /^[A-Za-z0-9_./-]+$/

/** A fresh temporary directory whose path is safe to embed in any shell's script unquoted. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `awsmfa-${prefix}-`))
  if (!SAFE_PATH.test(dir)) throw new Error(`temporary path ${dir} has characters the test cannot embed`)
  return dir
}

export const READER = `
const fs = require('node:fs')
const out = {}
for (const [k, v] of Object.entries(process.env)) if (k.startsWith('AWSMFA_')) out[k] = Buffer.from(v, 'utf8').toString('base64')
fs.writeFileSync(process.argv[2], JSON.stringify(out))
`

/**
 * The statement that records the environment as seen by a child process into `out.env` in cwd.
 * `dir` is the directory later handed to runScript, which writes reader.cjs there.
 */
export function readerStatement(shell: ShellName, dir: string): string {
  if (shell === 'powershell') {
    // pwsh re-encodes native output it redirects, so the child writes the file itself
    return `& '${process.execPath}' '${join(dir, 'reader.cjs')}' out.json`
  }
  return 'env -0 > out.env'
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
export function runScript(runner: Runner, script: string, dir: string, locale: string, extraEnv: Record<string, string> = {}): RunResult {
  const ext = runner.module === 'powershell' ? 'ps1' : runner.module
  const file = join(dir, `script.${ext}`)
  writeFileSync(file, `${script}\n`)
  writeFileSync(join(dir, 'reader.cjs'), READER)
  const cwd = mkdtempSync(join(dir, 'run-'))
  const home = join(cwd, 'home')
  mkdirSync(home)
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    ZDOTDIR: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CACHE_HOME: join(home, 'cache'),
    LC_ALL: locale,
    ...extraEnv,
  }
  const r = spawnSync(which(runner.exe) ?? runner.exe, runner.args(file), { cwd, env, encoding: 'utf8', timeout: 60_000 })
  const envMap = new Map<string, Buffer>()
  const envFile = join(cwd, 'out.env')
  const jsonFile = join(cwd, 'out.json')
  if (existsSync(envFile)) {
    for (const entry of splitNul(readFileSync(envFile))) {
      const eq = entry.indexOf(0x3d)
      const name = entry.subarray(0, eq).toString('latin1')
      if (name.startsWith('AWSMFA_')) envMap.set(name, entry.subarray(eq + 1))
    }
  } else if (existsSync(jsonFile)) {
    const parsed = JSON.parse(readFileSync(jsonFile, 'utf8')) as Record<string, string>
    for (const [k, v] of Object.entries(parsed)) envMap.set(k, Buffer.from(v, 'base64'))
  }
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

function splitNul(buf: Buffer): Buffer[] {
  const parts: Buffer[] = []
  let start = 0
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 0) {
      parts.push(buf.subarray(start, i))
      start = i + 1
    }
  }
  return parts
}

/** Build a script of `set` lines for values (named AWSMFA_<prefix><i>) and what a child must see. */
export function setLines(shell: Shell, prefix: string, values: readonly string[]): { lines: string[]; expected: Map<string, string> } {
  const lines: string[] = []
  const expected = new Map<string, string>()
  values.forEach((value, i) => {
    const name = `AWSMFA_${prefix}${i}`
    lines.push(shell.set(name, value))
    // PowerShell writes an empty value as a removal (assigning '' deletes before pwsh 7.5)
    if (!(shell.name === 'powershell' && value === '')) expected.set(name, value)
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
