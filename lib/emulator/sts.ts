import { StsError, MSG, notAuthorized } from './errors.js'
import { totp, totpStep, base32Decode } from './totp.js'
import { newTemporaryKeys, parseRoleArn, stableId, userArn } from './world.js'
import type { XmlValue } from './xml.js'
import type { EmulatorOptions, EmulatorRole, EmulatorUser, IssuedCredentials } from './types.js'

/** Who signed a request, and what AWS's policy engine would know about them. */
export interface Caller {
  /** Principal ARN: the user, or the assumed-role session. GetSessionToken sessions act as their user. */
  arn: string
  userId: string
  accountId: string
  /** The IAM user behind long-term keys and GetSessionToken sessions; absent for role sessions. */
  user?: EmulatorUser
  /** For role sessions: the role's ARN, which is what trust policies name. */
  roleArn?: string
  /** aws:MultiFactorAuthPresent */
  mfa: boolean
  /** Signed with temporary (ASIA) credentials: AssumeRole from here is role chaining. */
  temporary: boolean
}

/** How a session was made: what the federation endpoint asks before it signs anyone in. */
export type SessionOrigin = 'assume-role' | 'chained' | 'session-token'

interface Session {
  secretAccessKey: string
  sessionToken: string
  expiresAt: number
  caller: Caller
  origin: SessionOrigin
}

/** A session the emulator issued, as the federation endpoint sees it (lib/emulator/federation.ts). */
export interface IssuedSession {
  readonly caller: Caller
  readonly expiresAt: number
  readonly origin: SessionOrigin
}

const SESSION_NAME = /^[\w+=,.@-]*$/
const SERIAL = /^[\w+=/:,.@-]*$/
const DIGITS = /^\d*$/
const CHAINED_MAX = 3600

/** The AWS answer for one or more failed input constraints, joined exactly as AWS joins them. */
function validationError(problems: string[]): StsError {
  const n = problems.length
  return new StsError(400, 'ValidationError',
    `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`)
}

function constraint(member: string, value: string | undefined, rule: string): string {
  const shown = value === undefined ? 'null' : `'${value}'`
  return `Value ${shown} at '${member}' failed to satisfy constraint: Member must ${rule}`
}

/** Length and pattern checks for a string member, in the order AWS reports them. */
function checkString(problems: string[], member: string, value: string | undefined,
  rule: { required?: boolean; min?: number; max?: number; pattern?: [RegExp, string] }): void {
  if (value === undefined) {
    if (rule.required) problems.push(constraint(member, value, 'not be null'))
    return
  }
  const length = [...value].length
  if (rule.min !== undefined && length < rule.min) problems.push(constraint(member, value, `have length greater than or equal to ${rule.min}`))
  if (rule.max !== undefined && length > rule.max) problems.push(constraint(member, value, `have length less than or equal to ${rule.max}`))
  if (rule.pattern && !rule.pattern[0].test(value)) problems.push(constraint(member, value, `satisfy regular expression pattern: ${rule.pattern[1]}`))
}

/** DurationSeconds: an integer within [min, max]; returns the default when absent. */
function checkDuration(problems: string[], value: string | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback
  if (!/^-?\d+$/.test(value)) {
    // AWS rejects a non-integer before validation proper; the SDKs never send one. Wording is ours.
    throw new StsError(400, 'ValidationError', `Value '${value}' for parameter DurationSeconds is not an integer`)
  }
  const seconds = Number(value)
  if (seconds < min) problems.push(constraint('durationSeconds', value, `have value greater than or equal to ${min}`))
  if (seconds > max) problems.push(constraint('durationSeconds', value, `have value less than or equal to ${max}`))
  return seconds
}

/** Expiration as STS writes it: whole seconds, UTC, with `Z`. */
export const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z')

/**
 * The STS model: identities, trust, MFA devices and the sessions it issued. Pure of HTTP, so the
 * server only maps a signed request to a caller and an action.
 */
export class StsState {
  readonly issued: IssuedCredentials[] = []
  private readonly sessions = new Map<string, Session>()
  /** Last TOTP step accepted per device: a code is single-use, and so is anything older than it. */
  private readonly lastStep = new Map<string, number>()

