/**
 * `awsmfa agent start|stop|status|forget [P]|add P…|serve`: the user's agent, which holds
 * sessions in memory so one MFA code serves every terminal (SPEC §9).
 */
import type { Deps } from '../deps.js'
import { formatRemaining } from '../duration.js'
import { AwsmfaError, EXIT } from '../errors.js'
import { agentIdleMs } from '../limits.js'
import { describeRole, type Session } from '../session.js'
import { printable } from '../text.js'
import { askAgent, locateAgent, type AgentDeps } from '../agent/client.js'
import { toWire, type SessionSummary } from '../agent/protocol.js'
import { agentAddress, checkSocketDir, checkSocketFile, removeStaleSocket, type AgentAddress } from '../agent/socket.js'
import { sessionKey } from '../agent/share.js'
import { localTimestamp } from '../format/duration.js'

export type AgentAction = 'start' | 'stop' | 'status' | 'forget' | 'add' | 'serve'

export interface AgentOptions {
  readonly action: AgentAction
  readonly profiles: readonly string[]
  readonly verbose?: boolean | undefined
}

function linkOf(deps: Deps): AgentDeps {
  if (deps.agent === undefined) throw new AwsmfaError('the agent cannot be reached from here', { fix: 'run the awsmfa program itself' })
  return { env: deps.env, username: deps.username, agent: deps.agent }
}

function addressOf(link: AgentDeps): AgentAddress {
  return agentAddress(link.env, { platform: link.agent.platform, uid: link.agent.uid, username: link.username() })
}

function notRunning(address: AgentAddress): AwsmfaError {
  return new AwsmfaError(`no agent is running at ${printable(address.path)}`, { fix: 'awsmfa agent start (it holds sessions in memory until they expire)', exitCode: EXIT.failed })
}

export async function agentCommand(options: AgentOptions, deps: Deps): Promise<number> {
  switch (options.action) {
    case 'start':
      return start(deps)
    case 'serve':
      return serve(deps)
    case 'stop':
      return stop(deps)
    case 'status':
      return status(deps)
    case 'forget':
      return forget(options.profiles[0], deps)
    case 'add':
      return add(options, deps)
  }
}

/** The pid of the agent answering at `address`, or undefined when nothing listens there. */
async function ping(address: AgentAddress, link: AgentDeps): Promise<number | undefined> {
  const answer = await askAgent(address, { op: 'ping' }, link)
  return answer === undefined ? undefined : answer.pid ?? -1
}

async function start(deps: Deps): Promise<number> {
  const link = linkOf(deps)
  const address = addressOf(link)
  if (address.kind === 'unix') {
    await checkSocketDir(address, link.agent.uid, { create: true })
    await checkSocketFile(address)
  }
  const running = await ping(address, link)
  if (running !== undefined) {
    deps.stderr.write(`awsmfa: the agent is already running (pid ${running}) at ${printable(address.path)}\n`)
    return EXIT.ok
  }
  let pid: number
  try {
    pid = await link.agent.spawnServer(agentEnvironment(deps.env))
  } catch (error) {
    // Two starts at once: the other one's agent won the socket, which is what was asked for.
    const other = await ping(address, link).catch(() => undefined)
    if (other !== undefined) {
      deps.stderr.write(`awsmfa: the agent is already running (pid ${other}) at ${printable(address.path)}\n`)
      return EXIT.ok
    }
    const said = error instanceof Error ? error.message : String(error)
    // The agent prints an awsmfa error already shaped ("awsmfa: …\n  fix: …"): pass it on whole.
    if (said.startsWith('awsmfa: ')) {
      deps.stderr.write(`${said}\n`)
      return EXIT.failed
    }
    throw new AwsmfaError(`the agent did not start: ${printable(said.split('\n')[0] ?? '')}`, { fix: 'run awsmfa agent serve to see it fail in the foreground' })
  }
  deps.stderr.write(`awsmfa: agent started (pid ${pid}), listening at ${printable(address.path)}; it holds sessions in memory only\n`)
  return EXIT.ok
}

