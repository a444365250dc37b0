import { constants as fsConstants, openSync, readFileSync, readlinkSync, writeSync } from 'node:fs'
import { access, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { homedir, tmpdir, userInfo } from 'node:os'
import { dirname, join } from 'node:path'
import { ReadStream, isatty } from 'node:tty'
import type { ChildExit, ChildRequest, Deps, ExecutableProbe, ProcessResult, StopSignal, Terminal } from './deps.js'
import { AwsmfaError, EXIT } from './errors.js'
import type { StsApi } from './sts.js'
import { realAgentLink } from './agent/link.js'

/** The only place awsmfa touches the real process, terminal, files and network. */
export function realDeps(): Deps {
  return {
    env: process.env,
    // isatty, not process.stdin: creating the stdin stream costs start-up time and can hold a TTY.
    stdinIsTTY: isatty(0),
    // Written with write(2) on the descriptors, never through process.stdout: a failed write must
    // become one message and an exit code, not an 'error' event that crashes with a stack trace.
    stdout: { write: writeStdout, isTTY: isatty(1) },
    stderr: { write: writeStderr, isTTY: isatty(2) },
    now: () => Date.now(),
    homedir: () => process.env.HOME || homedir(),
    // The login name the user sees (USER), falling back to the account's name.
    username: () => {
      const fromEnv = process.env.USER || process.env.LOGNAME || process.env.USERNAME
      if (fromEnv) return fromEnv
      try {
        return userInfo().username
      } catch {
        return 'user'
      }
    },
    ...realFiles,
    openTerminal: async () => {
      const terminal = openTerminal()
      // The user takes seconds to type the code: load the SDK meanwhile (about 25 ms of compiling
      // that would otherwise come after Enter). A failure surfaces where the command awaits loadSts.
      if (terminal !== undefined) loadSts().catch(() => {})
      return terminal
    },
    runCommand,
    runChild,
    // The emulator's server code is loaded only by the demo.
    startEmulator: async (options) => (await import('./emulator/index.js')).startEmulator(options),
    loadSts,
    agent: realAgentLink(),
    // Loaded only on the STS path (env, exec, doctor): never on --version, init or completion.
    proxyForUrl: async (url) => (await import('proxy-from-env')).getProxyForUrl(url),
    fetch: async (url, init) => (await import('./http-get.js')).httpGet(url, init),
    openBrowser,
    onInterrupt: (listener) => {
      process.on('SIGINT', listener)
      return () => void process.off('SIGINT', listener)
    },
  }
}

/** The file system as it is; in-process tests use it too (test/helpers/deps.ts): their files are real. */
export const realFiles: Pick<Deps, 'readFile' | 'probeExecutable' | 'makeTempDir' | 'writePrivateFile' | 'writeSharedFile' | 'removeDir'> = {
  readFile: (path) => readFile(path),
  probeExecutable,
  makeTempDir: (prefix) => mkdtemp(join(tmpdir(), prefix)),
  writePrivateFile: (path, text) => writeFile(path, text, { mode: 0o600 }),
  async writeSharedFile(path, text) {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 })
    const partial = `${path}.${process.pid}.partial`
    try {
      await writeFile(partial, text, { mode: 0o644 })
      await rename(partial, path)
    } catch (error) {
      // A half-written file in the user's cache is litter the next run would not clean.
      await rm(partial, { force: true })
      throw error
    }
  },
  removeDir: (path) => rm(path, { recursive: true, force: true }),
}

/** What a failed write to stdout means for the person, by errno code. */
const STDOUT_FAILURES: ReadonlyMap<string, { cause: string; fix: string }> = new Map([
  ['ENOSPC', { cause: 'the device it goes to is full (ENOSPC)', fix: 'free some space there, or send the output elsewhere' }],
  ['EBADF', { cause: 'stdout is closed (EBADF)', fix: 'run it with stdout open (a file, a pipe or the terminal); >&- closes it' }],
  ['EPIPE', { cause: 'the program reading it stopped before the end (EPIPE)', fix: 'let the reader take all of it (head, grep -q and the like stop early)' }],
])

let stdoutChecked = false

