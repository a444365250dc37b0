/**
 * What an STS answer (AssumeRole or GetSessionToken) must be before its session reaches a terminal. The SDK checks
 * nothing; a broken proxy, a wrong endpoint_url or a hostile server could otherwise export an
 * expired session, a long-term key, or a 10 MB token that makes every later command in the
 * terminal fail with "Argument list too long". Limits and their sources: docs/guarantees.md.
 */
import { ASSUMED_ROLE_ARN } from './aws-names.js'
import { AwsmfaError, EXIT } from './errors.js'
import { MAX_SESSION_SECONDS, rfc3339 } from './session.js'
import type { AssumedRole, SessionToken } from './sts.js'
import { printable, serverText } from './text.js'

/** STS API reference, Credentials.AccessKeyId: length 16–128, pattern [\w]*. Session keys start ASIA. */
export const ACCESS_KEY_ID = /^ASIA\w{12,124}$/
/** Not documented (AWS issues 40 characters); 1 KiB leaves room for any change and refuses garbage. */
export const MAX_SECRET_BYTES = 1024
/**
 * AWS documents the token's size as variable and asks callers not to assume one (real tokens are
 * 0.5–3 KB). 64 KiB is generous and stays far below Linux's 128 KiB limit on one environment
 * string (MAX_ARG_STRLEN), beyond which every program started from the terminal fails with E2BIG.
 */
export const MAX_TOKEN_BYTES = 64 * 1024
/** STS API reference, AssumedRoleUser.Arn: length 20–2048. */
const MAX_ARN_LENGTH = 2048
// The role and session names are compared with what was asked, not judged here: AWS's own rules
// for them are checked where they are chosen (assume.ts) and by AWS itself.

export interface AnswerContext {
  readonly endpointShown: string
  readonly nowMs: number
}

export interface AssumedRoleContext extends AnswerContext {
  readonly roleArn: string
}

const ENDPOINT_FIX = 'check the endpoint (endpoint_url, AWS_ENDPOINT_URL) and any proxy in between; nothing was exported'

function refusal(context: AnswerContext, cause: string, fix = ENDPOINT_FIX): AwsmfaError {
  return new AwsmfaError(`STS at ${context.endpointShown} answered ${cause}`, { fix, exitCode: EXIT.failed })
}

/**
 * The one rule for the credentials of any session STS issues (AssumeRole and GetSessionToken
 * alike): a session key, a secret and token of sane size, an expiration after now and within 36 h.
 */
export function checkSessionCredentials(answer: SessionToken, context: AnswerContext): void {
  const refused = (cause: string, fix?: string): AwsmfaError => refusal(context, cause, fix)
  const keyId = answer.accessKeyId
  if (!ACCESS_KEY_ID.test(keyId)) {
    const shown = serverText(keyId, 24)
    throw refused(/^AKIA/.test(keyId)
      ? `with the long-term access key '${shown}' as the session's key; an AWS session's key starts with ASIA`
      : `with '${shown}' as the session's access key, which is no AWS session key (ASIA and 12–124 letters or digits)`)
  }
  const secretBytes = Buffer.byteLength(answer.secretAccessKey)
  if (secretBytes > MAX_SECRET_BYTES) throw refused(`with a secret key of ${secretBytes} bytes; an AWS secret key is 40 characters (awsmfa accepts up to ${MAX_SECRET_BYTES})`)
  const tokenBytes = Buffer.byteLength(answer.sessionToken)
  if (tokenBytes > MAX_TOKEN_BYTES) {
    throw refused(`with a session token of ${tokenBytes} bytes, more than the ${MAX_TOKEN_BYTES} awsmfa accepts; exported, it would make every later command in this terminal fail ("Argument list too long")`)
  }
  const expiresMs = answer.expiration.getTime()
  if (Number.isNaN(expiresMs)) throw refused('with an expiration that is not a time')
  const clockFix = 'check this computer\'s clock, then the endpoint (endpoint_url, AWS_ENDPOINT_URL) and any proxy in between; nothing was exported'
  if (expiresMs <= context.nowMs) throw refused(`with a session that expired at ${rfc3339(answer.expiration)}, before it arrived`, clockFix)
  if (expiresMs > context.nowMs + MAX_SESSION_SECONDS * 1000) {
    throw refused(`with a session that ends at ${rfc3339(answer.expiration)}, more than 36 h from now; no AWS session lasts that long`, clockFix)
  }
}

/** Throws when the answer cannot be a valid session for `context.roleArn`; the message says why. */
export function checkAssumedRole(answer: AssumedRole, context: AssumedRoleContext): void {
  checkSessionCredentials(answer, context)
  const refused = (cause: string): AwsmfaError => refusal(context, cause)
  const assumed = ASSUMED_ROLE_ARN.exec(answer.assumedRoleArn.length > MAX_ARN_LENGTH ? '' : answer.assumedRoleArn)
  if (assumed === null) {
    throw refused(answer.assumedRoleArn === '' ? 'without the assumed role (AssumedRoleUser.Arn)' : `with '${serverText(answer.assumedRoleArn, 120)}' as the assumed role, which is not an assumed-role ARN`)
  }
  const [, account, roleName] = assumed
  const asked = context.roleArn.split(':')
  const askedAccount = asked[4] ?? ''
  const askedName = (asked.slice(5).join(':').split('/').pop() ?? '').toLowerCase()
  if (account !== askedAccount || roleName?.toLowerCase() !== askedName) {
    throw refused(`for ${printable(answer.assumedRoleArn)}, not for the role asked for (${printable(context.roleArn)})`)
  }
}
