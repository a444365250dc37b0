import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { StsError, MSG } from './errors.js'

/** What the verifier needs from an HTTP request, as it arrived on the wire. */
export interface WireRequest {
  method: string
  /** Path without the query, still percent-encoded. */
  path: string
  /** Raw query string without the '?'. */
  query: string
  /** node's rawHeaders: [name, value, name, value, …]; duplicates kept so they join like AWS joins them. */
  rawHeaders: string[]
  body: Buffer
}

/** The parts of an Authorization header (or of a presigned query) that the server checks. */
export interface SigV4Claim {
  accessKeyId: string
  /** YYYYMMDD from the credential scope. */
  scopeDate: string
  region: string
  service: string
  signedHeaders: string[]
  signature: string
  /** X-Amz-Date, `YYYYMMDDTHHMMSSZ`. */
  amzDate: string
  sessionToken?: string
  /** Signature carried in the query (presigned URL) rather than the Authorization header. */
  presigned: boolean
}

const ALGORITHM = 'AWS4-HMAC-SHA256'
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/
const SKEW_MS = 5 * 60 * 1000

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex')
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest()

/** RFC 3986 unreserved characters stay; everything else is %XX, as SigV4 requires. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

export function headerValues(rawHeaders: string[]): Map<string, string[]> {
  const map = new Map<string, string[]>()
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase()
    const list = map.get(name) ?? []
    list.push(rawHeaders[i + 1] ?? '')
    map.set(name, list)
  }
  return map
}

const incomplete = (message: string): StsError => new StsError(400, 'IncompleteSignature', message)

/**
 * Reads the signature claim from the Authorization header, or from the query of a presigned URL.
 * Returns undefined when the request carries no signature at all (MissingAuthenticationToken).
 */
export function readClaim(req: WireRequest): SigV4Claim | undefined {
  const headers = headerValues(req.rawHeaders)
  const authorization = headers.get('authorization')?.[0]
  const query = new URLSearchParams(req.query)
  if (authorization === undefined) {
    if (!query.has('X-Amz-Signature')) return undefined
    return claimFrom({
      credential: query.get('X-Amz-Credential') ?? '',
      signedHeaders: query.get('X-Amz-SignedHeaders') ?? '',
      signature: query.get('X-Amz-Signature') ?? '',
      algorithm: query.get('X-Amz-Algorithm') ?? '',
      amzDate: query.get('X-Amz-Date') ?? undefined,
      sessionToken: query.get('X-Amz-Security-Token') ?? undefined,
      presigned: true,
    })
  }
  const space = authorization.indexOf(' ')
  const algorithm = space < 0 ? authorization : authorization.slice(0, space)
  const fields = new Map<string, string>()
  for (const part of authorization.slice(space + 1).split(',')) {
    const eq = part.indexOf('=')
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
  }
  for (const required of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!fields.has(required)) {
      throw incomplete(`Authorization header requires '${required}' parameter. Authorization=${authorization}`)
    }
  }
  return claimFrom({
    credential: fields.get('Credential') ?? '',
    signedHeaders: fields.get('SignedHeaders') ?? '',
    signature: fields.get('Signature') ?? '',
    algorithm,
    amzDate: headers.get('x-amz-date')?.[0],
    sessionToken: headers.get('x-amz-security-token')?.[0],
    presigned: false,
  })
}

function claimFrom(raw: {
  credential: string; signedHeaders: string; signature: string; algorithm: string
  amzDate: string | undefined; sessionToken: string | undefined; presigned: boolean
}): SigV4Claim {
  if (raw.algorithm !== ALGORITHM) {
    throw incomplete(`Unsupported AWS 'algorithm': '${raw.algorithm}'`)
  }
  if (raw.amzDate === undefined || !AMZ_DATE.test(raw.amzDate)) {
    throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
  }
  const scope = raw.credential.split('/')
  const [accessKeyId = '', scopeDate = '', region = '', service = '', terminator = ''] = scope
  if (scope.length !== 5 || terminator !== 'aws4_request') {
    throw incomplete(`Credential should be scoped to a valid region. Credential=${raw.credential}`)
  }
  const signedHeaders = raw.signedHeaders.split(';').map((h) => h.trim().toLowerCase()).filter(Boolean)
  if (!signedHeaders.includes('host')) {
    throw new StsError(403, 'SignatureDoesNotMatch', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
  }
  const claim: SigV4Claim = {
    accessKeyId, scopeDate, region, service, signedHeaders,
    signature: raw.signature, amzDate: raw.amzDate, presigned: raw.presigned,
  }
  if (raw.sessionToken !== undefined) claim.sessionToken = raw.sessionToken
  return claim
}

/** `20260101T000000Z` ↔ epoch ms. */
export function amzDateToMs(amzDate: string): number {
  const m = AMZ_DATE.exec(amzDate)
  if (!m) return Number.NaN
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))
}

