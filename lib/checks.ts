/**
 * What can be known about a target profile and this terminal without calling AWS and without
 * running any command: shared by `list` (one verdict per profile) and `doctor` (every finding,
 * explained, with its fix). Nothing here reads a file, starts a process or opens a socket.
 */
import { SESSION_NAME, USER_ARN, ambientRegion } from './assume.js'
import type { Env, OutputStream } from './deps.js'
import { ASSUME_ROLE_RANGE, CHAINED_MAX_DURATION, MAX_DURATION, MIN_DURATION, SESSION_TOKEN_RANGE, USER_DEFAULT_DURATION, formatRemaining, parseDuration, type DurationRange } from './duration.js'
import { partitionProblem } from './partitions.js'
import { deviceOwner, isTargetProfile, resolveTarget, targetKind, type ProfileSettings, type SharedConfig, type TargetKind, type TargetProfile } from './profiles.js'
import { SESSION_KEYS, heldSession } from './session.js'
import { signinDuration } from './federation.js'
import { AwsmfaError } from './errors.js'
import { SHELL_NAMES, shellByName } from './shells/index.js'
import { commandName, printable } from './text.js'

export type Severity = 'ok' | 'warn' | 'error'

/** One thing doctor says. `text` and `fix` are made printable where config text goes in. */
export interface Finding {
  readonly severity: Severity
  /** Stable identifier for scripts and tests, e.g. `source-not-found`. */
  readonly code: string
  /** The short form for the list table; set on every warn and error. */
  readonly verdict?: string
  readonly text: string
  readonly fix?: string
}

/** Where the keys that sign the AssumeRole come from, as far as the files tell. */
export type KeysKind = 'long-term' | 'temporary' | 'role' | 'credential_process' | 'environment' | 'none'

/** Everything list shows and doctor explains about one target profile. Values are raw (not escaped). */
export interface TargetCheck {
  readonly profile: string
  /** `role`: one AssumeRole; `user`: one GetSessionToken, a session as the IAM user itself (profiles.ts targetKind). */
  readonly kind: TargetKind
  /** '' for a user session. */
  readonly roleArn: string
  readonly account: string | undefined
  readonly role: string | undefined
  /** The source_profile's name, or `Environment` for credential_source = Environment. */
  readonly source: string | undefined
  readonly keys: KeysKind | undefined
  readonly mfaSerial: string | undefined
  /** The duration `awsmfa env` would ask for, when it is valid. */
  readonly durationSeconds: number | undefined
  readonly region: string | undefined
  readonly severity: Severity
  /** `ok 12h`, `chained: 1h max`, `no mfa_serial`, `source not found`, … */
  readonly verdict: string
  readonly findings: readonly Finding[]
}

const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/
const MFA_ARN = /^arn:aws[\w-]*:iam::(\d{12}):mfa\/.+$/
const CHAINED_FIX = 'point source_profile at the IAM user\'s long-term keys (AKIA…)'

/** `12h`, `1h`, `1h30m`, `45m`: a session length as a person reads it. */
export function shortDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600)
  const minutes = Math.floor((seconds % 3600) / 60)
  if (hours === 0) return `${minutes}m`
  return minutes === 0 ? `${hours}h` : `${hours}h${String(minutes).padStart(2, '0')}m`
}

/** Every target profile (a role_arn, or mfa_serial with its own keys), by name: the profiles awsmfa can be asked for. */
export function targetNames(config: SharedConfig): string[] {
  return [...config.profiles.keys()]
    .filter((name) => isTargetProfile(config.profiles.get(name) ?? {}))
    .sort((a, b) => a.localeCompare(b))
}

/** The profiles awsmfa would reach by following source_profile from `name`, when they go round in a circle. */
export function sourceCycle(config: SharedConfig, name: string): string[] | undefined {
  const path = [name]
  let current = config.profiles.get(name)
  while (current?.source_profile) {
    const next = current.source_profile
    if (path.includes(next)) return [...path, next]
    path.push(next)
    current = config.profiles.get(next)
  }
  return undefined
}

function tryResolve(config: SharedConfig, name: string): TargetProfile | undefined {
  try {
    return resolveTarget(config, name)
  } catch {
    return undefined
  }
}

