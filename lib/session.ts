import type { Env } from './deps.js'
import type { Shell } from './shells/types.js'
import { formatRemaining } from './duration.js'
import { printable } from './text.js'

/** What one successful AssumeRole gives a terminal. Holds secrets: only shell text carries them out. */
export interface Session {
  readonly profile: string
  readonly roleArn: string
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken: string
  readonly expiration: Date
  readonly region: string | undefined
}

/** Removed on every `env`: a profile variable would make the AWS CLI ignore the session's keys. */
export const UNSET_VARIABLES = ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SECURITY_TOKEN'] as const

/** The variables a session becomes, in the order they are written. */
export function sessionVariables(session: Session): Array<[name: string, value: string]> {
  const variables: Array<[string, string]> = [
    ['AWS_ACCESS_KEY_ID', session.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', session.secretAccessKey],
    ['AWS_SESSION_TOKEN', session.sessionToken],
    ['AWS_CREDENTIAL_EXPIRATION', rfc3339(session.expiration)],
  ]
  if (session.region !== undefined) variables.push(['AWS_REGION', session.region], ['AWS_DEFAULT_REGION', session.region])
  variables.push(
    ['AWSMFA_PROFILE', session.profile],
    ['AWSMFA_EXPIRATION', String(Math.floor(session.expiration.getTime() / 1000))],
    ['AWSMFA_ROLE_ARN', session.roleArn],
  )
  return variables
}

/** The shell code `env` prints: unsets first, then every variable, one statement a line. */
export function renderSession(session: Session, shell: Shell): string {
  // Without a region of its own the session must not keep the one an earlier `use` left behind.
  const unset = session.region === undefined ? [...UNSET_VARIABLES, 'AWS_REGION', 'AWS_DEFAULT_REGION'] : UNSET_VARIABLES
  const lines = unset.map((name) => shell.unset(name))
  for (const [name, value] of sessionVariables(session)) lines.push(shell.set(name, value))
  return shell.script?.(lines, session.profile) ?? lines.join('\n') + '\n'
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

/** `prod: ServerworksRolePU in 123456789034 until 07:31 (12h00m)`; names from the config made printable. */
export function summaryLine(session: Session, nowMs: number): string {
  const { account, roleName } = describeRole(session.roleArn)
  const until = session.expiration
  const clock = `${String(until.getHours()).padStart(2, '0')}:${String(until.getMinutes()).padStart(2, '0')}`
  // To the nearest minute: STS truncates Expiration to whole seconds, so a fresh 12 h session reads 12h00m, not 11h59m.
  const left = formatRemaining(Math.round((until.getTime() - nowMs) / 60_000) * 60)
  return `${printable(session.profile)}: ${printable(roleName)} in ${printable(account)} until ${clock} (${left})`
}

/** The keys without which a session in the environment cannot sign a request. */
export const SESSION_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const

/** The awsmfa session an environment holds, read back from the variables `env` wrote. */
export interface HeldSession {
  readonly profile: string
  /** Unix seconds; undefined when AWSMFA_EXPIRATION is missing or not a time. */
  readonly expiresAt: number | undefined
  /** Why the session is only partly there ("AWS_SESSION_TOKEN is missing"); undefined when whole. */
  readonly incomplete: string | undefined
}

/** Shared by exec (reuse), status and doctor; undefined without AWSMFA_PROFILE. */
export function heldSession(env: Env): HeldSession | undefined {
  const profile = env.AWSMFA_PROFILE
  if (!profile) return undefined
  const missing = SESSION_KEYS.filter((name) => !env[name])
  const expiresAt = /^\d+$/.test(env.AWSMFA_EXPIRATION ?? '') ? Number(env.AWSMFA_EXPIRATION) : undefined
  let incomplete: string | undefined
  if (missing.length > 0) incomplete = `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`
  else if (expiresAt === undefined) incomplete = 'AWSMFA_EXPIRATION is missing or not a time'
  return { profile, expiresAt, incomplete }
}
