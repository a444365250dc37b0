import { randomBytes } from 'node:crypto'
import type { HostileFault } from './types.js'
import { newTemporaryKeys } from './world.js'
import type { XmlValue } from './xml.js'

/** What the server sends for a hostile fault: a status, extra headers, and a body (XML or not). */
export interface HostileAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  /** An AssumeRole result to wrap in the success envelope, an error (code, message), or raw text. */
  readonly body: { result: XmlValue } | { error: { code: string; message: string } } | { raw: string }
}

/**
 * The answer for one hostile fault to an AssumeRole or GetSessionToken request with `params`,
 * built around what was asked (role, session name) so that only the one thing named by the fault
 * is wrong. A GetSessionToken answer has no AssumedRoleUser, as AWS's has none, so
 * 'other-account' and 'no-assumed-role' leave it a good answer.
 */
export function hostileAnswer(fault: HostileFault, params: Readonly<Record<string, string>>, rawRequest: string, nowMs: number): HostileAnswer {
  const roleArn = params.RoleArn ?? 'arn:aws:iam::123456789034:role/Unknown'
  const [, , , , account = '000000000000', resource = 'role/Unknown'] = roleArn.split(':')
  const roleName = resource.split('/').pop() ?? 'Unknown'
  const sessionName = params.RoleSessionName ?? 'session'
  const keys = newTemporaryKeys()
  const hour = 3600_000
  let expiration = new Date(Math.floor(nowMs / 1000) * 1000 + 12 * hour)
  let arn: string | undefined = `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`
  switch (fault) {
    case 'expired-answer': expiration = new Date(Math.floor(nowMs / 1000) * 1000 - hour); break
    case 'far-expiration': expiration = new Date(Math.floor(nowMs / 1000) * 1000 + 10 * 365 * 24 * hour); break
    case 'long-term-key': keys.accessKeyId = `AKIA${keys.accessKeyId.slice(4)}`; break
    case 'huge-token': keys.sessionToken = `IQoJ${randomBytes(7.5 * 1024 * 1024).toString('base64')}`.slice(0, 10 * 1024 * 1024); break
    case 'huge-secret': keys.secretAccessKey = 'S'.repeat(1024 * 1024); break
    case 'other-account': arn = `arn:aws:sts::999999999999:assumed-role/${roleName}/${sessionName}`; break
    case 'no-assumed-role': arn = undefined; break
    case 'huge-error': return { status: 400, headers: {}, body: { error: { code: 'ValidationError', message: `1 validation error detected: ${'x'.repeat(5 * 1024 * 1024)}` } } }
    case 'echo': return { status: 400, headers: {}, body: { error: { code: 'InvalidRequest', message: `Bad request: ${rawRequest}` } } }
    case 'redirect': return { status: 307, headers: { Location: 'https://sts.eu-west-1.amazonaws.com/' }, body: { raw: '' } }
    case 'not-found': return { status: 404, headers: { 'Content-Type': 'text/html' }, body: { raw: '<html><body><h1>404 Not Found</h1></body></html>' } }
  }
  return {
    status: 200,
    headers: {},
    body: {
      result: {
        Credentials: {
          AccessKeyId: keys.accessKeyId,
          SecretAccessKey: keys.secretAccessKey,
          SessionToken: keys.sessionToken,
          Expiration: expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        },
        AssumedRoleUser: arn === undefined || params.Action === 'GetSessionToken' ? undefined : { AssumedRoleId: `AROAEXAMPLE:${sessionName}`, Arn: arn },
      },
    },
  }
}
