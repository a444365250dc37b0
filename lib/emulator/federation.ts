/**
 * The console federation endpoint (`/federation`), as the IAM user guide's "Enable custom identity
 * broker access to the AWS console" page describes it: `Action=getSigninToken` turns a session's
 * keys into a sign-in token, `Action=login` spends the token and signs the browser in. Rules kept:
 * SessionDuration 900–43200 s; SessionDuration only for AssumeRole sessions made with an IAM user's
 * long-term keys (not role chaining); GetSessionToken sessions never; a token lasts 15 minutes.
 * AWS does not document its error bodies: the emulator answers 400 with a short text of its own.
 * Instead of redirecting to the console (unreachable here), login shows a page naming the role.
 */
import { randomBytes } from 'node:crypto'
import type { StsState } from './sts.js'
import type { FederationLogEntry } from './types.js'

const TOKEN_LIFETIME_MS = 15 * 60_000
const MIN_SESSION = 900
const MAX_SESSION = 43200

interface SigninToken {
  readonly issuedAt: number
  readonly principalArn: string
  readonly accountId: string
  readonly roleArn: string | undefined
  readonly consoleSeconds: number
}

export interface FederationAnswer {
  readonly status: number
  readonly contentType: string
  readonly body: string
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export class Federation {
  private readonly tokens = new Map<string, SigninToken>()
  readonly log: FederationLogEntry[] = []

  constructor(private readonly state: StsState, private readonly now: () => number) {}

  answer(params: URLSearchParams): FederationAnswer {
    const action = params.get('Action') ?? ''
    const entry: FederationLogEntry = { action, status: 0 }
    this.log.push(entry)
    const result = action === 'getSigninToken' ? this.getSigninToken(params, entry)
      : action === 'login' ? this.login(params, entry)
      : refuse(`unknown Action '${action}'`)
    entry.status = result.status
    if (result.status !== 200) entry.refusal = result.body
    return result
  }

  private getSigninToken(params: URLSearchParams, entry: FederationLogEntry): FederationAnswer {
    const durationText = params.get('SessionDuration')
    let consoleSeconds = 43200
    if (durationText !== null) {
      entry.sessionDuration = durationText
      if (!/^\d+$/.test(durationText)) return refuse('SessionDuration is not a number of seconds')
      consoleSeconds = Number(durationText)
      if (consoleSeconds < MIN_SESSION || consoleSeconds > MAX_SESSION) return refuse('SessionDuration must be 900 to 43200 seconds')
    }
    let session: unknown
    try {
      session = JSON.parse(params.get('Session') ?? '')
    } catch {
      return refuse('Session is not JSON')
    }
    const record = (typeof session === 'object' && session !== null ? session : {}) as Record<string, unknown>
    const { sessionId, sessionKey, sessionToken } = record
    if (typeof sessionId !== 'string' || typeof sessionKey !== 'string' || typeof sessionToken !== 'string') {
      return refuse('Session needs sessionId, sessionKey and sessionToken')
    }
    const found = this.state.findSession(sessionId, sessionKey, sessionToken)
    if (found === undefined) return refuse('the session credentials are not valid')
    entry.origin = found.origin
    if (this.now() >= found.expiresAt) return refuse('the session credentials have expired')
    if (found.origin === 'session-token') return refuse('credentials from GetSessionToken cannot sign in to the console')
    if (found.origin === 'chained' && durationText !== null) {
      return refuse('SessionDuration needs credentials from AssumeRole called with an IAM user\'s long-term keys (not role chaining)')
    }
    const token = `emu-signin-${randomBytes(48).toString('base64url')}`
    this.tokens.set(token, {
      issuedAt: this.now(),
      principalArn: found.caller.arn,
      accountId: found.caller.accountId,
      roleArn: found.caller.roleArn,
      consoleSeconds,
    })
    return { status: 200, contentType: 'application/json', body: JSON.stringify({ SigninToken: token }) }
  }

  private login(params: URLSearchParams, entry: FederationLogEntry): FederationAnswer {
    const token = this.tokens.get(params.get('SigninToken') ?? '')
    const destination = params.get('Destination')
    if (destination !== null) entry.destination = destination
    if (token === undefined) return refuse('the sign-in token is not valid')
    entry.tokenAgeMs = this.now() - token.issuedAt
    if (entry.tokenAgeMs > TOKEN_LIFETIME_MS) return refuse('the sign-in token has expired (it lasts 15 minutes)')
    if (destination === null || !/^https:\/\//.test(destination)) return refuse('Destination must be an https URL')
    const role = token.roleArn?.split('/').pop() ?? token.principalArn
    const until = new Date(this.now() + token.consoleSeconds * 1000).toISOString()
    const body = `<!doctype html>
<html><head><meta charset="utf-8"><title>AWS console (awsmfa emulator)</title></head>
<body>
<h1 id="signed-in">Signed in as ${escapeHtml(role)}</h1>
<p>Principal: <span id="principal">${escapeHtml(token.principalArn)}</span></p>
<p>Account: <span id="account">${escapeHtml(token.accountId)}</span></p>
<p>Console session until <span id="until">${until}</span></p>
<p>Destination: <a id="destination" href="${escapeHtml(destination)}">${escapeHtml(destination)}</a></p>
</body></html>
`
    return { status: 200, contentType: 'text/html; charset=utf-8', body }
  }
}

function refuse(reason: string): FederationAnswer {
  return { status: 400, contentType: 'text/plain; charset=utf-8', body: `${reason}\n` }
}