/**
 * Checks one target profile as `awsmfa env` would use it, in the order env meets the problems.
 * Never runs credential_process or mfa_process; `env` is consulted only for
 * credential_source = Environment.
 */
export function checkTarget(config: SharedConfig, name: string, env: Env): TargetCheck {
  const settings: ProfileSettings = config.profiles.get(name) ?? {}
  if (targetKind(settings) === 'user') return checkUserTarget(name, settings, env)
  const findings: Finding[] = []
  const add = (finding: Finding): void => void findings.push(finding)
  const roleArn = settings.role_arn ?? ''
  const target = tryResolve(config, name)
  const sourceName = settings.source_profile || undefined
  const sourceSettings = sourceName === undefined ? undefined : config.profiles.get(sourceName)

  const roleMatch = ROLE_ARN.exec(roleArn)
  if (roleMatch === null) {
    add({
      severity: 'error',
      code: 'bad-role-arn',
      verdict: 'bad role_arn',
      text: `role_arn '${printable(roleArn)}' is not the ARN of an IAM role`,
      fix: 'write it as role_arn = arn:aws:iam::ACCOUNT:role/NAME (IAM → Roles → the role → ARN)',
    })
  }

  // The duration decides whether chaining is fatal, but reads best after the source and the MFA device.
  const durationFindings: Finding[] = []
  const durationSeconds = checkDurationSetting(settings, (finding) => void durationFindings.push(finding))
  const keys = checkSource(config, name, settings, env, durationSeconds, add)

  const mfaSerial = target?.mfaSerial ?? (settings.mfa_serial || sourceSettings?.mfa_serial || undefined)
  checkMfa(mfaSerial, settings, sourceName, add)
  findings.push(...durationFindings)

  const sessionName = settings.role_session_name
  if (sessionName && !SESSION_NAME.test(sessionName)) {
    add({
      severity: 'error',
      code: 'bad-session-name',
      verdict: 'bad role_session_name',
      text: `role_session_name '${printable(sessionName)}' is not a name AWS accepts`,
      fix: 'use 2–64 characters from letters, digits and +=,.@_-',
    })
  }

  const region = target?.region ?? (settings.region || sourceSettings?.region || undefined)
  add({
    severity: 'ok',
    code: 'region',
    text: region === undefined
      ? 'no region in the profile or its source (STS in AWS_REGION, else us-east-1; AWS_REGION is left as it is)'
      : `region ${printable(region)}`,
  })
  const partition = partitionProblem(roleArn, mfaSerial, region ?? ambientRegion(env))
  if (partition !== undefined) add({ severity: 'error', ...partition })

  const errors = findings.filter((f) => f.severity === 'error')
  const warnings = findings.filter((f) => f.severity === 'warn')
  const severity: Severity = errors.length > 0 ? 'error' : warnings.length > 0 ? 'warn' : 'ok'
  let verdict: string
  if (severity !== 'ok') verdict = (errors[0] ?? warnings[0])?.verdict ?? severity
  else verdict = `ok ${shortDuration(durationSeconds ?? MAX_DURATION)}${keys === 'credential_process' ? ' (keys from credential_process)' : ''}`

  return {
    profile: name,
    kind: 'role',
    roleArn,
    account: roleMatch?.[1],
    role: roleMatch?.[2],
    source: sourceName ?? (settings.credential_source || undefined),
    keys,
    mfaSerial,
    durationSeconds,
    region,
    severity,
    verdict,
    findings,
  }
}

/** The verdict from the findings: the first error's, else the first warning's, else `ok`. */
function severityOf(findings: readonly Finding[]): { severity: Severity; first: Finding | undefined } {
  const errors = findings.filter((f) => f.severity === 'error')
  const warnings = findings.filter((f) => f.severity === 'warn')
  return { severity: errors.length > 0 ? 'error' : warnings.length > 0 ? 'warn' : 'ok', first: errors[0] ?? warnings[0] }
}

/**
 * A user-session profile (mfa_serial and its own keys, no role_arn), as `awsmfa env` uses it:
 * its keys must be long-term (GetSessionToken refuses temporary ones), its duration 900–129600 s.
 */