/** Writes all of `text` to stdout, or throws the AwsmfaError that says why it could not. */
function writeStdout(text: string): void {
  if (!stdoutChecked) {
    stdoutChecked = true
    if (stdoutWasClosed()) throw stdoutFailure('EBADF')
  }
  try {
    writeAll(1, text)
  } catch (error) {
    throw stdoutFailure((error as NodeJS.ErrnoException).code ?? 'EIO')
  }
}

function stdoutFailure(code: string): AwsmfaError {
  const known = STDOUT_FAILURES.get(code)
  return new AwsmfaError(`could not write the output to stdout: ${known?.cause ?? `the system refused the write (${code})`}`, {
    fix: known?.fix ?? 'check where stdout goes (a full disk, a closed pipe or terminal)',
  })
}

/** Messages are the last word: when stderr itself fails there is nobody left to tell. */
function writeStderr(text: string): void {
  try {
    writeAll(2, text)
  } catch {
    // Nothing to do: the exit code still reports the outcome.
  }
}

/** write(2) until every byte is out; a descriptor left non-blocking by another program is waited for. */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8')
  let offset = 0
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5)
    }
  }
}

/**
 * Node replaces a closed stdout with /dev/null opened read-write before any of our code runs, so
 * `awsmfa env p >&-` would "succeed" while delivering nothing. A shell's `>/dev/null` opens it
 * write-only: read-write /dev/null on fd 1 is the mark of a stdout that was closed (Linux /proc).
 */
function stdoutWasClosed(): boolean {
  if (process.platform !== 'linux') return false
  try {
    if (readlinkSync('/proc/self/fd/1') !== '/dev/null') return false
    const flags = /^flags:\s*([0-7]+)$/m.exec(readFileSync('/proc/self/fdinfo/1', 'utf8'))?.[1]
    return flags !== undefined && (Number.parseInt(flags, 8) & 0o3) === 0o2
  } catch {
    return false
  }
}

let sts: Promise<StsApi> | undefined

/** The STS client module, imported once, on first use (only commands that call STS get here). */
function loadSts(): Promise<StsApi> {
  sts ??= (async () => {
    // The SDK warns on stderr about Node versions it will drop; awsmfa states its own support.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'
    const { realSts } = await import('./sts-client.js')
    return realSts
  })()
  return sts
}

/**
 * Opens the controlling terminal for the MFA prompt. It stays in cooked mode — the terminal
 * itself echoes and edits the line — so there is no terminal state to restore on Ctrl-C.
 * Works inside `eval "$(awsmfa env …)"`, where stdout is a pipe.
 */
function openTerminal(): Terminal | undefined {
  let fd: number
  try {
    // Read and write: the prompt goes to the terminal itself, not to stderr, which a caller such
    // as the AWS CLI running credential_process captures (the person would see a hung terminal).
    fd = openSync('/dev/tty', 'r+')
  } catch {
    return undefined
  }
  const input = new ReadStream(fd)
  input.setEncoding('utf8')
  let buffered = ''
  return {
    readLine: (prompt) =>
      new Promise<string>((resolve, reject) => {
        writeTerminal(fd, prompt)
        const finish = (): void => {
          input.off('data', onData)
          input.off('end', onEnd)
          input.pause()
        }
        const takeLine = (): boolean => {
          const newline = buffered.indexOf('\n')
          if (newline === -1) return false
          const line = buffered.slice(0, newline).replace(/\r$/, '')
          buffered = buffered.slice(newline + 1)
          finish()
          resolve(line)
          return true
        }
        const onData = (chunk: string): void => {
          buffered += chunk
          takeLine()
        }
        const onEnd = (): void => {
          finish()
          writeTerminal(fd, '\n')
          reject(new AwsmfaError('the terminal closed before an MFA code was typed', { fix: 'type the code, then Enter', exitCode: EXIT.interrupted }))
        }
        if (takeLine()) return
        input.on('data', onData)
        input.on('end', onEnd)
        input.resume()
      }),
    close: () => input.destroy(),
  }
}

function writeTerminal(fd: number, text: string): void {
  try {
    writeSync(fd, text)
  } catch {
    // A terminal that cannot be written to still reads the code; the error, if any, comes from reading.
  }
}

/**
 * The browser gets the URL as one argument of its own, never through a shell (it is a bearer
 * secret, and a shell would read its `&`). $BROWSER is honoured as Python's webbrowser and
 * xdg-open read it: the first of its `:`-separated commands, `%s` replaced by the URL, else the
 * URL appended. Without it, the `open` package (loaded only here) picks the system's opener.
 * awsmfa does not wait for the browser to close; it waits until the process has started.
 */
