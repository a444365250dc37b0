/**
 * A real agent for a test: `awsmfa agent start` of the built CLI at the world's own socket path,
 * stopped (and killed, if it still runs) at teardown. Raw socket access for protocol tests.
 */
import { createConnection } from 'node:net'
import { dirname } from 'node:path'
import type { World } from './world.js'

interface Teardown {
  teardown(fn: () => unknown): void
}

export interface RunningAgent {
  readonly pid: number
  readonly sock: string
  readonly dir: string
  /** Whether the process is still alive. */
  alive(): boolean
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Starts the agent for `world` (env overrides allowed); throws with its stderr when it fails. */
export async function startAgent(t: Teardown, world: World, env: Record<string, string> = {}): Promise<RunningAgent> {
  const sock = env.AWSMFA_AGENT_SOCK ?? world.env().AWSMFA_AGENT_SOCK ?? ''
  const result = await world.run(['agent', 'start'], { env })
  const match = /agent started \(pid (\d+)\)/.exec(result.stderr)
  if (result.exitCode !== 0 || match === null) throw new Error(`agent start failed (${result.exitCode}): ${result.stderr}`)
  const pid = Number(match[1])
  t.teardown(async () => {
    if (isAlive(pid)) await world.run(['agent', 'stop'], { env })
    if (isAlive(pid)) process.kill(pid, 'SIGKILL')
  })
  return { pid, sock, dir: dirname(sock), alive: () => isAlive(pid) }
}

/** Sends `data` on one connection and collects every answer line until the agent ends it or `lines` answers came. */
export function rawExchange(sock: string, data: string | Buffer, lines: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(sock)
    let text = ''
    const done = (): void => {
      socket.destroy()
      resolve(text.split('\n').filter((line) => line !== ''))
    }
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no ${lines} answers within 20 s; got: ${text}`))
    }, 20_000)
    socket.setEncoding('utf8')
    socket.on('connect', () => socket.write(data))
    socket.on('data', (chunk: string) => {
      text += chunk
      if (text.split('\n').length - 1 >= lines) {
        clearTimeout(timer)
        done()
      }
    })
    socket.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    socket.on('close', () => {
      clearTimeout(timer)
      done()
    })
  })
}

/** Polls `check` every 50 ms until it holds; throws after 20 s (a bound, never a timing assertion). */
export async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
