/**
 * The agent itself: a socket server holding sessions in memory. It never reads a config file,
 * never sees long-term keys, never calls STS and never writes a file but its socket. Each
 * session is dropped at its expiry; with nothing held for `idleMs` the agent ends.
 */
import { createServer, type Server, type Socket } from 'node:net'
import {
  MAX_REQUEST_BYTES,
  encode,
  parseRequest,
  type Request,
  type SessionKey,
  type SessionSummary,
  type WireSession,
} from './protocol.js'
import { VERSION } from '../version.js'

export interface AgentServerOptions {
  /** Socket path or named pipe; the caller has checked its directory and removed a stale socket. */
  readonly path: string
  /** End after holding nothing for this long (default one hour; AWSMFA_AGENT_IDLE in tests). */
  readonly idleMs: number
  readonly now: () => number
  /** This process's id, which `ping` answers with (`agent stop` signals it). */
  readonly pid: number
}

export interface AgentServer {
  /** Resolves when the agent has stopped (stop request, idle, or close()). */
  readonly stopped: Promise<void>
  close(): void
}

/** A client that sends nothing for this long is cut off, so idle connections cannot pile up. */
const CLIENT_TIMEOUT_MS = 30_000
/** setTimeout's limit; a 36 h expiry is re-armed in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1

interface Held {
  readonly session: WireSession
  readonly expiresAt: number
  readonly timer: NodeJS.Timeout
}

export function startAgentServer(options: AgentServerOptions): Promise<AgentServer> {
  const held = new Map<string, Held>()
  const keyText = (key: SessionKey): string => `${key.config}\u0000${key.profile}`
  let idleTimer: NodeJS.Timeout | undefined
  let resolveStopped: () => void = () => {}
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve
  })

  const armIdle = (): void => {
    if (idleTimer !== undefined || held.size > 0) return
    idleTimer = setTimeout(() => close(), options.idleMs)
  }
  const disarmIdle = (): void => {
    if (idleTimer !== undefined) clearTimeout(idleTimer)
    idleTimer = undefined
  }
  const drop = (id: string): void => {
    const entry = held.get(id)
    if (entry === undefined) return
    clearTimeout(entry.timer)
    held.delete(id)
    armIdle()
  }
  const expireAt = (id: string, expiresAt: number): NodeJS.Timeout => {
    const wait = Math.min(Math.max(0, expiresAt - options.now()), MAX_TIMER_MS)
    return setTimeout(() => {
      const entry = held.get(id)
      if (entry === undefined) return
      if (options.now() >= entry.expiresAt) drop(id)
      else held.set(id, { ...entry, timer: expireAt(id, entry.expiresAt) })
    }, wait)
  }

  const answer = (request: Request): { reply: object; thenStop?: boolean } => {
    const now = options.now()
    switch (request.op) {
      case 'ping':
        return { reply: { ok: true, pid: options.pid, version: VERSION } }
      case 'get': {
        const entry = held.get(keyText(request.key))
        if (entry !== undefined && entry.expiresAt <= now) drop(keyText(request.key))
        const fresh = entry !== undefined && entry.expiresAt - now >= request.minRemaining * 1000
        return { reply: { ok: true, session: fresh ? entry.session : null } }
      }
      case 'put': {
        const id = keyText(request.key)
        const expiresAt = Date.parse(request.session.expiration)
        const existing = held.get(id)
        // The session with more time left wins: two terminals may hand over at once.
        if (existing === undefined || existing.expiresAt < expiresAt) {
          if (existing !== undefined) clearTimeout(existing.timer)
          held.set(id, { session: request.session, expiresAt, timer: expireAt(id, expiresAt) })
          disarmIdle()
        }
        return { reply: { ok: true } }
      }
      case 'list': {
        const sessions: SessionSummary[] = []
        for (const [id, entry] of held) {
          if (entry.expiresAt <= now) {
            drop(id)
            continue
          }
          const config = id.slice(0, id.indexOf('\u0000'))
          const { profile, roleArn, expiration, region } = entry.session
          sessions.push({ profile, config, roleArn, expiration, region })
        }
        sessions.sort((a, b) => a.profile.localeCompare(b.profile) || a.config.localeCompare(b.config))
        return { reply: { ok: true, sessions } }
      }
      case 'forget': {
        let forgotten = 0
        for (const [id, entry] of [...held]) {
          if (request.profile === null || entry.session.profile === request.profile) {
            drop(id)
            forgotten += 1
          }
        }
        return { reply: { ok: true, forgotten } }
      }
      case 'stop':
        return { reply: { ok: true, forgotten: held.size }, thenStop: true }
    }
  }

  const serve = (socket: Socket): void => {
    let buffered = Buffer.alloc(0)
    socket.setTimeout(CLIENT_TIMEOUT_MS, () => socket.destroy())
    socket.on('error', () => socket.destroy())
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk])
      for (;;) {
        const newline = buffered.indexOf(0x0a)
        if (newline === -1) {
          if (buffered.length > MAX_REQUEST_BYTES) {
            // No way to find where the next request starts: answer and hang up.
            socket.end(encode({ ok: false, error: `request larger than ${MAX_REQUEST_BYTES} bytes` }))
            buffered = Buffer.alloc(0)
            socket.pause()
          }
          return
        }
        const line = buffered.subarray(0, newline)
        buffered = buffered.subarray(newline + 1)
        if (line.length > MAX_REQUEST_BYTES) {
          socket.write(encode({ ok: false, error: `request larger than ${MAX_REQUEST_BYTES} bytes` }))
          continue
        }
        const parsed = parseRequest(line.toString('utf8'), options.now())
        if ('error' in parsed) {
          socket.write(encode({ ok: false, error: parsed.error }))
          continue
        }
        const { reply, thenStop } = answer(parsed.request)
        if (thenStop) {
          socket.end(encode(reply), () => close())
          return
        }
        socket.write(encode(reply))
      }
    })
  }

  const server: Server = createServer(serve)
  server.maxConnections = 256
  let closing = false
  const close = (): void => {
    if (closing) return
    closing = true
    disarmIdle()
    for (const id of [...held.keys()]) {
      const entry = held.get(id)
      if (entry !== undefined) clearTimeout(entry.timer)
      held.delete(id)
    }
    // close() removes the socket file Node created; open connections are cut.
    server.close(() => resolveStopped())
    for (const socket of connections) socket.destroy()
  }
  const connections = new Set<Socket>()
  server.on('connection', (socket) => {
    connections.add(socket)
    socket.on('close', () => connections.delete(socket))
  })

  return new Promise<AgentServer>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.path, () => {
      server.off('error', reject)
      armIdle()
      resolve({ stopped, close })
    })
  })
}
