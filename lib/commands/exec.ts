import { constants as fsConstants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { constants as osConstants } from 'node:os'
import { delimiter, join } from 'node:path'
import type { Deps, Env } from '../deps.js'
import { DEFAULT_MIN_REMAINING, formatRemaining, parseMinRemaining } from '../duration.js'
import { AwsmfaError, EXIT } from '../errors.js'
import { heldRegion } from '../region.js'
import { applyEnvironmentChange, environmentChange, heldSession, sessionFromEnvironment, type EnvironmentChange, type HeldSession } from '../session.js'
import { printable } from '../text.js'
import type { SessionOptions } from '../assume.js'
import { sharedSession } from '../agent/share.js'

export interface ExecOptions extends SessionOptions {
  /** Reuse this terminal's session for the same profile when at least this much is left (`15m`). */
  readonly minRemaining?: string | undefined
  /** --no-agent: neither ask a running agent nor hand it the new session. */
  readonly noAgent?: boolean | undefined
  /** The program and its arguments, exactly as given after `--`. */
  readonly command: readonly string[]
}

/** Exit codes a shell uses for a command it cannot run. */
export const EXIT_NOT_FOUND = 127
export const EXIT_NOT_EXECUTABLE = 126

/** Signals that stop awsmfa are passed on, so the child can clean up and decide how to end. */
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
/** The variables that prove this terminal holds a usable session. */

/**
 * `awsmfa exec <profile> -- <command> [args…]`: runs one command with the session in its
 * environment, stdio inherited, signals forwarded, and returns the child's exit code. awsmfa
 * itself writes nothing on stdout: that stream belongs to the child.
 */
export async function execCommand(options: ExecOptions, deps: Deps): Promise<number> {
  const [file, ...args] = options.command
  if (file === undefined || file === '') {
    throw new AwsmfaError('name the command to run after --', {
      fix: `awsmfa exec ${printable(options.profile)} -- aws sts get-caller-identity`,
      exitCode: EXIT.usage,
    })
  }
  const minRemaining = parseMinRemaining(options.minRemaining ?? DEFAULT_MIN_REMAINING)
  // A command that cannot run must not cost an MFA code: look for it first.
  await assertRunnable(file, deps.env.PATH)
  const env = await childEnvironment(options, minRemaining, deps)
  return runChild(file, args, env, deps)
}

function notFound(file: string): AwsmfaError {
  const fix = file.includes('/') ? 'check the path' : 'check the name, or that its directory is on PATH'
  return new AwsmfaError(`command not found: '${printable(file)}'`, { fix, exitCode: EXIT_NOT_FOUND })
}

function notExecutable(file: string): AwsmfaError {
  const shown = printable(file)
  return new AwsmfaError(`cannot run '${shown}': it is not an executable file`, {
    fix: `make it executable (chmod +x '${shown}'), or run it through its interpreter (sh '${shown}')`,
    exitCode: EXIT_NOT_EXECUTABLE,
  })
}

/**
 * Finds the command as execvp would (a path with `/` as it is, else each PATH entry in order) and
 * refuses it with 127 or 126 when it cannot be run. On Windows the spawn itself decides (PATHEXT).
 */
async function assertRunnable(file: string, path: string | undefined): Promise<void> {
  if (process.platform === 'win32') return
  const candidates = file.includes('/') ? [file] : (path ?? '').split(delimiter).map((dir) => join(dir || '.', file))
  let sawUnexecutable = false
  for (const candidate of candidates) {
    let isFile: boolean
    try {
      isFile = (await stat(candidate)).isFile()
    } catch {
      continue
    }
    if (!isFile) {
      sawUnexecutable = true
      continue
    }
    try {
      await access(candidate, fsConstants.X_OK)
      return
    } catch {
      sawUnexecutable = true
    }
  }
  throw sawUnexecutable ? notExecutable(file) : notFound(file)
}

/**
 * The child's command line. Everything after the first `--` is taken from argv verbatim: yargs
 * would turn `0x10` into 16 and read the child's `-l` or `--region` as awsmfa's own. Without
 * `--`, a command is accepted only when no option appears anywhere, so nothing is misread.
 */
export function execCommandLine(argv: readonly string[], positional: readonly unknown[]): string[] {
  const words = positional.map(String)
  const separator = argv.indexOf('--')
  if (separator !== -1) return [...words, ...argv.slice(separator + 1)]
  if (words.length > 0 && argv.some((word) => word.startsWith('-'))) {
    throw new AwsmfaError('put -- between awsmfa\'s options and the command, so that the command\'s own options reach it unchanged', {
      fix: `awsmfa exec PROFILE [options] -- ${printable(words.join(' '))}`,
      exitCode: EXIT.usage,
    })
  }
  return words
}

/**
 * The session this terminal already holds for `profile`, when it has at least `minRemaining`
 * seconds left and all its keys are present. Reusing it costs no MFA code and no STS call.
 */
export function reusableSession(env: Env, profile: string, minRemaining: number, nowMs: number): { remaining: number; held: HeldSession & { readonly expiresAt: number } } | undefined {
  const held = heldSession(env, nowMs)
  if (held?.profile !== profile || held.incomplete !== undefined || held.expiresAt === undefined) return undefined
  const remaining = held.expiresAt - Math.floor(nowMs / 1000)
  return remaining >= minRemaining ? { remaining, held: { ...held, expiresAt: held.expiresAt } } : undefined
}

async function childEnvironment(options: ExecOptions, minRemaining: number, deps: Deps): Promise<Record<string, string>> {
  // The integration hands AWSMFA_SHELL to this call only; the command may be a script in another shell.
  const own = new Map<string, string | undefined>([['AWSMFA_SHELL', undefined]])
  const reuse = reusableSession(deps.env, options.profile, minRemaining, deps.now())
  if (reuse !== undefined) {
    if (options.verbose) {
      deps.stderr.write(`awsmfa: reusing this terminal's session for ${printable(options.profile)} (${formatRemaining(reuse.remaining)} left); no MFA needed\n`)
    }
    // The change env made for this session, again: its keys, and --region (else the region it holds).
    const held = sessionFromEnvironment(deps.env, reuse.held, options.region || heldRegion(deps.env))
    return applyEnvironmentChange(deps.env, merged(environmentChange(held), own))
  }
  const session = await sharedSession(options, { noAgent: options.noAgent, minRemaining }, deps)
  return applyEnvironmentChange(deps.env, merged(environmentChange(session), own))
}

function merged(...changes: EnvironmentChange[]): EnvironmentChange {
  return new Map(changes.flatMap((change) => [...change]))
}

async function runChild(file: string, args: readonly string[], env: Record<string, string>, deps: Deps): Promise<number> {
  const { execa } = await import('execa')
  const child = execa(file, [...args], {
    stdio: 'inherit',
    env,
    extendEnv: false,
    reject: false,
    // Forwarded signals are the child's to handle; never escalate to SIGKILL on its behalf.
    forceKillAfterDelay: false,
    stripFinalNewline: false,
  })
  // At a terminal, Ctrl-C, Ctrl-\\ and a hang-up go to the whole foreground process group, the
  // child included: forwarding them too would deliver each twice (terraform takes a second
  // interrupt as "stop now"). awsmfa still catches them so it outlives the child and reports its
  // code. SIGTERM comes from a person or a supervisor aimed at awsmfa alone: always forwarded.
  const fromTerminal = deps.stdinIsTTY
  const forward = (signal: NodeJS.Signals): void => {
    if (signal === 'SIGTERM' || !fromTerminal) child.kill(signal)
  }
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward)
  let result
  try {
    result = await child
  } finally {
    for (const signal of FORWARDED_SIGNALS) process.off(signal, forward)
  }
  if (result.exitCode !== undefined) return result.exitCode
  if (result.signal !== undefined) {
    // As a shell reports it: 128 + the signal's number.
    const number = osConstants.signals[result.signal] as number | undefined
    return 128 + (number ?? 0)
  }
  const code = result.code
  if (code === 'ENOENT') throw notFound(file)
  if (code === 'EACCES' || code === 'EISDIR' || code === 'ENOEXEC') throw notExecutable(file)
  const shown = `'${printable(file)}'`
  if (deps.env.AWSMFA_DEBUG === '1') deps.stderr.write(`${result.message}\n`)
  throw new AwsmfaError(`could not start ${shown}${code ? ` (${printable(code)})` : ''}`, {
    fix: 'run it without awsmfa to see why, or run again with AWSMFA_DEBUG=1',
    exitCode: EXIT_NOT_EXECUTABLE,
  })
}
