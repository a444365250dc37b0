import { printable } from './text.js'

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