/**
 * What the agent inherits: the caller's environment without any AWS_* variable (long-term or
 * session keys of the shell that started it) and without awsmfa's per-terminal AWSMFA_* state.
 * It keeps what it needs: where to listen (AWSMFA_AGENT_SOCK, XDG_RUNTIME_DIR, TMPDIR), its idle
 * time, PATH, HOME, the user's name and the locale.
 */
export function agentEnvironment(env: Deps['env']): Record<string, string> {
  const kept: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || name.startsWith('AWS_')) continue
    if (name.startsWith('AWSMFA_') && !name.startsWith('AWSMFA_AGENT_') && name !== 'AWSMFA_DEBUG') continue
    kept[name] = value
  }
  return kept
}

/**
 * The agent in the foreground (what `start` runs detached; also for a systemd user unit).
 * Prints `ready <pid>` on stdout once it listens, then nothing more.
 */
async function serve(deps: Deps): Promise<number> {
  const link = linkOf(deps)
  const address = addressOf(link)
  if (address.kind === 'unix') {
    await checkSocketDir(address, link.agent.uid, { create: true })
    if ((await ping(address, link)) !== undefined) {
      throw new AwsmfaError(`an agent is already listening at ${printable(address.path)}`, { fix: 'awsmfa agent stop first, or set AWSMFA_AGENT_SOCK to another path', exitCode: EXIT.failed })
    }
    // Nothing answers: a socket left by a crashed agent.
    await removeStaleSocket(address)
    // The socket file is made with the umask: keep it the user's alone, whatever the shell's umask.
    link.agent.host.privateUmask()
  }
  const { startAgentServer } = await import('../agent/server.js')
  const server = await startAgentServer({ path: address.path, idleMs: agentIdleMs(deps.env), now: deps.now, pid: link.agent.host.pid })
  const undo = link.agent.host.onStop(() => server.close())
  deps.stdout.write(`ready ${link.agent.host.pid}\n`)
  await server.stopped
  undo()
  return EXIT.ok
}

async function stop(deps: Deps): Promise<number> {
  const link = linkOf(deps)
  const address = await locateAgent(link)
  const answer = address === undefined ? undefined : await askAgent(address, { op: 'stop' }, link)
  if (answer === undefined) {
    deps.stderr.write(`awsmfa: no agent was running at ${printable(addressOf(link).path)}\n`)
    return EXIT.ok
  }
  const held = answer.forgotten ?? 0
  deps.stderr.write(`awsmfa: agent stopped; the ${held} session${held === 1 ? '' : 's'} it held ${held === 1 ? 'is' : 'are'} gone from memory\n`)
  return EXIT.ok
}

/** Sessions the agent holds, without secrets; undefined when no agent runs. */
export async function agentSessions(deps: Deps): Promise<{ address: AgentAddress; sessions: SessionSummary[] } | undefined> {
  const link = linkOf(deps)
  const address = await locateAgent(link)
  const answer = address === undefined ? undefined : await askAgent(address, { op: 'list' }, link)
  return answer === undefined || address === undefined ? undefined : { address, sessions: answer.sessions ?? [] }
}

/** What `awsmfa status` adds: the agent's sessions when one runs; undefined otherwise, or when it cannot be asked. */
export async function heldByAgent(deps: Deps): Promise<{ address: AgentAddress; sessions: SessionSummary[] } | undefined> {
  if (deps.agent === undefined) return undefined
  try {
    return await agentSessions(deps)
  } catch {
    return undefined
  }
}

/** One table row per session: profile, role, account, time left, expiry (what `agent status` and `status` print). */
export function sessionRows(sessions: readonly SessionSummary[], nowMs: number): string[] {
  return sessions.map((s) => {
    const { account, roleName } = describeRole(s.roleArn)
    const expiration = new Date(s.expiration)
    const left = formatRemaining(Math.floor((expiration.getTime() - nowMs) / 1000))
    return `${printable(s.profile).padEnd(16)}  ${printable(roleName || '-').padEnd(24)}  ${printable(account || '-').padEnd(12)}  ${left.padStart(6)}  until ${localTimestamp(expiration)}`
  })
}

