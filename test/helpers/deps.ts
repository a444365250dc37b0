/**
 * Deps for in-process tests: real files, the real STS client over real HTTP (to the emulator),
 * and a scripted terminal; stdout and stderr are captured.
 */
import { readFile } from 'node:fs/promises'
import type { Deps, ProcessResult, Terminal } from '../../lib/deps.js'
import { httpGet } from '../../lib/http-get.js'
import { realSts } from '../../lib/sts-client.js'

export interface CapturedDeps extends Deps {
  readonly out: { stdout: string; stderr: string }
  /** Fires the interrupt listeners, as Ctrl-C would. */
  interrupt(): void
  /** Prompts written to the terminal, in order. */
  readonly prompts: string[]
}

export interface FakeDepsOptions {
  env: Record<string, string | undefined>
  /** Lines the person types at the terminal; undefined: there is no terminal. */
  typed?: string[]
  /** Called when the terminal is asked for a line and nothing is left to type. */
  onIdle?: () => void
  stdoutIsTTY?: boolean
  stderrIsTTY?: boolean
  now?: () => number
  runCommand?: Deps['runCommand']
}

export function fakeDeps(options: FakeDepsOptions): CapturedDeps {
  const out = { stdout: '', stderr: '' }
  const prompts: string[] = []
  const listeners = new Set<() => void>()
  const typed = options.typed === undefined ? undefined : [...options.typed]
  const terminal: Terminal = {
    readLine: async (prompt) => {
      prompts.push(prompt)
      out.stderr += prompt
      const line = typed?.shift()
      if (line === undefined) {
        options.onIdle?.()
        return new Promise<string>(() => {})
      }
      return line
    },
    close: () => {},
  }
  const unusedRun = async (): Promise<ProcessResult> => ({ exitCode: 1, stdout: '', stderr: '', timedOut: false, failedToStart: true })
  return {
    env: options.env,
    out,
    prompts,
    stdinIsTTY: false,
    stdout: { write: (text) => void (out.stdout += text), isTTY: options.stdoutIsTTY ?? false },
    stderr: { write: (text) => void (out.stderr += text), isTTY: options.stderrIsTTY ?? false },
    now: options.now ?? (() => Date.now()),
    homedir: () => options.env.HOME ?? '/nonexistent',
    username: () => options.env.USER ?? 'tester',
    readFile: (path) => readFile(path),
    openTerminal: async () => (typed === undefined ? undefined : terminal),
    runCommand: options.runCommand ?? unusedRun,
    loadSts: async () => realSts,
    // proxy-from-env reads the real process environment, not this fake one: in-process runs go
    // direct; the proxy rules are proven end to end (test/network/*.test.ts, the built CLI).
    proxyForUrl: async () => '',
    fetch: (url, init) => httpGet(url, init),
    openBrowser: async () => {
      throw new Error('in-process tests open no browser')
    },
    onInterrupt: (listener) => {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    interrupt: () => {
      for (const listener of listeners) listener()
    },
  }
}
