/**
 * Opt-in sharing for env, use and exec: while an agent listens, ask it for the profile's
 * session first (a hit asks no code, calls no STS and loads no SDK); on a miss run the normal
 * flow and hand the new session over. No agent directory: exactly the old flow, one lstat later.
 */
import type { Deps } from '../deps.js'
import { AwsmfaError, formatError } from '../errors.js'
import { configPaths } from '../config-paths.js'
import type { SessionOptions } from '../assume.js'
import type { Session } from '../session.js'
import { printable } from '../text.js'
import { AgentBrokeOff, askAgent, locateAgent, type AgentDeps } from './client.js'
import { fromWire, parseWireSession, toWire, type SessionKey } from './protocol.js'
import type { AgentAddress } from './socket.js'

export interface ShareOptions {
  /** --no-agent: neither ask the agent nor hand it anything. */
  readonly noAgent?: boolean | undefined
  /** Seconds the agent's session must still have (--min-remaining). */
  readonly minRemaining: number
}

export type Obtain = (options: SessionOptions, deps: Deps) => Promise<Session>

/** The normal flow, imported only on a miss: a hit never loads the profile parser or STS. */
const obtainNormally: Obtain = async (options, deps) => (await import('../assume.js')).obtainSession(options, deps)

export function sessionKey(profile: string, deps: Pick<Deps, 'env' | 'homedir'>): SessionKey {
  return { profile, config: configPaths(deps).configPath }
}

export async function sharedSession(options: SessionOptions, share: ShareOptions, deps: Deps, obtain: Obtain = obtainNormally): Promise<Session> {
  const { agent } = deps
  if (share.noAgent || agent === undefined) return obtain(options, deps)
  const agentDeps: AgentDeps = { env: deps.env, username: deps.username, agent }
  const verbose = (line: string): void => {
    if (options.verbose) deps.stderr.write(`awsmfa: ${line}\n`)
  }
  let address: AgentAddress | undefined
  try {
    address = await locateAgent(agentDeps)
  } catch (error) {
    // An unsafe place is never used, but it does not stop the user's own work: say so once.
    if (!(error instanceof AwsmfaError)) throw error
    deps.stderr.write(formatError(new AwsmfaError(`not using the agent: ${error.message}`, { fix: error.fix })))
    return obtain(options, deps)
  }
  if (address === undefined) return obtain(options, deps)
  const key = sessionKey(options.profile, deps)
  // A session of another shape was asked for: make it, and still offer it to the agent.
  const shaped = options.duration !== undefined || options.sessionName !== undefined
  if (!shaped) {
    try {
      const answer = await askAgent(address, { op: 'get', key, minRemaining: share.minRemaining }, agentDeps)
      if (answer === undefined) return obtain(options, deps)
      const wire = answer.session == null ? undefined : parseWireSession(answer.session, deps.now())
      if (wire !== undefined && typeof wire !== 'string' && wire.profile === options.profile) {
        verbose(`the agent at ${printable(address.path)} holds a session for ${printable(options.profile)}; no MFA needed`)
        const session = fromWire(wire)
        return options.region ? { ...session, region: options.region } : session
      }
      verbose(`the agent holds no session for ${printable(options.profile)} with enough time left`)
    } catch (error) {
      if (error instanceof AgentBrokeOff) {
        deps.stderr.write(`awsmfa: ${error.message}; going on without it\n`)
        return obtain(options, deps)
      }
      throw error
    }
  }
  const session = await obtain(options, deps)
  try {
    if ((await askAgent(address, { op: 'put', key, session: toWire(session) }, agentDeps)) !== undefined) {
      verbose(`handed the session for ${printable(options.profile)} to the agent`)
    }
  } catch (error) {
    // The session is good; only sharing it failed.
    const reason = error instanceof Error ? error.message : String(error)
    deps.stderr.write(`awsmfa: could not hand the session to the agent: ${printable(reason)}\n`)
  }
  return session
}
