import type { SessionOptions } from '../assume.js'
import { sharedSession } from '../agent/share.js'
import { DEFAULT_MIN_REMAINING, parseMinRemaining } from '../duration.js'
import type { Deps } from '../deps.js'
import { AwsmfaError, EXIT } from '../errors.js'
import { credentialProcessJson, renderSession, summaryLine } from '../session.js'
import { shellByName, shellChoices } from '../shells/index.js'
import type { Shell } from '../shells/index.js'
import { printable } from '../text.js'


export interface EnvOptions extends SessionOptions {
  readonly shell?: string | undefined
  readonly json?: boolean | undefined
  /** The agent's session is used only with at least this much left (default 15m). */
  readonly minRemaining?: string | undefined
  /** --no-agent: neither ask a running agent nor hand it the new session. */
  readonly noAgent?: boolean | undefined
}

/** `awsmfa env <profile>`: one direct AssumeRole with MFA, printed as shell code on stdout. */
export async function envCommand(options: EnvOptions, deps: Deps): Promise<number> {
  // Resolve the output format first: a typo in --shell must not cost an MFA code.
  if (options.json && options.shell !== undefined) {
    // The shell integration passes --shell and evaluates stdout: JSON must never reach an eval.
    throw new AwsmfaError('--json and --shell ask for two different outputs', {
      fix: 'use awsmfa env PROFILE --json (outside awsmfa use), or drop --json',
      profile: options.profile,
      exitCode: EXIT.usage,
    })
  }
  const shell = options.json ? undefined : chooseShell(options.shell, deps)
  const minRemaining = parseMinRemaining(options.minRemaining ?? DEFAULT_MIN_REMAINING)
  const session = await sharedSession(options, { noAgent: options.noAgent, minRemaining }, deps)
  try {
    deps.stdout.write(shell === undefined ? credentialProcessJson(session) : renderSession(session, shell))
  } catch (error) {
    // AWS made the session, but it never reached the caller: say so, and that the code is spent.
    if (!(error instanceof AwsmfaError)) throw error
    throw new AwsmfaError(`${error.message}; the session was made but not delivered`, {
      fix: `${error.fix ?? 'check where stdout goes'}, then run again (with the next MFA code)`,
      profile: options.profile,
      exitCode: error.exitCode,
    })
  }
  deps.stderr.write(`${summaryLine(session, deps.now())}\n`)
  if (deps.stdout.isTTY && shell !== undefined) {
    deps.stderr.write(
      `awsmfa: the lines above only take effect when the shell runs them: eval "$(awsmfa env ${printable(options.profile)})", or awsmfa use ${printable(options.profile)} with the shell integration (awsmfa init --help)\n`,
    )
  }
  return EXIT.ok
}

function chooseShell(flag: string | undefined, deps: Pick<Deps, 'env'>): Shell {
  const name = flag ?? (deps.env.AWSMFA_SHELL || 'sh')
  try {
    return shellByName(name)
  } catch {
    const origin = flag === undefined ? 'AWSMFA_SHELL' : '--shell'
    throw new AwsmfaError(`${origin} '${printable(name)}' is not a shell awsmfa writes for`, {
      fix: `use one of ${shellChoices()}`,
      exitCode: EXIT.usage,
    })
  }
}
