import type { Env } from './deps.js'
import type { Shell } from './shells/index.js'
import { formatRemaining } from './duration.js'
import { printable } from './text.js'

/** What one successful AssumeRole gives a terminal. Holds secrets: only shell text carries them out. */
export interface Session {
  readonly profile: string
  /** The role_arn asked for (exported as AWSMFA_ROLE_ARN); undefined for a user session (GetSessionToken), which acts as the IAM user itself. */
  readonly roleArn: string | undefined
  /** What STS answered it is (AssumedRoleUser.Arn): arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION; undefined for a user session. */
  readonly assumedRoleArn: string | undefined
  /** For a user session: the IAM user, as far as its MFA device's ARN tells (AWS names the device after the user by default). */
  readonly user?: { readonly account: string; readonly name: string } | undefined
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken: string
  readonly expiration: Date
  readonly region: string | undefined
}

/** Removed on every `env`: a profile variable would make the AWS CLI ignore the session's keys. */
export const UNSET_VARIABLES = ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SECURITY_TOKEN'] as const

/**
 * What a session does to an environment, in the order it is done: each name is set to its value,
 * or removed (undefined). The one rule behind `env`'s shell text and `exec`'s child environment.
 */
export type EnvironmentChange = ReadonlyMap<string, string | undefined>

export function environmentChange(session: Session): EnvironmentChange {
  const change = new Map<string, string | undefined>()
  for (const name of UNSET_VARIABLES) change.set(name, undefined)
  // Without a region of its own the session must not keep the one an earlier `use` left behind.
  if (session.region === undefined) change.set('AWS_REGION', undefined).set('AWS_DEFAULT_REGION', undefined)
  change
    .set('AWS_ACCESS_KEY_ID', session.accessKeyId)
    .set('AWS_SECRET_ACCESS_KEY', session.secretAccessKey)
    .set('AWS_SESSION_TOKEN', session.sessionToken)
    .set('AWS_CREDENTIAL_EXPIRATION', rfc3339(session.expiration))
  if (session.region !== undefined) change.set('AWS_REGION', session.region).set('AWS_DEFAULT_REGION', session.region)
  change
    .set('AWSMFA_PROFILE', session.profile)
    .set('AWSMFA_EXPIRATION', String(Math.floor(session.expiration.getTime() / 1000)))
    // A user session has no role: an earlier role session's AWSMFA_ROLE_ARN is removed.
    .set('AWSMFA_ROLE_ARN', session.roleArn)
  return change
}

/** The shell code `env` prints: the environment change, one statement a line (unsets first). */
export function renderSession(session: Session, shell: Shell): string {
  const lines: string[] = []
  for (const [name, value] of environmentChange(session)) lines.push(value === undefined ? shell.unset(name) : shell.set(name, value))
  return shell.script?.(lines, session.profile) ?? lines.join('\n') + '\n'
}

/** The environment change applied to a copy of `env` (a table without prototype names), for a child process. */
export function applyEnvironmentChange(env: Env, change: EnvironmentChange): Record<string, string> {
  const result: Record<string, string> = Object.create(null) as Record<string, string>
  for (const [name, value] of Object.entries(env)) if (value !== undefined) result[name] = value
  for (const [name, value] of change) {
    if (value === undefined) delete result[name]
    else result[name] = value
  }
  return result
}

/** The credential_process JSON (Version 1) that the AWS CLI and SDKs read. */
export function credentialProcessJson(session: Session): string {
  return (
    JSON.stringify({
      Version: 1,
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: rfc3339(session.expiration),
    }) + '\n'
  )
}

/** `2026-11-23T19:48:00Z`: UTC with `Z`, whole seconds, as the AWS CLI writes it. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Account and role name out of a role ARN (arn:aws:iam::123456789034:role/path/Name). */
export function describeRole(roleArn: string): { account: string; roleName: string } {
  const parts = roleArn.split(':')
  const resource = parts.slice(5).join(':')
  return { account: parts[4] ?? '', roleName: resource.split('/').pop() ?? resource }
}

/** Account and role name out of an assumed-role ARN (arn:aws:sts::123456789034:assumed-role/Name/session). */
export function describeAssumedRole(assumedRoleArn: string): { account: string; roleName: string } {
  const parts = assumedRoleArn.split(':')
  return { account: parts[4] ?? '', roleName: parts.slice(5).join(':').split('/')[1] ?? '' }
}

