/**
 * What can be known about a target profile without calling AWS and without running any command,
 * for `list` (one verdict per profile) and `doctor` (every finding, explained, with its fix).
 * The rules are the core's, the ones `env` refuses by (profiles.ts keySource, source.ts
 * sourceProfileKeys/environmentKeys/temporaryKeys, partitions.ts, region.ts, aws-names.ts,
 * duration.ts); this module only words what they find. Nothing here reads a file, starts a
 * process or opens a socket.
 */
import { MFA_DEVICE_ARN, SESSION_NAME, USER_ARN, deviceOwner, roleOf } from '../aws-names.js'
import type { Env } from '../deps.js'
import { ASSUME_ROLE_RANGE, SESSION_TOKEN_RANGE, inDurationRange, MIN_DURATION, parseDuration, type DurationRange } from '../duration.js'
import { shortDuration } from '../format/duration.js'
import { partitionProblem } from '../partitions.js'
import {
  BOTH_SOURCES_FIX, NO_SOURCE, NO_SOURCE_FIX, UNSUPPORTED_CREDENTIAL_SOURCE_FIX, isTargetProfile, keySource, profileMfaSerial, profileRegion,
  targetKind, unsupportedCredentialSource, type ProfileSettings, type SharedConfig, type TargetKind,
} from '../profiles.js'
import { sessionRegion } from '../region.js'
import { ENVIRONMENT_NO_KEYS_FIX, environmentKeys, exceedsChainedLimit, sourceProfileKeys, temporaryKeys } from '../source.js'
import { commandName, printable } from '../text.js'
import { severityOf, type Finding, type Severity } from './finding.js'

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

type Add = (finding: Finding) => void
type Chained = (where: string, because: string, kind: KeysKind, fix: string) => KeysKind

const CHAINED_FIX = 'point source_profile at the IAM user\'s long-term keys (AKIA…)'
const TEMPORARY: Readonly<Record<'session-token' | 'asia-key', string>> = { 'session-token': 'a session token', 'asia-key': 'an ASIA… key' }

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

/**
 * Checks one target profile as `awsmfa env` would use it, in the order env meets the problems.
 * Never runs credential_process or mfa_process; `env` is consulted only for
 * credential_source = Environment and the region.
 */