async function status(deps: Deps): Promise<number> {
  const held = await agentSessions(deps)
  if (held === undefined) throw notRunning(addressOf(linkOf(deps)))
  const { address, sessions } = held
  deps.stderr.write(`awsmfa: the agent at ${printable(address.path)} holds ${sessions.length} session${sessions.length === 1 ? '' : 's'}\n`)
  if (sessions.length > 0) deps.stdout.write(sessionRows(sessions, deps.now()).join('\n') + '\n')
  return EXIT.ok
}

async function forget(profile: string | undefined, deps: Deps): Promise<number> {
  const link = linkOf(deps)
  const address = await locateAgent(link)
  const answer = address === undefined ? undefined : await askAgent(address, { op: 'forget', profile: profile ?? null }, link)
  if (answer === undefined) throw notRunning(addressOf(link))
  const n = answer.forgotten ?? 0
  deps.stderr.write(`awsmfa: the agent forgot ${n} session${n === 1 ? '' : 's'}${profile === undefined ? '' : ` for ${printable(profile)}`}\n`)
  return EXIT.ok
}

/** AWS refuses a second use of a code within its 30-s step, so a second role waits for the next step. */
const TOTP_STEP_MS = 30_000

async function add(options: AgentOptions, deps: Deps): Promise<number> {
  const link = linkOf(deps)
  if (options.profiles.length === 0) throw new AwsmfaError('name the profiles to add', { fix: 'awsmfa agent add prod [staging …]', exitCode: EXIT.usage })
  const address = await locateAgent(link)
  if (address === undefined || (await ping(address, link)) === undefined) throw notRunning(addressOf(link))
  const { obtainSession } = await import('../assume.js')
  const { loadSharedConfig, resolveTarget } = await import('../profiles.js')
  const config = await loadSharedConfig(deps)
  // Checked before the first code is spent: a typo in the third name must not cost two codes.
  const targets = options.profiles.map((name) => resolveTarget(config, name))
  let lastCodeStep: number | undefined
  for (const target of targets) {
    const fromProcess = target.mfaSerial !== undefined && target.mfaProcess !== undefined
    if (fromProcess && lastCodeStep !== undefined) await waitForFreshStep(lastCodeStep, target.name, deps)
    const session: Session = await obtainSession({ profile: target.name, verbose: options.verbose }, deps)
    // The step now, not before: the code was made at or before this moment (mfa_process may cross a step boundary).
    if (fromProcess) lastCodeStep = Math.floor(deps.now() / TOTP_STEP_MS)
    const answer = await askAgent(address, { op: 'put', key: sessionKey(target.name, deps), session: toWire(session) }, link)
    if (answer === undefined) throw notRunning(address)
    deps.stderr.write(`awsmfa: added ${printable(target.name)} to the agent (${formatRemaining(Math.floor((session.expiration.getTime() - deps.now()) / 1000))})\n`)
  }
  return EXIT.ok
}

/** Counts down on stderr until the clock reaches the TOTP step after `usedStep`. */
async function waitForFreshStep(usedStep: number, next: string, deps: Deps): Promise<void> {
  const target = (usedStep + 1) * TOTP_STEP_MS
  for (;;) {
    const left = target - deps.now()
    if (left <= 0) break
    const line = `awsmfa: waiting ${Math.ceil(left / 1000)} s for a fresh MFA code for ${printable(next)}`
    deps.stderr.write(deps.stderr.isTTY ? `\r${line} ` : `${line}\n`)
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, deps.stderr.isTTY ? 1000 : 10_000)))
  }
  if (deps.stderr.isTTY) deps.stderr.write('\n')
}
