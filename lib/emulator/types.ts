/** An IAM user with long-term keys, optionally with one virtual MFA device. */
export interface EmulatorUser {
  userName: string
  accountId: string
  /** Long-term key id: `AKIA` + 16 uppercase letters/digits. */
  accessKeyId: string
  secretAccessKey: string
  /** `arn:aws:iam::ACCT:mfa/NAME` */
  mfaSerial?: string
  /** Base32 TOTP seed of that device. */
  mfaSecret?: string
}

/** A role and the part of its trust policy the emulator models. */
export interface EmulatorRole {
  /** `arn:aws:iam::ACCT:role/NAME` */
  arn: string
  /** Seconds; AWS's default is 3600. */
  maxSessionDuration?: number
  /** User ARNs, role ARNs, or `arn:aws:iam::ACCT:root` (trusts every principal of that account). */
  trustedPrincipals: string[]
  /** Trust policy carries `Bool: aws:MultiFactorAuthPresent = true`. */
  requireMfa?: boolean
}

export type Fault = 'throttle' | 'http500' | 'hang' | 'malformed' | 'expired-session' | HostileFault

/**
 * Answers no real STS gives, from a broken or hostile endpoint (lib/emulator/hostile.ts): a
 * well-formed AssumeRole success whose session cannot be valid, or an error that is not one.
 */
export type HostileFault =
  | 'expired-answer' // Expiration an hour in the past
  | 'far-expiration' // Expiration ten years ahead
  | 'long-term-key' // an AKIA… (long-term) key id as the session's key
  | 'huge-token' // a 10 MB session token
  | 'huge-secret' // a 1 MB secret key
  | 'other-account' // AssumedRoleUser.Arn in another account than the role asked for
  | 'no-assumed-role' // no AssumedRoleUser at all
  | 'huge-error' // a 400 whose Message is 5 MB
  | 'echo' // a 400 whose Message echoes the request: its form body (TokenCode=…) and Authorization
  | 'redirect' // 307 Temporary Redirect to another host, empty body
  | 'not-found' // 404 with an HTML page

/** The secret half of a session, for an emulator told what to issue. */
export interface SessionSecrets {
  readonly secretAccessKey: string
  readonly sessionToken: string
}

export interface EmulatorOptions {
  users: EmulatorUser[]
  roles: EmulatorRole[]
  /** Millisecond clock for signatures, expiry and TOTP; default Date.now. */
  now?: () => number
  /**
   * Issue every session with this secret and token instead of random ones: the caller's hostile
   * test data (test/helpers/hostile-keys.ts), kept out of the emulator so it never ships in dist/.
   */
  hostile?: SessionSecrets
  /** Default 0: an ephemeral port. */
  port?: number
}

export interface RequestLogEntry {
  /** The Action parameter ('' when absent). */
  action: string
  /** Every query/form parameter except the X-Amz-* signing ones. */
  params: Record<string, string>
  accessKeyId?: string
  /** Whether the request carried a session token. */
  sessionToken?: boolean
  /** HTTP status sent; 0 while no answer was sent (the 'hang' fault). */
  status: number
  errorCode?: string
  /** The value of the x-amzn-RequestId header, when an answer was sent. */
  requestId?: string
  /** Emulator clock (ms) when the request arrived. */
  at: number
}

/** One request to /federation. Holds no secret: neither the Session keys nor the sign-in token. */
export interface FederationLogEntry {
  /** getSigninToken | login | whatever was sent */
  action: string
  status: number
  /** SessionDuration as sent (getSigninToken). */
  sessionDuration?: string
  /** How the session presented was made (getSigninToken). */
  origin?: 'assume-role' | 'chained' | 'session-token'
  /** Destination as sent (login). */
  destination?: string
  /** How old the sign-in token was when it was used (login). */
  tokenAgeMs?: number
  /** The emulator's reason for a 400. */
  refusal?: string
}

export interface IssuedCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken: string
  expiration: Date
  /** The principal these credentials act as (assumed-role ARN, or the user ARN for GetSessionToken). */
  arn: string
  /** True when issued by AssumeRole called with temporary credentials (role chaining). */
  chained: boolean
}

export interface Emulator {
  /** `http://127.0.0.1:PORT` */
  readonly url: string
  readonly port: number
  /** Every request, in arrival order. Never holds a secret key. */
  readonly requests: RequestLogEntry[]
  readonly issued: IssuedCredentials[]
  /** Every request to /federation (console sign-in), in arrival order. */
  readonly federation: FederationLogEntry[]
  /** The current 6-digit code for a device serial (or a raw base32 secret). */
  totp(serialOrSecret: string, atMs?: number): string
  /** The next `count` (default 1) requests get the fault instead of an answer. */
  inject(fault: Fault, count?: number): void
  /** Stops listening and ends every connection, hung ones included. */
  close(): Promise<void>
}