  constructor(private readonly options: EmulatorOptions, private readonly now: () => number) {}

  /** The caller for an access key and the secret to check its signature with. */
  identify(accessKeyId: string, sessionToken: string | undefined): { caller: Caller; secret: string } {
    const user = this.options.users.find((u) => u.accessKeyId === accessKeyId)
    if (user) {
      // Long-term keys never carry a token; AWS refuses the pair rather than ignoring the token.
      if (sessionToken !== undefined) throw new StsError(403, 'InvalidClientTokenId', MSG.invalidToken)
      const arn = userArn(user)
      return { caller: { arn, userId: stableId('AIDA', arn), accountId: user.accountId, user, mfa: false, temporary: false }, secret: user.secretAccessKey }
    }
    const session = this.sessions.get(accessKeyId)
    if (!session || sessionToken !== session.sessionToken) {
      throw new StsError(403, 'InvalidClientTokenId', MSG.invalidToken)
    }
    if (this.now() >= session.expiresAt) throw new StsError(403, 'ExpiredToken', MSG.expiredToken)
    return { caller: session.caller, secret: session.secretAccessKey }
  }

  totp(serialOrSecret: string, atMs: number): string {
    const device = this.options.users.find((u) => u.mfaSerial === serialOrSecret && u.mfaSecret)
    return totp(base32Decode(device?.mfaSecret ?? serialOrSecret), atMs)
  }

  assumeRole(caller: Caller, p: Record<string, string>): XmlValue {
    const problems: string[] = []
    const duration = checkDuration(problems, p.DurationSeconds, 900, 43200, 3600)
    checkString(problems, 'roleSessionName', p.RoleSessionName, { required: true, min: 2, max: 64, pattern: [SESSION_NAME, '[\\w+=,.@-]*'] })
    checkString(problems, 'roleArn', p.RoleArn, { required: true, min: 20, max: 2048 })
    this.checkMfaParams(problems, p)
    if (problems.length > 0) throw validationError(problems)
    const roleArn = p.RoleArn ?? ''
    const sessionName = p.RoleSessionName ?? ''

    const mfaGiven = this.requireMfaPair(p)
    const role = this.options.roles.find((r) => r.arn === roleArn)
    const parsed = parseRoleArn(roleArn)
    if (!role || !parsed || !this.trusts(role, caller) || (role.requireMfa && !caller.mfa && !mfaGiven)) {
      throw notAuthorized(caller.arn, 'sts:AssumeRole', roleArn)
    }
    if (mfaGiven) this.checkCode(caller, p.SerialNumber ?? '', p.TokenCode ?? '')
    if (caller.temporary && duration > CHAINED_MAX) throw new StsError(400, 'ValidationError', MSG.chaining)
    if (duration > (role.maxSessionDuration ?? 3600)) throw new StsError(400, 'ValidationError', MSG.roleMax)

    const arn = `arn:aws:sts::${parsed.accountId}:assumed-role/${parsed.name}/${sessionName}`
    const assumedRoleId = `${stableId('AROA', role.arn)}:${sessionName}`
    const credentials = this.issue(duration, arn, caller.temporary ? 'chained' : 'assume-role', {
      arn, userId: assumedRoleId, accountId: parsed.accountId, roleArn: role.arn,
      mfa: caller.mfa || mfaGiven, temporary: true,
    })
    return {
      Credentials: credentials,
      AssumedRoleUser: { AssumedRoleId: assumedRoleId, Arn: arn },
      SourceIdentity: p.SourceIdentity,
    }
  }

  getSessionToken(caller: Caller, p: Record<string, string>): XmlValue {
    const problems: string[] = []
    const duration = checkDuration(problems, p.DurationSeconds, 900, 129600, 43200)
    this.checkMfaParams(problems, p)
    if (problems.length > 0) throw validationError(problems)
    if (caller.temporary || !caller.user) throw new StsError(403, 'AccessDenied', MSG.sessionCreds)
    const mfaGiven = this.requireMfaPair(p)
    if (mfaGiven) this.checkCode(caller, p.SerialNumber ?? '', p.TokenCode ?? '')
    // A GetSessionToken session acts as its user; only the MFA context and "temporary" change.
    const credentials = this.issue(duration, caller.arn, 'session-token', { ...caller, mfa: mfaGiven, temporary: true })
    return { Credentials: credentials }
  }