function checkUserTarget(name: string, settings: ProfileSettings, env: Env): TargetCheck {
  const findings: Finding[] = []
  const add = (finding: Finding): void => void findings.push(finding)
  const keyId = settings.aws_access_key_id ?? ''
  const temporary = settings.aws_session_token ? 'a session token' : keyId.startsWith('ASIA') ? 'an ASIA… key' : undefined
  if (temporary !== undefined) {
    add({
      severity: 'error',
      code: 'user-keys-temporary',
      verdict: 'keys temporary',
      text: `holds temporary credentials (${temporary}); AWS answers GetSessionToken only for an IAM user's long-term keys`,
      fix: `put the IAM user's long-term keys (AKIA…) in [${printable(name)}] (aws configure --profile ${printable(name)})`,
    })
  } else {
    add({ severity: 'ok', code: 'user-keys', text: `its own long-term keys (${printable(keyId.slice(0, 4))}…): one GetSessionToken makes an MFA session as the IAM user itself (no role)` })
  }
  const mfaSerial = settings.mfa_serial || undefined
  checkMfa(mfaSerial, settings, undefined, add)
  const durationSeconds = checkDurationSetting(settings, add, SESSION_TOKEN_RANGE)
  const region = settings.region || undefined
  add({ severity: 'ok', code: 'region', text: region === undefined ? 'no region in the profile (STS in AWS_REGION, else us-east-1)' : `region ${printable(region)}` })
  const partition = partitionProblem(undefined, mfaSerial, region ?? ambientRegion(env))
  if (partition !== undefined) add({ severity: 'error', ...partition })
  const { severity, first } = severityOf(findings)
  const owner = deviceOwner(mfaSerial ?? '')
  return {
    profile: name,
    kind: 'user',
    roleArn: '',
    account: owner?.account,
    role: undefined,
    source: undefined,
    keys: temporary === undefined ? 'long-term' : 'temporary',
    mfaSerial,
    durationSeconds,
    region,
    severity,
    verdict: severity === 'ok' ? `ok ${shortDuration(durationSeconds ?? USER_DEFAULT_DURATION)} (user session)` : first?.verdict ?? severity,
    findings,
  }
}

function checkDurationSetting(settings: ProfileSettings, add: (finding: Finding) => void, range: DurationRange = ASSUME_ROLE_RANGE): number | undefined {
  const raw = settings.duration_seconds
  const fallback = range === ASSUME_ROLE_RANGE ? MAX_DURATION : USER_DEFAULT_DURATION
  if (raw === undefined || raw === '') {
    add({ severity: 'ok', code: 'duration', text: `${shortDuration(fallback)} sessions (the default; duration_seconds is not set)` })
    return fallback
  }
  const seconds = parseDuration(raw)
  if (seconds === undefined) {
    add({
      severity: 'error',
      code: 'bad-duration',
      verdict: 'bad duration',
      text: `duration_seconds '${printable(raw)}' is not a number of seconds`,
      fix: 'write plain seconds: duration_seconds = 43200 (12 h) or 3600 (1 h)',
    })
    return undefined
  }
  if (seconds < MIN_DURATION || seconds > range.max) {
    add({
      severity: 'error',
      code: 'duration-out-of-range',
      verdict: 'duration out of range',
      text: `duration_seconds ${printable(raw)} is outside what AWS allows for ${range.call} (900–${range.max} s, 15m to ${range.max / 3600}h)`,
      fix: `set duration_seconds = ${Math.min(Math.max(seconds, MIN_DURATION), range.max)}, or remove it for ${fallback / 3600} h`,
    })
    return undefined
  }
  if (!/^\d+$/.test(raw.trim())) {
    add({
      severity: 'warn',
      code: 'duration-not-seconds',
      verdict: 'duration not in seconds',
      text: `duration_seconds '${printable(raw)}' works for awsmfa, but the AWS CLI and SDKs read plain seconds and fail on this profile`,
      fix: `write duration_seconds = ${seconds}`,
    })
    return seconds
  }
  add({ severity: 'ok', code: 'duration', text: `${shortDuration(seconds)} sessions (duration_seconds = ${seconds})` })
  return seconds
}

