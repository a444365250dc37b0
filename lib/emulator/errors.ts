/** One AWS error answer: HTTP status, Query-protocol Code and the exact Message AWS sends. */
export class StsError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message)
    this.name = code
  }
}

// The exact AWS wording (see DESIGN.md "Exact AWS answers"); clients and users match on it.
export const MSG = {
  missingAuth: 'Request is missing Authentication Token',
  invalidToken: 'The security token included in the request is invalid.',
  expiredToken: 'The security token included in the request is expired',
  badSignature: 'The request signature we calculated does not match the signature you provided. ' +
    'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  mfaBoth: 'MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.',
  mfaInvalid: 'MultiFactorAuthentication failed with invalid MFA one time pass code.',
  chaining: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
  roleMax: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
  sessionCreds: 'Cannot call GetSessionToken with session credentials',
  throttled: 'Rate exceeded',
  internal: 'The request processing has failed because of an unknown error, exception or failure.',
} as const

export const notAuthorized = (caller: string, action: string, resource: string): StsError =>
  new StsError(403, 'AccessDenied', `User: ${caller} is not authorized to perform: ${action} on resource: ${resource}`)
