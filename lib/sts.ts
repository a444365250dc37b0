import type { Env } from './deps.js'
import { AwsmfaError, EXIT } from './errors.js'
import { printable, serverText } from './text.js'

export type { AssumeRoleRequest, AssumedRole, CallerIdentity, CallerIdentityRequest, SessionToken, SessionTokenRequest, StsApi } from './sts-api.js'

/**
 * The endpoint override, most specific first, as the AWS CLI orders them. The SDK honours a
 * profile's endpoint_url only for the profile in AWS_PROFILE, so we resolve it ourselves.
 */
export function stsEndpoint(env: Env, profileEndpointUrl: string | undefined): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return undefined
  return env.AWS_ENDPOINT_URL_STS || env.AWS_ENDPOINT_URL || profileEndpointUrl || undefined
}

/** What the SDK throws, reduced to the fields we explain. */
export interface StsFailure {
  readonly name: string
  readonly message: string
  readonly httpStatus: number | undefined
  readonly code: string | undefined
  /** The Location header of a redirect, as the server sent it (raw). */
  readonly location: string | undefined
}

export function describeFailure(error: unknown): StsFailure {
  const record = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>
  const metadata = (record.$metadata ?? {}) as Record<string, unknown>
  return {
    name: typeof record.name === 'string' ? record.name : 'Error',
    message: typeof record.message === 'string' ? record.message : String(error),
    httpStatus: typeof metadata.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined,
    code: typeof record.code === 'string' ? record.code : undefined,
    location: headerOf(record.$response, 'location'),
  }
}

/** A header of the raw response the SDK keeps (hidden) on its errors. */
function headerOf(response: unknown, name: string): string | undefined {
  const headers = (typeof response === 'object' && response !== null ? (response as { headers?: unknown }).headers : undefined) ?? {}
  const value = typeof headers === 'object' && headers !== null ? (headers as Record<string, unknown>)[name] : undefined
  return typeof value === 'string' ? value : undefined
}

/** The statuses worth a name when a server answers with something that is not an STS answer. */
const STATUS_NAMES: ReadonlyMap<number, string> = new Map([
  [301, 'Moved Permanently'], [302, 'Found'], [303, 'See Other'], [307, 'Temporary Redirect'], [308, 'Permanent Redirect'],
  [400, 'Bad Request'], [401, 'Unauthorized'], [403, 'Forbidden'], [404, 'Not Found'], [405, 'Method Not Allowed'],
  [407, 'Proxy Authentication Required'], [408, 'Request Timeout'], [413, 'Content Too Large'], [429, 'Too Many Requests'],
])

export interface CallContext {
  readonly profile: string
  readonly roleArn: string
  readonly mfaSerial: string | undefined
  readonly durationSeconds: number
  readonly sourceOrigin: string
  readonly endpointShown: string
}