export function checkTarget(config: SharedConfig, name: string, env: Env): TargetCheck {
  const settings: ProfileSettings = config.profiles.get(name) ?? {}
  if (targetKind(settings) === 'user') return checkUserTarget(config, name, settings, env)
  const findings: Finding[] = []
  const add: Add = (finding) => void findings.push(finding)
  const roleArn = settings.role_arn ?? ''
  const sourceName = settings.source_profile || undefined

  const role = roleOf(roleArn)
  if (role === undefined) {
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

  const mfaSerial = profileMfaSerial(config, name)
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

  const region = profileRegion(config, name)
  add({
    severity: 'ok',
    code: 'region',
    text: region === undefined
      ? 'no region in the profile or its source (STS in AWS_REGION, else us-east-1; AWS_REGION is left as it is)'
      : `region ${printable(region)}`,
  })
  const partition = partitionProblem(roleArn, mfaSerial, sessionRegion(undefined, region, env))
  if (partition !== undefined) add({ severity: 'error', ...partition })

  const { severity, first } = severityOf(findings)
  const verdict = severity !== 'ok'
    ? first?.verdict ?? severity
    : `ok ${shortDuration(durationSeconds ?? ASSUME_ROLE_RANGE.default)}${keys === 'credential_process' ? ' (keys from credential_process)' : ''}`

  return {
    profile: name,
    kind: 'role',
    roleArn,
    account: role?.account,
    role: role?.name,
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

/**
 * A user-session profile (mfa_serial and its own keys, no role_arn), as `awsmfa env` uses it:
 * its keys must be long-term (GetSessionToken refuses temporary ones), its duration 900–129600 s.
 */
function checkUserTarget(config: SharedConfig, name: string, settings: ProfileSettings, env: Env): TargetCheck {
  const findings: Finding[] = []
  const add: Add = (finding) => void findings.push(finding)
  const keyId = settings.aws_access_key_id ?? ''
  const temporary = temporaryKeys(keyId, settings.aws_session_token || undefined)
  if (temporary !== undefined) {
    add({
      severity: 'error',
      code: 'user-keys-temporary',
      verdict: 'keys temporary',
      text: `holds temporary credentials (${TEMPORARY[temporary]}); AWS answers GetSessionToken only for an IAM user's long-term keys`,
      fix: `put the IAM user's long-term keys (AKIA…) in [${printable(name)}] (aws configure --profile ${printable(name)})`,
    })
  } else {
    add({ severity: 'ok', code: 'user-keys', text: `its own long-term keys (${printable(keyId.slice(0, 4))}…): one GetSessionToken makes an MFA session as the IAM user itself (no role)` })
  }
  const mfaSerial = profileMfaSerial(config, name)
  checkMfa(mfaSerial, settings, undefined, add)
  const durationSeconds = checkDurationSetting(settings, add, SESSION_TOKEN_RANGE)
  const region = profileRegion(config, name)
  add({ severity: 'ok', code: 'region', text: region === undefined ? 'no region in the profile (STS in AWS_REGION, else us-east-1)' : `region ${printable(region)}` })
  const partition = partitionProblem(undefined, mfaSerial, sessionRegion(undefined, region, env))
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
    verdict: severity === 'ok' ? `ok ${shortDuration(durationSeconds ?? SESSION_TOKEN_RANGE.default)} (user session)` : first?.verdict ?? severity,
    findings,
  }
}

function checkDurationSetting(settings: ProfileSettings, add: Add, range: DurationRange = ASSUME_ROLE_RANGE): number | undefined {
  const raw = settings.duration_seconds
  const fallback = range.default
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
  if (!inDurationRange(seconds, range)) {
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

/** Where the keys come from (profiles.ts keySource), and what they are (source.ts), worded for doctor. */
function checkSource(
  config: SharedConfig,
  name: string,
  settings: ProfileSettings,
  env: Env,
  durationSeconds: number | undefined,
  add: Add,
): KeysKind | undefined {
  const chained: Chained = (where, because, kind, fix) => {
    const asked = durationSeconds ?? ASSUME_ROLE_RANGE.default
    const tooLong = exceedsChainedLimit(asked)
    add({
      severity: tooLong ? 'error' : 'warn',
      code: 'chained',
      verdict: 'chained: 1h max',
      text:
        `${where} ${because}. AWS limits a role assumed with temporary keys to 1 hour ("role chaining")` +
        (tooLong ? `, so the ${shortDuration(asked)} session this profile asks for would be refused` : ''),
      fix,
    })
    return kind
  }

  const from = keySource(config, settings)
  switch (from.kind) {
    case 'both':
      add({
        severity: 'error',
        code: 'source-and-credential-source',
        verdict: 'source_profile and credential_source',
        text: `sets both source_profile (${printable(from.sourceProfile)}) and credential_source (${printable(from.credentialSource)}); AWS accepts only one`,
        fix: BOTH_SOURCES_FIX,
      })
      return undefined
    case 'neither':
      add({ severity: 'error', code: 'no-source', verdict: 'no source_profile', text: NO_SOURCE, fix: NO_SOURCE_FIX })
      return undefined
    case 'unsupported':
      add({
        severity: 'error',
        code: 'unsupported-credential-source',
        verdict: `credential_source ${printable(from.credentialSource)}`,
        text: unsupportedCredentialSource(from.credentialSource),
        fix: UNSUPPORTED_CREDENTIAL_SOURCE_FIX,
      })
      return undefined
    case 'environment':
      return checkEnvironmentSource(env, chained, add)
    case 'missing':
      add({
        severity: 'error',
        code: 'source-not-found',
        verdict: 'source not found',
        text: `names source_profile '${printable(from.name)}', which is in neither ${printable(config.credentialsPath)} nor ${printable(config.configPath)}`,
        fix: `add [${printable(from.name)}] with aws_access_key_id and aws_secret_access_key to ${printable(config.credentialsPath)} (aws configure --profile ${printable(from.name)}), or fix the name`,
      })
      return undefined
    case 'profile':
      return checkSourceProfile(config, name, from.name, from.settings, chained, add)
  }
}

function checkSourceProfile(config: SharedConfig, name: string, source: string, sourceSettings: ProfileSettings, chained: Chained, add: Add): KeysKind | undefined {
  const shown = `'${printable(source)}'`
  const keys = sourceProfileKeys(sourceSettings)
  if (keys.kind !== 'static') {
    const cycle = sourceCycle(config, name)
    if (cycle !== undefined) {
      add({
        severity: 'error',
        code: 'source-cycle',
        verdict: 'source_profile cycle',
        text: cycle.length === 2
          ? 'names itself as its source_profile'
          : `source_profile goes round in a circle: ${cycle.map((p) => printable(p)).join(' → ')}`,
        fix: 'point source_profile at the profile that holds the IAM user\'s access keys (one without role_arn)',
      })
      return undefined
    }
  }
  switch (keys.kind) {
    case 'role':
      add({
        severity: 'error',
        code: 'source-assumes-role',
        verdict: 'source assumes a role',
        text: `its source ${shown} itself assumes a role, so its keys are temporary ("role chaining"); awsmfa makes one direct call from long-term keys instead`,
        fix: CHAINED_FIX,
      })
      return 'role'
    case 'static': {
      const temporary = temporaryKeys(keys.accessKeyId, keys.sessionToken)
      if (temporary !== undefined) {
        return chained(`its source ${shown}`, `holds temporary credentials (${TEMPORARY[temporary]})`, 'temporary', `${CHAINED_FIX}, or set duration_seconds = 3600`)
      }
      add({ severity: 'ok', code: 'source-keys', text: `source ${shown} holds long-term keys (${printable(keys.accessKeyId.slice(0, 4))}…)` })
      return 'long-term'
    }
    case 'credential_process':
      add({
        severity: 'ok',
        code: 'source-credential-process',
        text: `source ${shown} gets its keys from credential_process (not run here; awsmfa doctor --online runs it and checks the keys)`,
      })
      return 'credential_process'
    case 'none': {
      const other = keys.half === 'aws_access_key_id' ? 'aws_secret_access_key' : 'aws_access_key_id'
      add({
        severity: 'error',
        code: 'source-no-keys',
        verdict: 'source has no keys',
        text: keys.half === undefined
          ? `its source ${shown} has no aws_access_key_id/aws_secret_access_key and no credential_process`
          : `its source ${shown} has ${keys.half} but no ${other}`,
        fix: `add the IAM user's access keys to [${printable(source)}] in ${printable(config.credentialsPath)} (aws configure --profile ${printable(source)})`,
      })
      return 'none'
    }
  }
}

function checkEnvironmentSource(env: Env, chained: Chained, add: Add): KeysKind {
  const keys = environmentKeys(env)
  if (keys.kind === 'awsmfa-session') {
    add({
      severity: 'error',
      code: 'environment-holds-session',
      verdict: 'environment holds a session',
      text: `uses credential_source = Environment, but this terminal's environment holds the session awsmfa made for '${printable(keys.profile)}', not long-term keys`,
      fix: 'run awsmfa clear first (or open a new terminal)',
    })
    return 'environment'
  }
  if (keys.kind === 'none') {
    add({
      severity: 'error',
      code: 'environment-no-keys',
      verdict: 'no keys in environment',
      text: 'uses credential_source = Environment, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set here',
      fix: ENVIRONMENT_NO_KEYS_FIX,
    })
    return 'none'
  }
  const fix = 'export the IAM user\'s long-term keys instead, or set duration_seconds = 3600'
  const temporary = temporaryKeys(keys.accessKeyId, keys.sessionToken)
  if (temporary === 'session-token') return chained('the environment', 'holds temporary credentials (AWS_SESSION_TOKEN is set)', 'temporary', fix)
  if (temporary === 'asia-key') return chained('the environment', `holds temporary credentials (${TEMPORARY[temporary]})`, 'temporary', fix)
  add({ severity: 'ok', code: 'source-keys', text: `keys from the environment: long-term (${printable(keys.accessKeyId.slice(0, 4))}…)` })
  return 'environment'
}

function checkMfa(mfaSerial: string | undefined, settings: ProfileSettings, sourceName: string | undefined, add: Add): void {
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
  if (mfaSerial.startsWith('arn:') && !MFA_DEVICE_ARN.test(mfaSerial)) {
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