function checkSource(
  config: SharedConfig,
  name: string,
  settings: ProfileSettings,
  env: Env,
  durationSeconds: number | undefined,
  add: (finding: Finding) => void,
): KeysKind | undefined {
  const sourceName = settings.source_profile || undefined
  const credentialSource = settings.credential_source || undefined
  const chained = (where: string, because: string, kind: KeysKind, fix: string): KeysKind => {
    const tooLong = (durationSeconds ?? MAX_DURATION) > CHAINED_MAX_DURATION
    add({
      severity: tooLong ? 'error' : 'warn',
      code: 'chained',
      verdict: 'chained: 1h max',
      text:
        `${where} ${because}. AWS limits a role assumed with temporary keys to 1 hour ("role chaining")` +
        (tooLong ? `, so the ${shortDuration(durationSeconds ?? MAX_DURATION)} session this profile asks for would be refused` : ''),
      fix,
    })
    return kind
  }

  if (sourceName && credentialSource) {
    add({
      severity: 'error',
      code: 'source-and-credential-source',
      verdict: 'source_profile and credential_source',
      text: `sets both source_profile (${printable(sourceName)}) and credential_source (${printable(credentialSource)}); AWS accepts only one`,
      fix: 'remove one of them (usually credential_source)',
    })
    return undefined
  }
  if (!sourceName && !credentialSource) {
    add({
      severity: 'error',
      code: 'no-source',
      verdict: 'no source_profile',
      text: 'has neither source_profile nor credential_source, so there are no keys to assume the role with',
      fix: 'add source_profile = <the profile with the IAM user\'s access keys>',
    })
    return undefined
  }
  if (credentialSource !== undefined) {
    if (credentialSource !== 'Environment') {
      add({
        severity: 'error',
        code: 'unsupported-credential-source',
        verdict: `credential_source ${printable(credentialSource)}`,
        text: `uses credential_source = ${printable(credentialSource)}, which awsmfa does not support`,
        fix: 'use source_profile with the IAM user\'s long-term keys, or credential_source = Environment',
      })
      return undefined
    }
    return checkEnvironmentSource(env, chained, add)
  }

  const source = sourceName ?? ''
  const shown = `'${printable(source)}'`
  const sourceSettings = config.profiles.get(source)
  if (sourceSettings === undefined) {
    add({
      severity: 'error',
      code: 'source-not-found',
      verdict: 'source not found',
      text: `names source_profile ${shown}, which is in neither ${printable(config.credentialsPath)} nor ${printable(config.configPath)}`,
      fix: `add [${printable(source)}] with aws_access_key_id and aws_secret_access_key to ${printable(config.credentialsPath)} (aws configure --profile ${printable(source)}), or fix the name`,
    })
    return undefined
  }
  const keyId = sourceSettings.aws_access_key_id
  const secret = sourceSettings.aws_secret_access_key
  // Static keys win over the source's own role_arn, as in botocore (a profile may even name
  // itself as its source to use its own keys); only a role source without keys is chaining.
  if (!(keyId && secret)) {
    const cycle = sourceCycle(config, name)
    if (cycle !== undefined) {
      const self = cycle.length === 2
      add({
        severity: 'error',
        code: 'source-cycle',
        verdict: 'source_profile cycle',
        text: self
          ? 'names itself as its source_profile'
          : `source_profile goes round in a circle: ${cycle.map((p) => printable(p)).join(' → ')}`,
        fix: 'point source_profile at the profile that holds the IAM user\'s access keys (one without role_arn)',
      })
      return undefined
    }
    if (sourceSettings.role_arn) {
      add({
        severity: 'error',
        code: 'source-assumes-role',
        verdict: 'source assumes a role',
        text: `its source ${shown} itself assumes a role, so its keys are temporary ("role chaining"); awsmfa makes one direct call from long-term keys instead`,
        fix: CHAINED_FIX,
      })
      return 'role'
    }
  }
  if (keyId && secret) {
    const fix = `${CHAINED_FIX}, or set duration_seconds = 3600`
    if (sourceSettings.aws_session_token) return chained(`its source ${shown}`, 'holds temporary credentials (a session token)', 'temporary', fix)
    if (keyId.startsWith('ASIA')) return chained(`its source ${shown}`, 'holds temporary credentials (an ASIA… key)', 'temporary', fix)
    add({ severity: 'ok', code: 'source-keys', text: `source ${shown} holds long-term keys (${printable(keyId.slice(0, 4))}…)` })
    return 'long-term'
  }
  if (sourceSettings.credential_process) {
    add({
      severity: 'ok',
      code: 'source-credential-process',
      text: `source ${shown} gets its keys from credential_process (not run here; awsmfa doctor --online runs it and checks the keys)`,
    })
    return 'credential_process'
  }
  const half = keyId ? 'aws_access_key_id but no aws_secret_access_key' : secret ? 'aws_secret_access_key but no aws_access_key_id' : undefined
  add({
    severity: 'error',
    code: 'source-no-keys',
    verdict: 'source has no keys',
    text: half === undefined
      ? `its source ${shown} has no aws_access_key_id/aws_secret_access_key and no credential_process`
      : `its source ${shown} has ${half}`,
    fix: `add the IAM user's access keys to [${printable(source)}] in ${printable(config.credentialsPath)} (aws configure --profile ${printable(source)})`,
  })
  return 'none'
}

