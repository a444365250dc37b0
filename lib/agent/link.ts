/**
 * The real AgentLink: one connection per request over a Unix socket (or named pipe), and the
 * detached start of `awsmfa agent serve`. node:net and node:child_process are loaded here only,
 * on first use, so a run that never finds an agent directory never loads them.
 */
import type { AgentHost, AgentLink, AgentLinkError, Env } from '../deps.js'

function linkError(code: string, connected: boolean, message: string): AgentLinkError {
  return Object.assign(new Error(message), { code, connected })
}

async function request(path: string, line: string, timeoutMs: number): Promise<string> {
  const { createConnection } = await import('node:net')
  return new Promise<string>((resolve, reject) => {
    let connected = false
    let answer = ''
    let settled = false
    const socket = createConnection(path)
    const settle = (error: AgentLinkError | undefined, value?: string): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      if (error === undefined) resolve(value ?? '')
      else reject(error)
    }
    const timer = setTimeout(() => settle(linkError('ETIMEDOUT', connected, `no answer within ${timeoutMs} ms`)), timeoutMs)
    socket.setEncoding('utf8')
    socket.on('connect', () => {
      connected = true
      socket.write(line)
    })
    socket.on('data', (chunk: string) => {
      answer += chunk
      const newline = answer.indexOf('\n')
      if (newline !== -1) settle(undefined, answer.slice(0, newline))
    })
    socket.on('error', (error: NodeJS.ErrnoException) => settle(linkError(error.code ?? 'EIO', connected, error.message)))
    socket.on('close', () => settle(linkError('ECLOSED', connected, 'the connection closed before an answer')))
  })
}

/**
 * The agent runs as this same program with `agent serve`, in its own session (setsid), so a
 * closing terminal does not take it down. It prints one line, `ready <pid>`, once it listens.
 */
async function spawnServer(env: Env): Promise<number> {
  const { spawn } = await import('node:child_process')
  // A single executable is its own script; the npm bundle runs as node + dist/awsmfa.mjs.
  const script = process.argv[1]
  const args = script !== undefined && script !== process.execPath ? [...process.execArgv, script, 'agent', 'serve'] : ['agent', 'serve']
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...env }, cwd: '/', windowsHide: true })
  return new Promise<number>((resolve, reject) => {
    let out = ''
    let err = ''
    const finish = (): void => {
      child.stdout.destroy()
      child.stderr.destroy()
      child.unref()
    }
    child.stdout.setEncoding('utf8')
    child.stderr.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      out += chunk
      const match = /^ready (\d+)\n/.exec(out)
      if (match !== null) {
        finish()
        resolve(Number(match[1]))
      }
    })
    child.stderr.on('data', (chunk: string) => {
      err += chunk
    })
    child.on('error', (error) => reject(error))
    child.on('exit', (code) => {
      finish()
      reject(Object.assign(new Error(err.trim() || `the agent exited with status ${code ?? 'unknown'} before it listened`), { agentStderr: err }))
    })
  })
}

const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const

const host: AgentHost = {
  pid: process.pid,
  privateUmask: () => void process.umask(0o077),
  onStop(listener) {
    for (const signal of STOP_SIGNALS) process.on(signal, listener)
    return () => {
      for (const signal of STOP_SIGNALS) process.off(signal, listener)
    }
  },
}

export function realAgentLink(): AgentLink {
  return { platform: process.platform, uid: process.getuid?.(), request, spawnServer, host }
}
