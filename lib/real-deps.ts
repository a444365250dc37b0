import { openSync, writeSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { homedir, userInfo } from 'node:os'
import { ReadStream, isatty } from 'node:tty'
import type { Deps, ProcessResult, Terminal } from './deps.js'
import { AwsmfaError, EXIT } from './errors.js'
import type { StsApi } from './sts.js'
import { realAgentLink } from './agent/link.js'

/** The only place awsmfa touches the real process, terminal, files and network. */
export function realDeps(): Deps {
  return {
    env: process.env,
    // isatty, not process.stdin: creating the stdin stream costs start-up time and can hold a TTY.
    stdinIsTTY: isatty(0),
    stdout: { write: (text) => void process.stdout.write(text), isTTY: process.stdout.isTTY === true },
    stderr: { write: (text) => void process.stderr.write(text), isTTY: process.stderr.isTTY === true },
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
    readFile: (path) => readFile(path),
    openTerminal: async () => {
      const terminal = openTerminal()
      // The user takes seconds to type the code: load the SDK meanwhile (about 25 ms of compiling
      // that would otherwise come after Enter). A failure surfaces where the command awaits loadSts.
      if (terminal !== undefined) loadSts().catch(() => {})
      return terminal
    },
    runCommand,
    loadSts,
    agent: realAgentLink(),
    // Loaded only on the STS path (env, exec, doctor): never on --version, init or completion.
    proxyForUrl: async (url) => (await import('proxy-from-env')).getProxyForUrl(url),
    onInterrupt: (listener) => {
      process.on('SIGINT', listener)
      return () => void process.off('SIGINT', listener)
    },
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
