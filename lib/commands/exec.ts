import { constants as osConstants } from 'node:os'
import { delimiter, join } from 'node:path'
import type { ChildExit, Deps, Env, StopSignal } from '../deps.js'
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
const FORWARDED_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

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
  await assertRunnable(file, deps)
  const env = await childEnvironment(options, minRemaining, deps)
  const exit = await deps.runChild({ file, args, env, forward: forwardedSignals(deps.stdinIsTTY) })
  return childExitCode(file, exit, deps)
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
async function assertRunnable(file: string, deps: Deps): Promise<void> {
  const candidates = file.includes('/') ? [file] : (deps.env.PATH ?? '').split(delimiter).map((dir) => join(dir || '.', file))
  let sawUnexecutable = false
  for (const candidate of candidates) {
    const probe = await deps.probeExecutable(candidate)
    if (probe === 'executable') return
    if (probe === 'not-executable') sawUnexecutable = true
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

/**
 * At a terminal, Ctrl-C, Ctrl-\\ and a hang-up go to the whole foreground process group, the
 * child included: forwarding them too would deliver each twice (terraform takes a second
 * interrupt as "stop now"). awsmfa still catches them so it outlives the child and reports its
 * code. SIGTERM comes from a person or a supervisor aimed at awsmfa alone: always forwarded.
 */
function forwardedSignals(stdinIsTTY: boolean): readonly StopSignal[] {
  return stdinIsTTY ? FORWARDED_SIGNALS.filter((signal) => signal === 'SIGTERM') : FORWARDED_SIGNALS
}

/** awsmfa's exit code for how the child ended: its own code, 128 + a signal's number as a shell says it, or 127/126 when it never ran. */
function childExitCode(file: string, exit: ChildExit, deps: Deps): number {
  if (exit.kind === 'exited') return exit.exitCode
  if (exit.kind === 'signalled') {
    const number = osConstants.signals[exit.signal] as number | undefined
    return 128 + (number ?? 0)
  }
  const code = exit.code
  if (code === 'ENOENT') throw notFound(file)
  if (code === 'EACCES' || code === 'EISDIR' || code === 'ENOEXEC') throw notExecutable(file)
  const shown = `'${printable(file)}'`
  if (deps.env.AWSMFA_DEBUG === '1') deps.stderr.write(`${exit.message}\n`)
  throw new AwsmfaError(`could not start ${shown}${code ? ` (${printable(code)})` : ''}`, {
    fix: 'run it without awsmfa to see why, or run again with AWSMFA_DEBUG=1',
    exitCode: EXIT_NOT_EXECUTABLE,
  })
}
