import type { Deps } from './deps.js'
import { printable, serverText } from './text.js'

/**
 * Exit codes are part of the contract: scripts branch on them.
 * 1: AWS or the network refused; 2: usage or configuration, fixable before any call;
 * 130: interrupted at the prompt (128 + SIGINT, as shells report it).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const

/**
 * The one error type a command may throw on purpose. `cause` says what went wrong and
 * `fix` what to do; the CLI prints them as one message naming the profile.
 * Neither may ever contain a secret or an MFA code.
 */
export class AwsmfaError extends Error {
  readonly exitCode: number
  readonly profile: string | undefined
  readonly fix: string | undefined

  constructor(cause: string, options: { fix?: string; profile?: string; exitCode?: number } = {}) {
    super(cause)
    this.name = 'AwsmfaError'
    this.exitCode = options.exitCode ?? EXIT.failed
    this.profile = options.profile
    this.fix = options.fix
  }

  /** The same error, now naming the profile it happened for (when it did not already). */
  forProfile(profile: string): AwsmfaError {
    if (this.profile !== undefined) return this
    return new AwsmfaError(this.message, { fix: this.fix, profile, exitCode: this.exitCode })
  }
}

/**
 * The text shown on stderr: `awsmfa: prod: cause` then an indented `fix:` line. Each line is made
 * printable here, once for every message: profile names and config values reach the terminal
 * with their escape sequences shown, never obeyed (printable() leaves printable text unchanged).
 */
export function formatError(error: AwsmfaError): string {
  const head = error.profile === undefined ? error.message : `${error.profile}: ${error.message}`
  const lines = [`awsmfa: ${indentContinuation(head)}`]
  if (error.fix !== undefined) lines.push(`  fix: ${indentContinuation(error.fix)}`)
  return lines.join('\n') + '\n'
}

function indentContinuation(text: string): string {
  return text.split('\n').map(printable).join('\n  ')
}

/**
 * Every failure: one message on stderr, nothing on stdout, a non-zero code. yargs' own usage
 * errors (YError) are usage; anything unexpected says so, with a stack only under AWSMFA_DEBUG=1.
 */
export function reportFailure(error: unknown, deps: Pick<Deps, 'env' | 'stderr'>): number {
  if (error instanceof AwsmfaError) {
    deps.stderr.write(formatError(error))
    return error.exitCode
  }
  const yargsError = error instanceof Error && error.name === 'YError'
  if (yargsError) return reportFailure(usageError(error.message), deps)
  const detail = error instanceof Error ? error.message : String(error)
  deps.stderr.write(formatError(new AwsmfaError(`unexpected failure: ${serverText(detail.split('\n')[0] ?? '')}`, { fix: 'run again with AWSMFA_DEBUG=1 and report the output (it holds no secrets)' })))
  writeDebugStack(error, deps)
  return EXIT.failed
}

/**
 * Under AWSMFA_DEBUG=1, the error's stack for a bug report. Its message may quote a server that
 * echoed the request, so it is masked and each line cut like any server text.
 */
export function writeDebugStack(error: unknown, deps: Pick<Deps, 'env' | 'stderr'>): void {
  if (deps.env.AWSMFA_DEBUG !== '1' || !(error instanceof Error)) return
  const text = error.stack ?? error.message
  deps.stderr.write(`${text.split('\n').slice(0, 50).map((line) => serverText(line, 1000)).join('\n')}\n`)
}

/** A command line yargs rejected. It quotes the words it refused; a 6-digit one is likely a still-valid MFA code. */
export function usageError(message: string): AwsmfaError {
  return new AwsmfaError(maskCodes(message), { fix: 'see awsmfa --help', exitCode: EXIT.usage })
}

/** Text quoting the user's command line, with any 6-digit word (likely a still-valid MFA code) masked. */
export function maskCodes(text: string): string {
  return text.replace(/\b\d{6}\b/g, '******')
}
