/**
 * The agent's wire protocol: one JSON object per line each way, every message carrying the
 * protocol version. A request is at most 64 KiB; anything the agent cannot read gets an error
 * answer and the agent keeps serving. Sessions travel whole only in `get` answers and `put`
 * requests; `list` carries no secret.
 */
import type { Session } from '../session.js'

export const PROTOCOL_VERSION = 1
export const MAX_REQUEST_BYTES = 64 * 1024
/** A session lasts at most 36 h (GetSessionToken); anything later is not a session from STS. */
const MAX_LIFETIME_MS = 129_600_000

/** Sessions are kept per profile and per config file: `prod` in two config files may be two roles. */
export interface SessionKey {
  readonly profile: string
  readonly config: string
}

export interface WireSession {
  readonly profile: string
  readonly roleArn: string
  /** What STS answered it is (AssumedRoleUser.Arn); the success line names the role from it. */
  readonly assumedRoleArn: string
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken: string
  /** RFC 3339. */
  readonly expiration: string
  readonly region: string | null
}

/** What `list` shows: no key, no secret, no token. */
export interface SessionSummary {
  readonly profile: string
  readonly config: string
  readonly roleArn: string
  readonly expiration: string
  readonly region: string | null
}

export type Request =
  | { readonly op: 'ping' }
  | { readonly op: 'get'; readonly key: SessionKey; readonly minRemaining: number }
  | { readonly op: 'put'; readonly key: SessionKey; readonly session: WireSession }
  | { readonly op: 'list' }
  | { readonly op: 'forget'; readonly profile: string | null }
  | { readonly op: 'stop' }

export interface OkAnswer { v: number; ok: true; pid?: number; version?: string; session?: WireSession | null; sessions?: SessionSummary[]; forgotten?: number }
export type Answer = OkAnswer | { v: number; ok: false; error: string }

export function encode(message: object): string {
  return `${JSON.stringify({ v: PROTOCOL_VERSION, ...message })}\n`
}

type Parsed = { request: Request } | { error: string }

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const isText = (value: unknown, max = 4096): value is string => typeof value === 'string' && value.length > 0 && value.length <= max

function parseKey(value: unknown): SessionKey | undefined {
  if (!isRecord(value) || !isText(value.profile, 256) || !isText(value.config)) return undefined
  return { profile: value.profile, config: value.config }
}

/** A session the agent may hold: temporary keys with a token, expiring within 36 h. Long-term keys are refused. */
export function parseWireSession(value: unknown, nowMs: number): WireSession | string {
  if (!isRecord(value)) return 'session: not an object'
  const { profile, roleArn, assumedRoleArn, accessKeyId, secretAccessKey, sessionToken, expiration, region } = value
  if (!isText(profile, 256) || typeof roleArn !== 'string' || roleArn.length > 2048) return 'session: bad profile or roleArn'
  if (!isText(accessKeyId, 128) || !isText(secretAccessKey, 256) || !isText(sessionToken, 16384)) return 'session: bad keys'
  if (accessKeyId.startsWith('AKIA')) return 'session: long-term keys (AKIA…) are never held by the agent'
  if (typeof assumedRoleArn !== 'string' || assumedRoleArn.length > 2048) return 'session: bad assumedRoleArn'
  if (region !== null && !isText(region, 64)) return 'session: bad region'
  if (!isText(expiration, 64)) return 'session: bad expiration'
  const expiresAt = Date.parse(expiration)
  if (!Number.isFinite(expiresAt) || expiresAt <= nowMs || expiresAt > nowMs + MAX_LIFETIME_MS) return 'session: expiration is not within the next 36 h'
  return { profile, roleArn, assumedRoleArn, accessKeyId, secretAccessKey, sessionToken, expiration, region }
}

/** One request line (without its newline) → a request, or the reason it is refused. */
export function parseRequest(line: string, nowMs: number): Parsed {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return { error: 'malformed request: not JSON' }
  }
  if (!isRecord(value)) return { error: 'malformed request: not a JSON object' }
  if (value.v !== PROTOCOL_VERSION) return { error: `unsupported protocol version ${JSON.stringify(value.v ?? null)}; this agent speaks ${PROTOCOL_VERSION}` }
  switch (value.op) {
    case 'ping':
    case 'list':
    case 'stop':
      return { request: { op: value.op } }
    case 'get': {
      const key = parseKey(value.key)
      const minRemaining = value.minRemaining
      if (key === undefined || typeof minRemaining !== 'number' || !Number.isFinite(minRemaining) || minRemaining < 0) return { error: 'malformed get: needs key and minRemaining' }
      return { request: { op: 'get', key, minRemaining } }
    }
    case 'put': {
      const key = parseKey(value.key)
      if (key === undefined) return { error: 'malformed put: needs key' }
      const session = parseWireSession(value.session, nowMs)
      if (typeof session === 'string') return { error: `malformed put: ${session}` }
      if (session.profile !== key.profile) return { error: 'malformed put: the session is for another profile' }
      return { request: { op: 'put', key, session } }
    }
    case 'forget': {
      const profile = value.profile ?? null
      if (profile !== null && !isText(profile, 256)) return { error: 'malformed forget: profile must be a name or null' }
      return { request: { op: 'forget', profile } }
    }
    default:
      return { error: `unknown request ${JSON.stringify(typeof value.op === 'string' ? value.op.slice(0, 40) : value.op ?? null)}` }
  }
}

export function toWire(session: Session): WireSession {
  return {
    profile: session.profile,
    // A user session (GetSessionToken) has no role: '' on the wire.
    roleArn: session.roleArn ?? '',
    assumedRoleArn: session.assumedRoleArn ?? '',
    accessKeyId: session.accessKeyId,
    secretAccessKey: session.secretAccessKey,
    sessionToken: session.sessionToken,
    expiration: session.expiration.toISOString(),
    region: session.region ?? null,
  }
}

export function fromWire(wire: WireSession): Session {
  return {
    profile: wire.profile,
    roleArn: wire.roleArn || undefined,
    assumedRoleArn: wire.assumedRoleArn || undefined,
    accessKeyId: wire.accessKeyId,
    secretAccessKey: wire.secretAccessKey,
    sessionToken: wire.sessionToken,
    expiration: new Date(wire.expiration),
    region: wire.region ?? undefined,
  }
}