/** Translates what STS (or the network) said into the cause and the fix, in plain words. */
export function explainStsError(error: unknown, context: CallContext): AwsmfaError {
  const failure = describeFailure(error)
  const { profile } = context
  const refused = (cause: string, fix: string): AwsmfaError => new AwsmfaError(cause, { fix, profile, exitCode: EXIT.failed })
  const role = printable(context.roleArn)
  const roleName = role.split('/').pop() ?? role
  // The server's words, masked (an echoing server must not show the MFA code) and cut short.
  const message = serverText(failure.message)

  if (failure.name === 'AccessDenied' || failure.name === 'AccessDeniedException') {
    if (message.includes('invalid MFA one time pass code')) {
      return refused(
        'AWS rejected the MFA code. Each code works once; this one may have been used\nalready or may have expired.',
        'wait for the next code and try again',
      )
    }
    if (message.includes('must provide both MFA serial number and one time pass code')) {
      return refused(
        `AWS did not accept the MFA device '${printable(context.mfaSerial ?? '')}' with the code`,
        'mfa_serial must be the ARN of the MFA device (arn:aws:iam::ACCOUNT:mfa/NAME), not of the user (…:user/NAME); copy it from IAM → Security credentials',
      )
    }
    if (message.includes('Cannot call GetSessionToken with session credentials')) {
      return refused(`AWS answers GetSessionToken only for an IAM user's long-term keys, and those of ${context.sourceOrigin} are temporary`, 'put the IAM user\'s long-term keys (AKIA…) in the profile (aws configure --profile PROFILE)')
    }
    if (message.includes('is not authorized to perform: sts:AssumeRole')) {
      return refused(
        `AWS says ${sourceWho(message)} may not assume ${role}`,
        `check that role_arn is right (account and name), that the role's trust policy names this user or its account, and that its MFA condition is met (mfa_serial set); ask the role's owner if unsure`,
      )
    }
    return refused(`AWS denied the call: ${message}`, 'check the role\'s trust policy and the source user\'s permissions')
  }
  if (failure.name === 'ValidationError') {
    if (message.includes('session limit for roles assumed by role chaining')) {
      return refused(
        `AWS treated this as role chaining (keys from ${context.sourceOrigin} are temporary) and refused the ${context.durationSeconds} s session`,
        'point source_profile at the IAM user\'s long-term keys (AKIA…), or run with --duration 1h',
      )
    }
    if (message.includes('MaxSessionDuration')) {
      return refused(
        `the role ${roleName} allows shorter sessions than the ${context.durationSeconds} s asked for (its MaxSessionDuration)`,
        `raise it: aws iam update-role --role-name ${roleName} --max-session-duration 43200, or set duration_seconds (or --duration) to at most the role's maximum (default 1h)`,
      )
    }
    if (message.includes('roleSessionName')) {
      return new AwsmfaError('AWS refused the session name', {
        fix: 'use 2–64 characters from letters, digits and +=,.@_- (role_session_name or --session-name)',
        profile,
        exitCode: EXIT.usage,
      })
    }
    return refused(`AWS refused the request: ${message}`, 'check the profile\'s settings (awsmfa doctor)')
  }
  if (failure.name === 'InvalidClientTokenId') {
    return refused(
      `AWS does not know the access key of ${context.sourceOrigin}; it may have been deleted or deactivated`,
      'create a new access key for the IAM user and put it in the credentials file (aws configure)',
    )
  }
  if (failure.name === 'SignatureDoesNotMatch') {
    if (message.startsWith('Signature expired')) {
      return refused('AWS refused the request because this computer\'s clock is wrong by more than 5 minutes', 'set the clock right (enable NTP), then try again')
    }
    return refused(
      `AWS says the secret key of ${context.sourceOrigin} does not match its access key (or this computer's clock is far off)`,
      'check aws_secret_access_key in the credentials file (no extra spaces or quotes), and the clock',
    )
  }
  if (failure.name === 'ExpiredToken' || failure.name === 'ExpiredTokenException') {
    return refused(`the keys of ${context.sourceOrigin} are a session that has expired`, 'use the IAM user\'s long-term keys as the source, or renew that session')
  }
  if (failure.name === 'Throttling' || failure.name === 'ThrottlingException') {
    return refused('AWS is throttling STS requests right now, even after retries; the MFA code was not used', 'wait a few seconds and try again with the same or the next code')
  }
  if (failure.name === 'RegionDisabledException') {
    return refused(`STS is not enabled in this region (${context.endpointShown})`, 'use another region (--region), or activate STS for this region in IAM account settings')
  }
  if (failure.name === 'AbortError' || failure.name === 'TimeoutError' || failure.name === 'RequestTimeout') {
    return refused(`no answer from STS at ${context.endpointShown} in time`, 'check the network, a proxy or VPN, and the endpoint (region, endpoint_url, AWS_ENDPOINT_URL)')
  }
  if (failure.code === 'ERR_INVALID_CHAR') {
    // Node refused to put a key in an HTTP header: nothing was sent.
    return refused(`the keys of ${context.sourceOrigin} hold a character that cannot be sent to AWS; nothing was sent`, 'copy the keys again (no quotes, spaces or line breaks)')
  }
  const status = failure.httpStatus
  if (status !== undefined && status >= 300 && status < 400) {
    const to = failure.location === undefined ? '' : ` to ${serverText(failure.location, 120)}`
    return refused(
      `STS at ${context.endpointShown} answered with a redirect (HTTP ${status}${STATUS_NAMES.has(status) ? ` ${STATUS_NAMES.get(status)}` : ''})${to}; STS never redirects, and awsmfa does not follow one with the MFA code`,
      'set the endpoint to the right address yourself (endpoint_url, AWS_ENDPOINT_URL_STS) if you trust it, or fix the proxy or load balancer that redirects',
    )
  }
  const networkCode = failure.code ?? networkCodeIn(message)
  if (networkCode !== undefined) {
    return refused(`could not reach STS at ${context.endpointShown} (${networkCode})`, 'check the network, a proxy or VPN, and the endpoint (region, endpoint_url, AWS_ENDPOINT_URL)')
  }
  if (failure.httpStatus !== undefined && failure.httpStatus >= 500) {
    return refused(`STS at ${context.endpointShown} failed (HTTP ${failure.httpStatus}) even after retries`, 'try again in a minute; if it persists, check the AWS Health Dashboard')
  }
  if (failure.name === 'SyntaxError' || message.includes('Deserialization error') || message.includes('char ') || failure.httpStatus === 200) {
    return refused(`STS at ${context.endpointShown} sent an answer that is not an STS response`, 'check the endpoint (endpoint_url, AWS_ENDPOINT_URL) and any proxy in between')
  }
  if (status !== undefined && (failure.name === 'Unknown' || failure.message === 'Unknown' || failure.message === '')) {
    // No STS error in the body (an HTML page, nothing): the status is all there is to say.
    return refused(
      `STS at ${context.endpointShown} answered HTTP ${status}${STATUS_NAMES.has(status) ? ` (${STATUS_NAMES.get(status)})` : ''}, which is not an STS answer`,
      'check the endpoint (endpoint_url, AWS_ENDPOINT_URL) and any proxy in between',
    )
  }
  return refused(`the call to STS at ${context.endpointShown} failed: ${serverText(failure.name, 80)}: ${message}`, 'run again with AWSMFA_DEBUG=1 for details')
}

function sourceWho(message: string): string {
  const match = /^User: (\S+) is not authorized/.exec(message)
  return match?.[1] !== undefined ? match[1] : 'the source user'
}

function networkCodeIn(message: string): string | undefined {
  return /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|ECONNABORTED)\b/.exec(message)?.[1]
}
