/**
 * Where the agent listens, and the rules that make that place the user's own: a directory owned
 * by the user with no group or world access and no symlink where awsmfa chooses the path. On
 * Linux and macOS that directory is the guard: connecting to a Unix socket needs search access to
 * its directory, so with mode 0700 no other user (root aside) can reach the agent at all.
 */
import { lstat, mkdir, unlink } from 'node:fs/promises'
import { dirname, isAbsolute, join } from 'node:path'
import type { Env } from '../deps.js'
import { AwsmfaError, EXIT } from '../errors.js'
import { printable } from '../text.js'

export interface UnixAddress {
  readonly kind: 'unix'
  /** The socket file. */
  readonly path: string
  /** Its directory: created 0700 by `agent start` when missing, checked by everyone before use. */
  readonly dir: string
}

/** A per-user named pipe (\\.\pipe\awsmfa-agent-<user>); Windows has no socket directory to guard. */
export interface PipeAddress {
  readonly kind: 'pipe'
  readonly path: string
}

export type AgentAddress = UnixAddress | PipeAddress

export interface AgentHost {
  readonly platform: NodeJS.Platform
  /** undefined on Windows (no POSIX uid). */
  readonly uid: number | undefined
  readonly username: string
}

/** Linux's sun_path is 108 bytes with the final NUL (macOS: 104); longer paths cannot be bound. */
const MAX_UNIX_PATH_BYTES = 103
const PIPE_PREFIX = /^\\\\[.?]\\pipe\\/i

/** AWSMFA_AGENT_SOCK, else $XDG_RUNTIME_DIR/awsmfa/agent.sock, else ${TMPDIR:-/tmp}/awsmfa-<uid>/agent.sock. */
export function agentAddress(env: Env, host: AgentHost): AgentAddress {
  const given = env.AWSMFA_AGENT_SOCK || undefined
  if (host.platform === 'win32') {
    if (given !== undefined && !PIPE_PREFIX.test(given)) {
      throw new AwsmfaError(`AWSMFA_AGENT_SOCK '${printable(given)}' is not a named pipe`, {
        fix: 'on Windows the agent listens on a named pipe: \\\\.\\pipe\\NAME, or unset AWSMFA_AGENT_SOCK for the per-user default',
        exitCode: EXIT.usage,
      })
    }
    return { kind: 'pipe', path: given ?? `\\\\.\\pipe\\awsmfa-agent-${pipeUserName(host.username)}` }
  }
  let path: string
  if (given !== undefined) {
    if (!isAbsolute(given)) {
      throw new AwsmfaError(`AWSMFA_AGENT_SOCK '${printable(given)}' is not an absolute path`, {
        fix: 'set it to a full path such as $HOME/.awsmfa/agent.sock (a relative one would name another socket in every directory)',
        exitCode: EXIT.usage,
      })
    }
    path = given
  } else if (env.XDG_RUNTIME_DIR && isAbsolute(env.XDG_RUNTIME_DIR)) {
    path = join(env.XDG_RUNTIME_DIR, 'awsmfa', 'agent.sock')
  } else {
    const tmp = env.TMPDIR && isAbsolute(env.TMPDIR) ? env.TMPDIR : '/tmp'
    path = join(tmp, `awsmfa-${host.uid ?? 'user'}`, 'agent.sock')
  }
  if (Buffer.byteLength(path) > MAX_UNIX_PATH_BYTES) {
    throw new AwsmfaError(`the agent's socket path is ${Buffer.byteLength(path)} bytes long; a Unix socket path can hold at most ${MAX_UNIX_PATH_BYTES}`, {
      fix: 'set AWSMFA_AGENT_SOCK to a shorter path in a directory of your own (mode 0700)',
      exitCode: EXIT.usage,
    })
  }
  return { kind: 'unix', path, dir: dirname(path) }
}

/** Pipe names are one path component: keep the user's name readable but free of separators. */
export function pipeUserName(username: string): string {
  const cleaned = username.replace(/[^A-Za-z0-9._-]/g, '_')
  return cleaned === '' ? 'user' : cleaned
}

function unsafe(cause: string, fix: string): AwsmfaError {
  return new AwsmfaError(cause, { fix, exitCode: EXIT.usage })
}

export type DirState = 'ready' | 'missing'

