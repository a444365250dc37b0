/**
 * The client side of the agent: find it, ask it, and tell "no agent" (quietly the old
 * behaviour) from "an agent that broke off" (one line, then the normal flow). Everything here
 * is cheap when no agent runs: one lstat of a directory that does not exist.
 */
import type { AgentLinkError, Deps } from '../deps.js'
import { AwsmfaError } from '../errors.js'
import { agentAddress, checkSocketDir, type AgentAddress } from './socket.js'
import { PROTOCOL_VERSION, encode, type Answer, type OkAnswer, type Request } from './protocol.js'
import { printable } from '../text.js'

/** A local agent answers in microseconds; this bounds a stopped or wedged one. AWSMFA_AGENT_TIMEOUT seconds. */
export function agentTimeoutMs(env: Deps['env']): number {
  const parsed = Number(env.AWSMFA_AGENT_TIMEOUT)
  return env.AWSMFA_AGENT_TIMEOUT && Number.isFinite(parsed) && parsed > 0 ? parsed * 1000 : 2_000
}

export type AgentDeps = Pick<Deps, 'env' | 'username'> & { readonly agent: NonNullable<Deps['agent']> }

/**
 * The agent's address when its directory exists and is safe; undefined when there is no
 * directory (no agent can listen). An unsafe directory throws: the caller decides whether that
 * is fatal (agent commands) or a warning (env, exec).
 */
export async function locateAgent(deps: AgentDeps): Promise<AgentAddress | undefined> {
  const address = agentAddress(deps.env, { platform: deps.agent.platform, uid: deps.agent.uid, username: deps.username() })
  if (address.kind === 'pipe') return address
  return (await checkSocketDir(address, deps.agent.uid)) === 'missing' ? undefined : address
}

/** Nothing listens at the address: a clean "no agent". */
export function nobodyListens(error: unknown): boolean {
  const link = error as Partial<AgentLinkError>
  return !link.connected && (link.code === 'ENOENT' || link.code === 'ECONNREFUSED' || link.code === 'ENOTSOCK')
}

export class AgentBrokeOff extends Error {
  constructor(readonly address: AgentAddress, readonly reason: string) {
    super(`the agent at ${printable(address.path)} did not answer (${reason})`)
  }
}

/**
 * One request. Resolves with the answer, undefined when nothing listens; rejects with
 * AgentBrokeOff when the agent was reached but gave no usable answer, and with the agent's own
 * refusal as an AwsmfaError.
 */
export async function askAgent(address: AgentAddress, request: Request, deps: AgentDeps): Promise<OkAnswer | undefined> {
  let line: string
  try {
    line = await deps.agent.request(address.path, encode(request), agentTimeoutMs(deps.env))
  } catch (error) {
    if (nobodyListens(error)) return undefined
    const link = error as Partial<AgentLinkError>
    if (!link.connected && link.code === 'EACCES') {
      throw new AwsmfaError(`cannot connect to the agent's socket ${printable(address.path)} (permission denied)`, { fix: 'it belongs to another user; set AWSMFA_AGENT_SOCK to a path of your own' })
    }
    throw new AgentBrokeOff(address, link.code === 'ETIMEDOUT' ? 'no answer in time' : link.connected ? 'it closed the connection' : (link.code ?? 'error'))
  }
  let answer: Answer
  try {
    answer = JSON.parse(line) as Answer
  } catch {
    throw new AgentBrokeOff(address, 'its answer was not JSON')
  }
  if (typeof answer !== 'object' || answer === null || answer.v !== PROTOCOL_VERSION) throw new AgentBrokeOff(address, 'it speaks another protocol version')
  if (!answer.ok) throw new AwsmfaError(`the agent refused the request: ${printable(String(answer.error))}`, { fix: 'awsmfa agent stop; awsmfa agent start (an agent of another awsmfa version may be running)' })
  return answer
}
