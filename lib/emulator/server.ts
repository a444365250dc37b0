import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { randomUUID } from 'node:crypto'
import { StsError, MSG } from './errors.js'
import { readClaim, checkScope, checkClockSkew, verifySignature, type WireRequest, type SigV4Claim } from './sigv4.js'
import { StsState, type Caller } from './sts.js'
import { Federation } from './federation.js'
import { errorBody, successBody, STS_XMLNS, type XmlValue } from './xml.js'
import type { Emulator, EmulatorOptions, Fault, RequestLogEntry } from './types.js'
import { hostileAnswer } from './hostile.js'

const VERSION = '2011-06-15'
const MAX_BODY = 1024 * 1024

type Handler = (state: StsState, caller: Caller, params: Record<string, string>) => XmlValue

const ACTIONS: Record<string, Handler> = {
  AssumeRole: (s, c, p) => s.assumeRole(c, p),
  GetSessionToken: (s, c, p) => s.getSessionToken(c, p),
  GetCallerIdentity: (s, c) => s.getCallerIdentity(c),
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) {
        reject(new StsError(413, 'RequestEntityTooLarge', 'Request body too large'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** Query-protocol parameters: query string first, then the form body (AWS accepts either). */
function readParams(wire: WireRequest): Record<string, string> {
  // No prototype: a parameter named __proto__ or toString is just a parameter.
  const params = Object.create(null) as Record<string, string>
  const sources = [new URLSearchParams(wire.query)]
  if (wire.method === 'POST') sources.push(new URLSearchParams(wire.body.toString('utf8')))
  for (const source of sources) {
    for (const [k, v] of source) {
      // Presigned-URL signing fields are transport, not parameters (and one of them is the token).
      if (!k.startsWith('X-Amz-')) params[k] = v
    }
  }
  return params
}

export async function startServer(options: EmulatorOptions): Promise<Emulator> {
  const now = options.now ?? Date.now
  const state = new StsState(options, now)
  const federation = new Federation(state, now)
  const requests: RequestLogEntry[] = []
  const faults: Fault[] = []
  const sockets = new Set<Socket>()

  /** Answers once; the body is built around the request id that also goes into x-amzn-RequestId. */
  function send(res: ServerResponse, entry: RequestLogEntry, status: number, body: (requestId: string) => string, errorCode?: string, headers: Readonly<Record<string, string>> = {}): void {
    const requestId = randomUUID()
    entry.status = status
    entry.requestId = requestId
    if (errorCode !== undefined) entry.errorCode = errorCode
    const text = body(requestId)
    res.writeHead(status, {
      'x-amzn-RequestId': requestId,
      'Content-Type': 'text/xml',
      'Content-Length': Buffer.byteLength(text),
      // The SDKs correct their clock from this header after a skew error, so it follows our clock.
      Date: new Date(now()).toUTCString(),
      ...headers,
    })
    res.end(text)
  }

  function sendError(res: ServerResponse, entry: RequestLogEntry, err: StsError): void {
    send(res, entry, err.status, (id) => errorBody(err.status, err.code, err.message, id), err.code)
  }

  /** A fault short-circuits before authentication: nothing is checked, consumed or issued. */
  function applyFault(fault: Fault, res: ServerResponse, entry: RequestLogEntry, wire: WireRequest): void {
    switch (fault) {
      case 'throttle': return sendError(res, entry, new StsError(400, 'Throttling', MSG.throttled))
      case 'http500': return sendError(res, entry, new StsError(500, 'InternalFailure', MSG.internal))
      case 'expired-session': return sendError(res, entry, new StsError(403, 'ExpiredToken', MSG.expiredToken))
      case 'malformed': {
        // Only a known action names the element: the raw parameter must not become markup.
        const action = Object.hasOwn(ACTIONS, entry.action) ? entry.action : 'AssumeRole'
        // Cut mid-element, the way a dropped proxy connection leaves a body.
        return send(res, entry, 200,
          () => `<${action}Response xmlns="${STS_XMLNS}">\n  <${action}Result>\n    <Credentials>\n      <AccessKeyId>ASIA`)
      }
      case 'hang':
        // Headers never sent; close() destroys the socket.
        return
      default: {
        const authorization = wire.rawHeaders.find((_, i, all) => i % 2 === 1 && /^authorization$/i.test(all[i - 1] ?? '')) ?? ''
        const answer = hostileAnswer(fault, entry.params, `${wire.body.toString('utf8')} Authorization: ${authorization}`, now())
        const { body } = answer
        // The envelope names the action asked (AssumeRole, GetSessionToken): the SDK reads <ActionResult>.
        const action = entry.action === 'GetSessionToken' ? 'GetSessionToken' : 'AssumeRole'
        if ('result' in body) return send(res, entry, answer.status, (id) => successBody(action, body.result, id), undefined, answer.headers)
        if ('error' in body) return send(res, entry, answer.status, (id) => errorBody(answer.status, body.error.code, body.error.message, id), body.error.code, answer.headers)
        return send(res, entry, answer.status, () => body.raw, undefined, answer.headers)
      }
    }
  }

  function handle(wire: WireRequest, res: ServerResponse, entry: RequestLogEntry, claim: SigV4Claim | undefined): void {
    if (!claim) throw new StsError(403, 'MissingAuthenticationToken', MSG.missingAuth)
    const { caller, secret } = state.identify(claim.accessKeyId, claim.sessionToken)
    checkScope(claim)
    checkClockSkew(claim, now())
    verifySignature(wire, claim, secret)
    const action = entry.params.Action
    if (action === undefined) throw new StsError(400, 'MissingAction', 'Missing Action')
    const version = entry.params.Version
    const handler = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined
    if (!handler || version !== VERSION) {
      throw new StsError(400, 'InvalidAction', `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`)
    }
    const result = handler(state, caller, entry.params)
    send(res, entry, 200, (id) => successBody(action, result, id))
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The console federation endpoint: no SigV4, GET with a query (lib/emulator/federation.ts).
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    if (path === '/federation') {
      const answer = federation.answer(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams)
      res.writeHead(answer.status, { 'Content-Type': answer.contentType, 'Content-Length': Buffer.byteLength(answer.body), 'Cache-Control': 'no-store' })
      res.end(answer.body)
      return
    }
    const entry: RequestLogEntry = { action: '', params: {}, status: 0, at: now() }
    requests.push(entry)
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const rawQuery = url.search.startsWith('?') ? url.search.slice(1) : url.search
      const wire: WireRequest = { method: req.method ?? 'GET', path: url.pathname, query: rawQuery, rawHeaders: req.rawHeaders, body: await readBody(req) }
      entry.params = readParams(wire)
      entry.action = entry.params.Action ?? ''
      let claim: SigV4Claim | undefined
      let claimError: StsError | undefined
      try {
        claim = readClaim(wire)
      } catch (err) {
        if (!(err instanceof StsError)) throw err
        claimError = err
      }
      if (claim) {
        entry.accessKeyId = claim.accessKeyId
        entry.sessionToken = claim.sessionToken !== undefined
      }
      const fault = faults.shift()
      if (fault) return applyFault(fault, res, entry, wire)
      if (claimError) throw claimError
      handle(wire, res, entry, claim)
    } catch (err) {
      if (res.headersSent) return
      sendError(res, entry, err instanceof StsError ? err : new StsError(500, 'InternalFailure', MSG.internal))
    }
  }

  const server = createServer((req, res) => { void onRequest(req, res) })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    issued: state.issued,
    federation: federation.log,
    totp: (serialOrSecret, atMs) => state.totp(serialOrSecret, atMs ?? now()),
    inject(fault, count = 1) {
      for (let i = 0; i < count; i++) faults.push(fault)
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve())
        // Keep-alive and hung connections would hold close() open forever.
        for (const socket of sockets) socket.destroy()
      })
    },
  }
}