function checkEnvironmentSource(
  env: Env,
  chained: (where: string, because: string, kind: KeysKind, fix: string) => KeysKind,
  add: (finding: Finding) => void,
): KeysKind {
  if (env.AWSMFA_PROFILE) {
    add({
      severity: 'error',
      code: 'environment-holds-session',
      verdict: 'environment holds a session',
      text: `uses credential_source = Environment, but this terminal's environment holds the session awsmfa made for '${printable(env.AWSMFA_PROFILE)}', not long-term keys`,
      fix: 'run awsmfa clear first (or open a new terminal)',
    })
    return 'environment'
  }
  if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) {
    add({
      severity: 'error',
      code: 'environment-no-keys',
      verdict: 'no keys in environment',
      text: 'uses credential_source = Environment, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set here',
      fix: 'export the IAM user\'s keys first, or use source_profile instead',
    })
    return 'none'
  }
  const fix = 'export the IAM user\'s long-term keys instead, or set duration_seconds = 3600'
  if (env.AWS_SESSION_TOKEN) return chained('the environment', 'holds temporary credentials (AWS_SESSION_TOKEN is set)', 'temporary', fix)
  if (env.AWS_ACCESS_KEY_ID.startsWith('ASIA')) return chained('the environment', 'holds temporary credentials (an ASIA… key)', 'temporary', fix)
  add({ severity: 'ok', code: 'source-keys', text: `keys from the environment: long-term (${printable(env.AWS_ACCESS_KEY_ID.slice(0, 4))}…)` })
  return 'environment'
}

function checkMfa(
  mfaSerial: string | undefined,
  settings: ProfileSettings,
  sourceName: string | undefined,
  add: (finding: Finding) => void,
): void {
  if (mfaSerial === undefined) {
    add({
      severity: 'warn',
      code: 'no-mfa-serial',
      verdict: 'no mfa_serial',
      text: 'has no mfa_serial (nor has its source profile), so AssumeRole is called without MFA; a role whose trust policy requires MFA refuses that',
      fix: 'add mfa_serial = arn:aws:iam::ACCOUNT:mfa/NAME (the IAM user\'s MFA device: IAM → Users → Security credentials)',
    })
    return
  }
  const shown = printable(mfaSerial)
  if (USER_ARN.test(mfaSerial)) {
    add({
      severity: 'error',
      code: 'mfa-serial-is-user',
      verdict: 'mfa_serial is a user ARN',
      text: `mfa_serial '${shown}' is the ARN of a user, not of an MFA device; AWS refuses it with "must provide both MFA serial number and one time pass code"`,
      fix: `use the device's ARN: mfa_serial = ${printable(mfaSerial.replace(':user/', ':mfa/'))} (check the name under IAM → Users → Security credentials → MFA)`,
    })
    return
  }
  if (mfaSerial.startsWith('arn:') && !MFA_ARN.test(mfaSerial)) {
    add({
      severity: 'error',
      code: 'mfa-serial-not-device',
      verdict: 'mfa_serial not a device',
      text: `mfa_serial '${shown}' is not the ARN of an MFA device (arn:aws:iam::ACCOUNT:mfa/NAME)`,
      fix: 'copy the device\'s ARN from IAM → Users → Security credentials → MFA',
    })
    return
  }
  const from = settings.mfa_serial ? '' : ` (from source profile '${printable(sourceName ?? '')}')`
  const code = settings.mfa_process ? `the code comes from mfa_process (${commandName(settings.mfa_process)} …)` : 'the code is asked for at the terminal'
  add({ severity: 'ok', code: 'mfa', text: `MFA device ${shown}${from}; ${code}` })
}

