/**
 * This terminal, as doctor sees it: the shell integration, a profile variable naming nothing, and
 * AWS keys in the environment that are stale (an expired or half-removed awsmfa session, or keys
 * awsmfa did not set). The fix lines are in this terminal's shell, from the registry (lib/shells).
 */
import type { Env } from '../deps.js'
import { formatRemaining } from '../duration.js'
import { AwsmfaError } from '../errors.js'
import { signinDuration } from '../federation.js'
import { localClock } from '../format/duration.js'
import { targetKind, type SharedConfig } from '../profiles.js'
import { SESSION_KEYS, heldSession } from '../session.js'
import { SHELL_NAMES, isShellName, shellByName } from '../shells/index.js'
import { temporaryKeys } from '../source.js'
import { printable } from '../text.js'
import type { Finding } from './finding.js'
import { chainedSource, checkTarget, targetNames } from './target.js'

/** The command that removes `names` in the shell this terminal runs, as far as AWSMFA_SHELL tells (else POSIX sh). */
function unsetHint(names: readonly string[], env: Env): string {
  const name = env.AWSMFA_SHELL
  return shellByName(name !== undefined && isShellName(name) ? name : 'sh').unsetHint(names)
}

/** Whether `awsmfa console` can sign in with the session this terminal holds, and for how long. */
function consoleFinding(config: SharedConfig, profile: string, roleArn: string | undefined, remainingSeconds: number): Finding {
  const settings = config.profiles.get(profile)
  const check = settings !== undefined && targetKind(settings) === 'role' ? checkTarget(config, profile, {}) : undefined
  try {
    const seconds = signinDuration({ profile, roleArn, chainedBecause: check === undefined ? undefined : chainedSource(check), remainingSeconds, renew: '' })
    return { severity: 'ok', code: 'console', text: `awsmfa console signs in to the AWS console with this session for ${formatRemaining(seconds)} (the time it has left)` }
  } catch (error) {
    if (!(error instanceof AwsmfaError)) throw error
    return { severity: 'ok', code: 'console-unavailable', text: `awsmfa console cannot use this session: it ${error.message.replace(/\n/g, ' ')}` }
  }
}

/**
 * This terminal: the shell integration, a profile variable naming nothing, and AWS keys in the
 * environment that are stale (an expired or half-removed awsmfa session, or keys awsmfa did not set).
 */
export function checkEnvironment(config: SharedConfig, env: Env, nowMs: number): Finding[] {
  const findings: Finding[] = []
  const add = (finding: Finding): void => void findings.push(finding)

  if (env.AWSMFA_SHELL) {
    add({ severity: 'ok', code: 'shell-integration', text: `shell integration loaded (AWSMFA_SHELL=${printable(env.AWSMFA_SHELL)}): awsmfa use, awsmfa clear and awsmfa_prompt work here` })
  } else {
    add({
      severity: 'warn',
      code: 'shell-integration-missing',
      verdict: 'shell integration not loaded',
      text: 'the shell integration is not loaded in this shell (AWSMFA_SHELL is not set), so awsmfa use, awsmfa clear and the prompt segment are not available',
      fix: `add one line to your rc file: ${installLines()}; meanwhile eval "$(awsmfa env PROFILE)" works`,
    })
  }

  for (const variable of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE'] as const) {
    const named = env[variable]
    if (!named) continue
    if (config.profiles.get(named) === undefined) {
      add({
        severity: 'error',
        code: 'aws-profile-missing',
        verdict: `${variable} not found`,
        text: `${variable} names '${printable(named)}', which is in neither ${printable(config.configPath)} nor ${printable(config.credentialsPath)}; the AWS CLI fails with "The config profile (${printable(named)}) could not be found"`,
        fix: `${unsetHint([variable], env)}, or add [profile ${printable(named)}] to ${printable(config.configPath)}`,
      })
    } else {
      add({ severity: 'ok', code: 'aws-profile', text: `${variable}=${printable(named)} (a profile that exists)` })
    }
  }

  const held = heldSession(env, nowMs)
  if (held !== undefined) {
    const profile = printable(held.profile)
    const renew = env.AWSMFA_SHELL ? `awsmfa use ${profile} for a new session, or awsmfa clear` : `eval "$(awsmfa env ${profile})" for a new session`
    const expiration = held.expiresAt
    if (held.incomplete !== undefined || expiration === undefined) {
      const what = held.incomplete ?? ''
      add({
        severity: 'error',
        code: 'session-incomplete',
        verdict: 'half a session',
        text: `this terminal holds part of the session awsmfa made for '${profile}': ${what}`,
        fix: `${renew} (or open a new terminal)`,
      })
    } else {
      const left = expiration - Math.floor(nowMs / 1000)
      const until = localClock(new Date(expiration * 1000), nowMs)
      if (left <= 0) {
        add({
          severity: 'error',
          code: 'session-expired',
          verdict: 'session expired',
          text: `this terminal still holds the session for '${profile}', which expired at ${until} (${formatRemaining(-left)} ago); AWS refuses its keys`,
          fix: renew,
        })
      } else {
        add({ severity: 'ok', code: 'session', text: `this terminal holds the session for '${profile}' until ${until} (${formatRemaining(left)} left)` })
        add(consoleFinding(config, held.profile, held.roleArn, left))
      }
    }
    return findings
  }

  const present = [...SESSION_KEYS, 'AWS_SECURITY_TOKEN'].filter((name) => Boolean(env[name]))
  if (present.length === 0) {
    add({ severity: 'ok', code: 'no-ambient-keys', text: 'no AWS keys in the environment' })
    return findings
  }
  const expiry = env.AWS_CREDENTIAL_EXPIRATION ? Date.parse(env.AWS_CREDENTIAL_EXPIRATION) : Number.NaN
  const expired = Number.isFinite(expiry) && expiry <= nowMs
  const temporary = temporaryKeys(env.AWS_ACCESS_KEY_ID ?? '', env.AWS_SESSION_TOKEN || undefined) !== undefined
  const usedByProfile = targetNames(config).some((name) => config.profiles.get(name)?.credential_source === 'Environment')
  if (!expired && !temporary && usedByProfile && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    add({ severity: 'ok', code: 'ambient-keys', text: 'long-term keys in the environment, for the profiles with credential_source = Environment' })
    return findings
  }
  const kind = expired
    ? `expired at ${printable(env.AWS_CREDENTIAL_EXPIRATION ?? '')}`
    : temporary ? 'temporary keys' : 'long-term keys'
  add({
    severity: 'error',
    code: 'stale-credentials',
    verdict: 'stale AWS keys',
    text: `${present.join(', ')} ${present.length === 1 ? 'is' : 'are'} set (${kind}), but not by awsmfa: the AWS CLI and SDKs use keys from the environment before any profile, so commands here may run as someone else or fail`,
    fix: unsetHint([...present, ...(env.AWS_CREDENTIAL_EXPIRATION ? ['AWS_CREDENTIAL_EXPIRATION'] : [])], env),
  })
  return findings
}

/** `eval "$(awsmfa init bash)" in ~/.bashrc, …` for every shell with an integration. */
function installLines(): string {
  return SHELL_NAMES.map((name) => shellByName(name).install)
    .flatMap((install) => (install === undefined ? [] : [`${install.line} in ${install.rcFile}`]))
    .join(', ')
}
