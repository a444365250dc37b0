import type { Deps, Terminal } from './deps.js'
import { AwsmfaError, EXIT } from './errors.js'
import { processTimeoutMs } from './limits.js'
import type { TargetProfile } from './profiles.js'
import { commandName, firstLine, printable } from './text.js'

const PROMPT_ATTEMPTS = 3
const SIX_DIGITS = /^\d{6}$/

/**
 * The MFA code, first that applies: --token-code; the profile's mfa_process; a prompt on the
 * terminal. The code is a one-time secret: it never appears in a message.
 */
export async function obtainTokenCode(
  target: TargetProfile,
  mfaSerial: string,
  tokenCodeFlag: string | undefined,
  deps: Pick<Deps, 'env' | 'stderr' | 'runCommand' | 'openTerminal' | 'onInterrupt'>,
): Promise<string> {
  if (tokenCodeFlag !== undefined) {
    const code = tokenCodeFlag.trim()
    if (!SIX_DIGITS.test(code)) {
      throw new AwsmfaError('the MFA code given with --token-code is not 6 digits', {
        fix: 'pass the 6-digit code your MFA device shows now',
        profile: target.name,
        exitCode: EXIT.usage,
      })
    }
    return code
  }
  if (target.mfaProcess !== undefined) return fromMfaProcess(target, target.mfaProcess, deps)
  return fromTerminal(target, mfaSerial, deps)
}

/** Its own messages ("Touch your YubiKey") reach a person watching the terminal; else they are captured for the error. */
async function fromMfaProcess(target: TargetProfile, commandLine: string, deps: Pick<Deps, 'env' | 'runCommand' | 'stderr'>): Promise<string> {
  const timeoutMs = processTimeoutMs(deps.env)
  const fail = (cause: string, fix: string): never => {
    throw new AwsmfaError(`mfa_process ${cause}`, { fix, profile: target.name, exitCode: EXIT.failed })
  }
  const result = await deps.runCommand(commandLine, { timeoutMs, showStderr: deps.stderr.isTTY })
  if (result.failedToStart) fail('could not be started', `check that ${commandName(commandLine)} is installed and on PATH (mfa_process in the profile)`)
  if (result.timedOut) fail(`did not print a code within ${timeoutMs / 1000} s`, `run the profile's mfa_process (${commandName(commandLine)} …) by hand to see where it waits`)
  if (result.exitCode !== 0) {
    const said = firstLine(result.stderr)
    fail(`exited with status ${result.exitCode ?? 'unknown'}${said ? `: ${said}` : ''}`, `run the profile's mfa_process (${commandName(commandLine)} …) by hand to see why`)
  }
  const code = result.stdout.trim()
  // Never echo what it printed: it may be a code, and a code is a secret until used.
  if (!SIX_DIGITS.test(code)) fail('did not print a 6-digit code', `it must print only the code; run ${commandName(commandLine)} … by hand to see what it prints`)
  return code
}

async function fromTerminal(
  target: TargetProfile,
  mfaSerial: string,
  deps: Pick<Deps, 'openTerminal' | 'onInterrupt' | 'stderr'>,
): Promise<string> {
  const terminal = await deps.openTerminal()
  if (terminal === undefined) {
    throw new AwsmfaError('needs an MFA code, and there is no terminal to ask for one', {
      fix: 'pass --token-code CODE, or set mfa_process in the profile (e.g. mfa_process = ykman oath accounts code -s aws)',
      profile: target.name,
      exitCode: EXIT.usage,
    })
  }
  try {
    return await askUntilWellFormed(terminal, `MFA code for ${printable(target.name)} (${printable(mfaSerial)}): `, target, deps)
  } finally {
    terminal.close()
  }
}

async function askUntilWellFormed(
  terminal: Terminal,
  prompt: string,
  target: TargetProfile,
  deps: Pick<Deps, 'onInterrupt' | 'stderr'>,
): Promise<string> {
  let interrupted: (() => void) | undefined
  const interruption = new Promise<never>((_resolve, reject) => {
    interrupted = () => {
      // The prompt's line is still open (the terminal echoed ^C, no newline): end it, so the
      // message, and whatever the shell writes next, starts on its own line.
      deps.stderr.write('\n')
      reject(new AwsmfaError('interrupted at the MFA prompt; nothing was changed', { profile: target.name, exitCode: EXIT.interrupted }))
    }
  })
  const stopListening = deps.onInterrupt(() => interrupted?.())
  try {
    let ask = prompt
    for (let attempt = 1; attempt <= PROMPT_ATTEMPTS; attempt += 1) {
      const line = await Promise.race([terminal.readLine(ask), interruption])
      const code = line.replace(/\s+/g, '')
      if (SIX_DIGITS.test(code)) return code
      ask = `That is not a 6-digit code. ${prompt}`
    }
  } finally {
    stopListening()
  }
  throw new AwsmfaError(`no 6-digit MFA code after ${PROMPT_ATTEMPTS} tries`, {
    fix: 'type the 6 digits your MFA device shows, then Enter',
    profile: target.name,
    exitCode: EXIT.usage,
  })
}