export function msToAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}

/** AWS accepts a signature dated within 5 minutes of its clock; this is its wording when it is not. */
export function checkClockSkew(claim: SigV4Claim, nowMs: number): void {
  const signedAt = amzDateToMs(claim.amzDate)
  if (signedAt < nowMs - SKEW_MS) {
    throw new StsError(403, 'SignatureDoesNotMatch',
      `Signature expired: ${claim.amzDate} is now earlier than ${msToAmzDate(nowMs - SKEW_MS)} (${msToAmzDate(nowMs)} - 5 min.)`)
  }
  if (signedAt > nowMs + SKEW_MS) {
    throw new StsError(403, 'SignatureDoesNotMatch',
      `Signature not yet current: ${claim.amzDate} is still later than ${msToAmzDate(nowMs + SKEW_MS)} (${msToAmzDate(nowMs)} + 5 min.)`)
  }
}

/** The scope must name this service and the day of X-Amz-Date; any region is accepted (the emulator is every region). */
export function checkScope(claim: SigV4Claim): void {
  if (claim.service !== 'sts') {
    throw new StsError(403, 'SignatureDoesNotMatch', `Credential should be scoped to correct service: 'sts'.`)
  }
  const day = claim.amzDate.slice(0, 8)
  if (claim.scopeDate !== day) {
    throw new StsError(403, 'SignatureDoesNotMatch',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${claim.scopeDate}' != '${day}', from '${claim.amzDate}'.`)
  }
}

/** Non-S3 services double-encode: each segment of the wire path (already encoded once) is encoded again. */
function canonicalPath(path: string): string {
  const out: string[] = []
  for (const segment of path.split('/')) {
    if (segment === '.' || segment === '') continue
    if (segment === '..') out.pop()
    else out.push(uriEncode(segment))
  }
  const trailing = path.endsWith('/') && out.length > 0 ? '/' : ''
  return `/${out.join('/')}${trailing}`
}

function canonicalQuery(query: string, presigned: boolean): string {
  const pairs: Array<[string, string]> = []
  for (const [k, v] of new URLSearchParams(query)) {
    if (presigned && k === 'X-Amz-Signature') continue
    pairs.push([uriEncode(k), uriEncode(v)])
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
  return pairs.map(([k, v]) => `${k}=${v}`).join('&')
}

export function canonicalRequest(req: WireRequest, claim: SigV4Claim): string {
  const headers = headerValues(req.rawHeaders)
  const canonicalHeaders = claim.signedHeaders
    .map((name) => `${name}:${(headers.get(name) ?? []).map((v) => v.trim().replace(/\s+/g, ' ')).join(',')}\n`)
    .join('')
  // The hash of the body as received, never the client's x-amz-content-sha256 claim (the JS SDK
  // sends one): trusting the claim would let a body changed in transit pass.
  const declared = headers.get('x-amz-content-sha256')?.[0]
  const payloadHash = declared === 'UNSIGNED-PAYLOAD' ? declared : sha256Hex(req.body)
  return [
    req.method.toUpperCase(),
    canonicalPath(req.path),
    canonicalQuery(req.query, claim.presigned),
    canonicalHeaders,
    claim.signedHeaders.join(';'),
    payloadHash,
  ].join('\n')
}

export function signatureFor(req: WireRequest, claim: SigV4Claim, secretAccessKey: string): string {
  const scope = `${claim.scopeDate}/${claim.region}/${claim.service}/aws4_request`
  const stringToSign = [ALGORITHM, claim.amzDate, scope, sha256Hex(canonicalRequest(req, claim))].join('\n')
  let key = hmac(`AWS4${secretAccessKey}`, claim.scopeDate)
  key = hmac(key, claim.region)
  key = hmac(key, claim.service)
  key = hmac(key, 'aws4_request')
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex')
}

/** Throws SignatureDoesNotMatch unless the claim's signature is the one this secret produces. */
export function verifySignature(req: WireRequest, claim: SigV4Claim, secretAccessKey: string): void {
  const expected = Buffer.from(signatureFor(req, claim, secretAccessKey), 'utf8')
  const given = Buffer.from(claim.signature.toLowerCase(), 'utf8')
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new StsError(403, 'SignatureDoesNotMatch', MSG.badSignature)
  }
}