async function openBrowser(url: string): Promise<void> {
  const browser = (process.env.BROWSER ?? '').split(':').map((entry) => entry.trim()).find((entry) => entry !== '')
  if (browser === undefined) {
    const { default: open } = await import('open')
    const child = await open(url)
    // Its 'spawn'/'error' events may already have fired: a pid says the opener started.
    child.once('error', () => {})
    if (child.pid === undefined) {
      throw new AwsmfaError('could not start a browser (no xdg-open, open or start on this system)', {
        fix: 'set BROWSER to your browser\'s command, or use awsmfa console --url and open the URL yourself',
        exitCode: EXIT.failed,
      })
    }
    return
  }
  const words = browser.split(/\s+/)
  const args = words.slice(1).some((word) => word.includes('%s')) ? words.slice(1).map((word) => word.replaceAll('%s', url)) : [...words.slice(1), url]
  // A built-in without import(): the standalone executable's snapshot has no module loader.
  const { spawn } = process.getBuiltinModule('node:child_process')
  const child = spawn(words[0] ?? '', args, { detached: true, stdio: 'ignore' })
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject)
    child.once('spawn', () => resolve())
  }).catch((error: unknown) => {
    throw new AwsmfaError(`BROWSER names '${words[0] ?? ''}', which could not be started (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      fix: 'set BROWSER to a browser command on PATH, or use awsmfa console --url',
      exitCode: EXIT.failed,
    })
  })
  child.unref()
}

/**
 * Runs a profile's command line through the shell, as the AWS CLI runs credential_process.
 * execa is loaded only here: most runs never start a child. On timeout the shell is killed and
 * its pipes closed, so a grandchild that keeps them open (sh -c 'sleep 99') cannot stretch the wait.
 */
async function runCommand(commandLine: string, options: { timeoutMs: number; showStderr?: boolean }): Promise<ProcessResult> {
  const { execa } = await import('execa')
  const stderr = options.showStderr ? 'inherit' : 'pipe'
  const subprocess = execa(commandLine, { shell: true, reject: false, stdin: 'ignore', stderr, stripFinalNewline: false })
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    subprocess.kill('SIGKILL')
    subprocess.stdout?.destroy()
    subprocess.stderr?.destroy()
  }, options.timeoutMs)
  const result = await subprocess
  clearTimeout(timer)
  if (timedOut) return { exitCode: undefined, stdout: '', stderr: '', timedOut: true, failedToStart: false }
  return {
    exitCode: result.exitCode,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    timedOut: false,
    // ENOENT for a missing shell; 127 from sh -c for a command that is not there.
    failedToStart: result.exitCode === undefined || result.exitCode === 127,
  }
}

/** Every stop signal is caught while a child runs, forwarded or not: awsmfa must outlive the child to report its code. */
const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

/** `exec`'s child: stdio inherited, only the given environment, stop signals caught and the chosen ones passed on. */
async function runChild(request: ChildRequest): Promise<ChildExit> {
  const { execa } = await import('execa')
  const child = execa(request.file, [...request.args], {
    stdio: 'inherit',
    env: { ...request.env },
    extendEnv: false,
    reject: false,
    // Forwarded signals are the child's to handle; never escalate to SIGKILL on its behalf.
    forceKillAfterDelay: false,
    stripFinalNewline: false,
  })
  const onSignal = (signal: NodeJS.Signals): void => {
    if (request.forward.some((forwarded) => forwarded === signal)) child.kill(signal)
  }
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal)
  let result
  try {
    result = await child
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal)
  }
  if (result.exitCode !== undefined) return { kind: 'exited', exitCode: result.exitCode }
  if (result.signal !== undefined) return { kind: 'signalled', signal: result.signal }
  return { kind: 'not-started', code: result.code, message: result.message ?? '' }
}

/** What execve would make of `path`: a regular file with an execute bit for this user runs. */
async function probeExecutable(path: string): Promise<ExecutableProbe> {
  if (process.platform === 'win32') return 'executable'
  try {
    if (!(await stat(path)).isFile()) return 'not-executable'
  } catch {
    return 'missing'
  }
  try {
    await access(path, fsConstants.X_OK)
    return 'executable'
  } catch {
    return 'not-executable'
  }
}