/**
 * Where a role target's session gets temporary keys (role chaining), as the files tell; undefined
 * for long-term keys. Shared by doctor and `awsmfa console`, which refuses such sessions.
 */
export function chainedSource(check: TargetCheck): string | undefined {
  if (check.keys !== 'temporary' && check.keys !== 'role') return undefined
  const where = check.source === undefined || check.source === 'Environment' ? 'the environment' : `profile '${printable(check.source)}'`
  return check.keys === 'role' ? `${where}, which itself assumes a role` : `${where}, which holds temporary credentials`
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

/** Unset commands for the shell this terminal runs, as far as AWSMFA_SHELL tells. */
export function unsetCommand(names: readonly string[], env: Env): string {
  const shell = env.AWSMFA_SHELL
  if (shell === 'fish') return names.map((n) => `set -e ${n}`).join('; ')
  if (shell === 'powershell' || shell === 'pwsh') return names.map((n) => `Remove-Item Env:${n}`).join('; ')
  return `unset ${names.join(' ')}`
}

/** `19:48` today, else `2026-11-24 07:31`, in local time. */
export function localClock(date: Date, nowMs: number): string {
  const pad = (n: number): string => String(n).padStart(2, '0')
  const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}`
  const now = new Date(nowMs)
  const sameDay = now.getFullYear() === date.getFullYear() && now.getMonth() === date.getMonth() && now.getDate() === date.getDate()
  return sameDay ? clock : `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${clock}`
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
        fix: `${unsetCommand([variable], env)}, or add [profile ${printable(named)}] to ${printable(config.configPath)}`,
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
  const temporary = Boolean(env.AWS_SESSION_TOKEN) || (env.AWS_ACCESS_KEY_ID ?? '').startsWith('ASIA')
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
    fix: unsetCommand([...present, ...(env.AWS_CREDENTIAL_EXPIRATION ? ['AWS_CREDENTIAL_EXPIRATION'] : [])], env),
  })
  return findings
}

/** Colour for one stream: only on a terminal (or with FORCE_COLOR), never with NO_COLOR. */
export interface Paint {
  ok(text: string): string
  warn(text: string): string
  error(text: string): string
  dim(text: string): string
  bold(text: string): string
}

const PLAIN: Paint = { ok: (t) => t, warn: (t) => t, error: (t) => t, dim: (t) => t, bold: (t) => t }

/** chalk is loaded only when colour will be used. */
export async function painter(stream: OutputStream, env: Env, which: 'stdout' | 'stderr'): Promise<Paint> {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return PLAIN
  if (!stream.isTTY && !env.FORCE_COLOR) return PLAIN
  const { Chalk, default: stdoutChalk, chalkStderr } = await import('chalk')
  const level = (which === 'stderr' ? chalkStderr : stdoutChalk).level
  if (level === 0) return PLAIN
  const chalk = new Chalk({ level })
  return { ok: chalk.green, warn: chalk.yellow, error: chalk.red, dim: chalk.dim, bold: chalk.bold }
}

/** The mark doctor puts before a finding. */
export function mark(severity: Severity, paint: Paint): string {
  if (severity === 'ok') return paint.ok('✓')
  return severity === 'warn' ? paint.warn('!') : paint.error('✗')
}

export function paintSeverity(severity: Severity, text: string, paint: Paint): string {
  return severity === 'ok' ? paint.ok(text) : severity === 'warn' ? paint.warn(text) : paint.error(text)
}

/** `eval "$(awsmfa init bash)" in ~/.bashrc, …` for every shell with an integration. */
function installLines(): string {
  return SHELL_NAMES.map((name) => shellByName(name).install)
    .flatMap((install) => (install === undefined ? [] : [`${install.line} in ${install.rcFile}`]))
    .join(', ')
}