  getCallerIdentity(caller: Caller): XmlValue {
    return { Arn: caller.arn, UserId: caller.userId, Account: caller.accountId }
  }

  private checkMfaParams(problems: string[], p: Record<string, string>): void {
    checkString(problems, 'serialNumber', p.SerialNumber, { min: 9, max: 256, pattern: [SERIAL, '[\\w+=/:,.@-]*'] })
    checkString(problems, 'tokenCode', p.TokenCode, { min: 6, max: 6, pattern: [DIGITS, '[\\d]*'] })
  }

  /** Both or neither: AWS refuses half an MFA before it looks at trust. */
  private requireMfaPair(p: Record<string, string>): boolean {
    const serial = p.SerialNumber !== undefined && p.SerialNumber !== ''
    const code = p.TokenCode !== undefined && p.TokenCode !== ''
    if (serial !== code) throw new StsError(403, 'AccessDenied', MSG.mfaBoth)
    return serial
  }

  private trusts(role: EmulatorRole, caller: Caller): boolean {
    // Trust policies name the role (not the session) or the user; `:root` trusts the whole account.
    const principal = caller.roleArn ?? (caller.user ? userArn(caller.user) : caller.arn)
    return role.trustedPrincipals.some((p) => p === principal || p === `arn:aws:iam::${caller.accountId}:root`)
  }

  /**
   * The device must be the caller's own, and the code must match the previous, current or next
   * 30-s step and be newer than the last code accepted: AWS lets each code work once.
   */
  private checkCode(caller: Caller, serial: string, code: string): void {
    const user = caller.user
    if (!user || user.mfaSerial !== serial || !user.mfaSecret) throw new StsError(403, 'AccessDenied', MSG.mfaInvalid)
    const key = base32Decode(user.mfaSecret)
    const now = this.now()
    const current = totpStep(now)
    const last = this.lastStep.get(serial) ?? Number.NEGATIVE_INFINITY
    for (const step of [current - 1, current, current + 1]) {
      if (step > last && totp(key, step * 30_000) === code) {
        this.lastStep.set(serial, step)
        return
      }
    }
    throw new StsError(403, 'AccessDenied', MSG.mfaInvalid)
  }

  /** The session behind a key id, when the secret and token match; undefined for anything else. */
  findSession(accessKeyId: string, secretAccessKey: string, sessionToken: string): IssuedSession | undefined {
    const session = this.sessions.get(accessKeyId)
    if (!session || session.secretAccessKey !== secretAccessKey || session.sessionToken !== sessionToken) return undefined
    return { caller: session.caller, expiresAt: session.expiresAt, origin: session.origin }
  }

  private issue(durationSeconds: number, arn: string, origin: SessionOrigin, caller: Caller): XmlValue {
    const chained = origin === 'chained'
    const keys = newTemporaryKeys()
    if (this.options.hostile) {
      keys.secretAccessKey = this.options.hostile.secretAccessKey
      keys.sessionToken = this.options.hostile.sessionToken
    }
    // STS reports whole seconds; keep the stored expiry identical to what the client reads.
    const expiresAt = Math.floor(this.now() / 1000) * 1000 + durationSeconds * 1000
    const expiration = new Date(expiresAt)
    this.sessions.set(keys.accessKeyId, { secretAccessKey: keys.secretAccessKey, sessionToken: keys.sessionToken, expiresAt, caller, origin })
    this.issued.push({ ...keys, expiration, arn, chained })
    return {
      AccessKeyId: keys.accessKeyId,
      SecretAccessKey: keys.secretAccessKey,
      SessionToken: keys.sessionToken,
      Expiration: isoSeconds(expiration),
    }
  }
}