/**
 * Checks the socket's directory: 'missing' when it does not exist or cannot be looked at (so no
 * agent of this user's can be listening there),
 * 'ready' when it is a real directory of this user's with no group or world access; anything
 * else is refused with the reason. With `create`, a missing directory is made with mode 0700.
 */
export async function checkSocketDir(address: UnixAddress, uid: number | undefined, options: { create?: boolean } = {}): Promise<DirState> {
  const shown = printable(address.dir)
  let info
  try {
    info = await lstat(address.dir)
  } catch (error) {
    // A client that cannot even look there (a parent it may not search, a parent that is a file)
    // cannot reach an agent there either: that is no agent, and the old behaviour, silently.
    if (!options.create && (errorCode(error) === 'EACCES' || errorCode(error) === 'ENOTDIR')) return 'missing'
    if (errorCode(error) !== 'ENOENT') throw unsafe(`cannot read the agent's directory ${shown} (${errorCode(error) ?? 'error'})`, 'check its permissions, or set AWSMFA_AGENT_SOCK to a path in a directory of your own')
    if (!options.create) return 'missing'
    try {
      // Not recursive: the parent ($XDG_RUNTIME_DIR, $TMPDIR, the directory AWSMFA_AGENT_SOCK names) is the user's to provide.
      await mkdir(address.dir, { mode: 0o700 })
    } catch (mkdirError) {
      if (errorCode(mkdirError) !== 'EEXIST') {
        throw unsafe(`cannot create the agent's directory ${shown} (${errorCode(mkdirError) ?? 'error'})`, 'create its parent directory, or set AWSMFA_AGENT_SOCK to a path in a directory of your own')
      }
    }
    // Checked again as it is now: another process may have made it first.
    return checkSocketDir(address, uid, { create: false }).then((state) => {
      if (state === 'missing') throw unsafe(`the agent's directory ${shown} vanished while it was being created`, 'run awsmfa agent start again')
      return state
    })
  }
  if (info.isSymbolicLink()) {
    throw unsafe(`the agent's directory ${shown} is a symbolic link; awsmfa uses only a real directory of your own`, `remove the link (rm ${shown}) and run awsmfa agent start again, or set AWSMFA_AGENT_SOCK elsewhere`)
  }
  if (!info.isDirectory()) throw unsafe(`the agent's directory ${shown} is not a directory`, `remove it and run awsmfa agent start again, or set AWSMFA_AGENT_SOCK elsewhere`)
  if (uid !== undefined && info.uid !== uid) {
    throw unsafe(
      `the agent's directory ${shown} belongs to uid ${info.uid}, not to you (uid ${uid}); another user's agent could hand out or collect sessions there`,
      `remove it (as its owner or root) or set AWSMFA_AGENT_SOCK to a path in a directory of your own (mode 0700)`,
    )
  }
  const mode = info.mode & 0o777
  if ((mode & 0o077) !== 0) {
    throw unsafe(
      `the agent's directory ${shown} is open to other users (mode ${mode.toString(8).padStart(4, '0')}); awsmfa needs 0700`,
      `chmod 700 ${shown}, or remove it and run awsmfa agent start again`,
    )
  }
  return 'ready'
}

export type SocketFileState = 'absent' | 'socket'

/** The socket path itself: absent, or a socket. A symlink or any other file there is refused (never removed). */
export async function checkSocketFile(address: UnixAddress): Promise<SocketFileState> {
  let info
  try {
    info = await lstat(address.path)
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 'absent'
    throw unsafe(`cannot read the agent's socket ${printable(address.path)} (${errorCode(error) ?? 'error'})`, 'check its directory\'s permissions')
  }
  if (info.isSymbolicLink()) throw unsafe(`the agent's socket ${printable(address.path)} is a symbolic link`, `remove it (rm ${printable(address.path)}) and run awsmfa agent start again`)
  if (!info.isSocket()) throw unsafe(`${printable(address.path)} is not a socket, so awsmfa will not replace it`, `move that file away, or set AWSMFA_AGENT_SOCK to another path`)
  return 'socket'
}

/** Removes a socket no process listens on any more (an agent that crashed or was killed). */
export async function removeStaleSocket(address: UnixAddress): Promise<void> {
  if ((await checkSocketFile(address)) === 'socket') {
    try {
      await unlink(address.path)
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error
    }
  }
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}
