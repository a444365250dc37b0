/**
 * Everything that touches the world — process environment, streams, terminal, files, child
 * processes, clock and network — comes in through Deps, so each module runs in-process in tests
 * and only bin.ts builds the real thing.
 */
import type { Emulator, EmulatorOptions } from './emulator/types.js'
import type { StsApi, StsTransport } from './sts-api.js'

export type Env = Readonly<Record<string, string | undefined>>

export interface OutputStream {
  /**
   * Writes all of `text` before returning. On stdout a failed write (a full disk, a closed stream,
   * a reader gone) throws the AwsmfaError that explains it, so no success is reported after it;
   * on stderr it is ignored (there is nobody left to tell).
   */
  write(text: string): void
  readonly isTTY: boolean
}

/** The controlling terminal, opened only when a prompt is needed. */
export interface Terminal {
  /** Writes `prompt` (to stderr) and resolves with one line typed on the terminal, without its newline. */
  readLine(prompt: string): Promise<string>
  close(): void
}

export interface ProcessResult {
  exitCode: number | undefined
  stdout: string
  stderr: string
  timedOut: boolean
  failedToStart: boolean
}

/** What execve would make of one path: a file it can run, something it cannot (no x bit, a directory), or nothing there. */
export type ExecutableProbe = 'executable' | 'not-executable' | 'missing'

/** The signals that stop awsmfa; while a child runs awsmfa catches all of them, so it outlives the child. */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP'

/** One command run with awsmfa's stdio, as `exec` runs it. */
export interface ChildRequest {
  readonly file: string
  readonly args: readonly string[]
  /** The child's whole environment: nothing else of awsmfa's is inherited. */
  readonly env: Readonly<Record<string, string>>
  /** The stop signals passed on to the child when awsmfa receives them; the others are only caught. */
  readonly forward: readonly StopSignal[]
}

/** How a child ended: with an exit code, killed by a signal, or never started (errno code, system message). */
export type ChildExit =
  | { readonly kind: 'exited'; readonly exitCode: number }
  | { readonly kind: 'signalled'; readonly signal: NodeJS.Signals }
  | { readonly kind: 'not-started'; readonly code: string | undefined; readonly message: string }

/** What awsmfa needs of an HTTP answer: the status and the body. */
export interface HttpAnswer {
  readonly status: number
  text(): Promise<string>
}

/** Why a request to the agent got no answer: nothing listens there, or it broke off mid-request. */
export interface AgentLinkError extends Error {
  /** ENOENT, ECONNREFUSED, EACCES (nothing to talk to), ECLOSED, ETIMEDOUT, ECONNRESET, … */
  readonly code: string
  /** True once the connection was made: the agent was there and then failed to answer. */
  readonly connected: boolean
}

/** The agent's socket, as the client sees it; lib/agent/ holds the rules. */
export interface AgentLink {
  readonly platform: NodeJS.Platform
  /** undefined where there are no POSIX uids (Windows). */
  readonly uid: number | undefined
  /** Sends one request line and resolves with the first answer line; rejects with an AgentLinkError. */
  request(path: string, line: string, timeoutMs: number): Promise<string>
  /**
   * Starts `awsmfa agent serve` detached from this terminal; resolves with its pid once it says it
   * listens, rejects with the message it printed when it could not start.
   */
  spawnServer(env: Env): Promise<number>
  /** The process that serves (`awsmfa agent serve`), as the server needs it. */
  readonly host: AgentHost
}

/** What `agent serve` asks of its own process. */
export interface AgentHost {
  /** Printed in `ready <pid>`, which spawnServer waits for. */
  readonly pid: number
  /** Makes every file this process creates from now on the user's alone (umask 077): the socket. */
  privateUmask(): void
  /** Calls `listener` on SIGTERM, SIGINT and SIGHUP instead of dying; returns the undo. */
  onStop(listener: () => void): () => void
}

export interface Deps {
  readonly env: Env
  /** Whether stdin is a terminal: then keyboard signals reach every process in the foreground group. */
  readonly stdinIsTTY: boolean
  readonly stdout: OutputStream
  readonly stderr: OutputStream
  /** Milliseconds since the epoch. */
  now(): number
  homedir(): string
  username(): string
  /** Resolves with the file's bytes; rejects with the fs error (code ENOENT, EACCES, …). */
  readFile(path: string): Promise<Buffer>
  /**
   * A file shipped with awsmfa (`shells/awsmfa.bash`), when it is built into the program (the
   * standalone executable); absent: read it from the package folder.
   */
  readonly readShipped?: (file: string) => Promise<string>
  /** Opens /dev/tty; undefined when the process has no controlling terminal. */
  openTerminal(): Promise<Terminal | undefined>
  /**
   * Runs a user-configured command line (mfa_process, credential_process) through the shell.
   * showStderr lets its messages ("Touch your YubiKey") reach the person; else stderr is captured.
   */
  runCommand(commandLine: string, options: { timeoutMs: number; showStderr?: boolean }): Promise<ProcessResult>
  /**
   * Runs a command with stdin, stdout and stderr inherited and resolves once it has ended. Never
   * escalates to SIGKILL: forwarded signals are the child's to handle.
   */
  runChild(request: ChildRequest): Promise<ChildExit>
  /** Whether `path` could be run. Where there are no execute bits (Windows) every path is 'executable': the spawn decides (PATHEXT). */
  probeExecutable(path: string): Promise<ExecutableProbe>
  /** Makes a new directory only its owner can enter, under the system's temp folder, named `prefix` + random characters. */
  makeTempDir(prefix: string): Promise<string>
  /** Writes `text` to a file only its owner can read or write (0600), replacing what was there. */
  writePrivateFile(path: string, text: string): Promise<void>
  /**
   * Puts `text` at `path` (directories made as needed, 0700) for other programs to read: written
   * beside it, then renamed over it, so a reader never sees half a file.
   */
  writeSharedFile(path: string, text: string): Promise<void>
  /** Removes a directory and everything in it; nothing there is not an error. */
  removeDir(path: string): Promise<void>
  /** Starts the local STS emulator on 127.0.0.1 (the demo's world), loaded on first use. */
  startEmulator(options: EmulatorOptions): Promise<Emulator>
  /** The STS client, loaded on first use so commands that never call STS never load the SDK. */
  loadSts(): Promise<StsApi>
  /** The agent (awsmfa agent); absent in-process, where no agent is ever asked. */
  readonly agent?: AgentLink
  /**
   * The proxy URL the environment names for `url` (HTTPS_PROXY/https_proxy, HTTP_PROXY, ALL_PROXY,
   * minus NO_PROXY), or '' for a direct connection. The rules come from proxy-from-env, which
   * reads the process environment itself: hence here.
   */
  proxyForUrl(url: string): Promise<string>
  /**
   * A GET for the console federation endpoint (STS goes through the SDK instead), through the
   * transport's proxy and CA bundle when given; redirects are not followed.
   */
  fetch(url: string, init: { signal: AbortSignal; transport?: StsTransport | undefined }): Promise<HttpAnswer>
  /** Hands a URL to the browser ($BROWSER when set, else the system's opener); resolves once it is handed over. */
  openBrowser(url: string): Promise<void>
  /** Resolves when the user interrupts (Ctrl-C); used to abandon a prompt cleanly. */
  onInterrupt(listener: () => void): () => void
}