/**
 * `prod: ServerworksRolePU in 123456789034 until 07:31 (12h00m)`: account and role as STS
 * answered them (AssumedRoleUser.Arn), not as the config asked; made printable.
 */
export function summaryLine(session: Session, nowMs: number): string {
  const until = session.expiration
  const clock = `${String(until.getHours()).padStart(2, '0')}:${String(until.getMinutes()).padStart(2, '0')}`
  // To the nearest minute: STS truncates Expiration to whole seconds, so a fresh 12 h session reads 12h00m, not 11h59m.
  const left = formatRemaining(Math.round((until.getTime() - nowMs) / 60_000) * 60)
  if (session.roleArn === undefined) {
    const who = session.user === undefined ? 'the IAM user' : `user ${printable(session.user.name)} in ${printable(session.user.account)}`
    return `${printable(session.profile)}: ${who} (MFA session, no role) until ${clock} (${left})`
  }
  const { account, roleName } = describeAssumedRole(session.assumedRoleArn ?? '')
  return `${printable(session.profile)}: ${printable(roleName)} in ${printable(account)} until ${clock} (${left})`
}

/** The keys without which a session in the environment cannot sign a request. */
export const SESSION_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const

/** The awsmfa session an environment holds, read back from the variables `env` wrote. */
export interface HeldSession {
  readonly profile: string
  /** AWSMFA_ROLE_ARN; undefined for a user session (GetSessionToken), which awsmfa exports without it. */
  readonly roleArn: string | undefined
  /** Unix seconds; undefined when AWSMFA_EXPIRATION is missing, not a time, or beyond any session's end. */
  readonly expiresAt: number | undefined
  /** Why the session is only partly there ("AWS_SESSION_TOKEN is missing"); undefined when whole. */
  readonly incomplete: string | undefined
}

/**
 * The longest session STS issues: GetSessionToken's 129,600 s (36 h); AssumeRole stops at 12 h.
 * An expiry further ahead than this cannot belong to a real session, whoever wrote it.
 */
export const MAX_SESSION_SECONDS = 36 * 3600

/**
 * The whole session an environment holds, read back as a Session, so that reusing it (exec)
 * applies the very change `env` made: the same keys and expiry, in `region`.
 */
export function sessionFromEnvironment(env: Env, held: HeldSession & { readonly expiresAt: number }, region: string | undefined): Session {
  return {
    profile: held.profile,
    roleArn: held.roleArn,
    assumedRoleArn: undefined,
    accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
    sessionToken: env.AWS_SESSION_TOKEN ?? '',
    expiration: new Date(held.expiresAt * 1000),
    region,
  }
}

/**
 * The one reader of AWSMFA_EXPIRATION, shared by exec (reuse), status and doctor; undefined
 * without AWSMFA_PROFILE. An expiry that is not whole seconds, or lies more than 36 h ahead,
 * makes the session incomplete: no reader ever turns it into a date (NaN, "Invalid time value").
 */
export function heldSession(env: Env, nowMs: number): HeldSession | undefined {
  const profile = env.AWSMFA_PROFILE
  if (!profile) return undefined
  const missing = SESSION_KEYS.filter((name) => !env[name])
  const written = env.AWSMFA_EXPIRATION ?? ''
  const seconds = /^\d{1,15}$/.test(written) ? Number(written) : undefined
  const inRange = seconds !== undefined && seconds <= Math.floor(nowMs / 1000) + MAX_SESSION_SECONDS
  const expiresAt = inRange ? seconds : undefined
  let incomplete: string | undefined
  if (missing.length > 0) incomplete = `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`
  else if (written === '') incomplete = 'AWSMFA_EXPIRATION is missing'
  else if (seconds === undefined) incomplete = `AWSMFA_EXPIRATION '${printable(written.slice(0, 40))}' is not a time (Unix seconds)`
  else if (!inRange) incomplete = `AWSMFA_EXPIRATION ${written} lies more than 36 h ahead, further than any AWS session lasts`
  return { profile, roleArn: env.AWSMFA_ROLE_ARN || undefined, expiresAt, incomplete }
}
