/**
 * Deps for in-process tests: real files, the real STS client over real HTTP (to the emulator),
 * the real emulator on 127.0.0.1, a scripted terminal and a scripted child; stdout and stderr
 * are captured.
 */
import type { ChildExit, ChildRequest, Deps, ProcessResult, StopSignal, Terminal } from '../../lib/deps.js'
import { startEmulator } from '../../lib/emulator/index.js'
import { httpGet } from '../../lib/http-get.js'
import { realFiles } from '../../lib/real-deps.js'
import { realSts } from '../../lib/sts-client.js'

export interface CapturedDeps extends Deps {
  readonly out: { stdout: string; stderr: string }
  /** Fires the interrupt listeners, as Ctrl-C would. */
  interrupt(): void
  /** Prompts written to the terminal, in order. */
  readonly prompts: string[]
  /** Every child awsmfa asked to run, in order. */
  readonly children: ChildRequest[]
  /**
   * A stop signal arriving at awsmfa while a child runs, as the real Deps handle it: caught, and
   * handed to the child (its script's onSignal) only when the request forwards it.
   */
  signal(signal: StopSignal): void
}

/** A scripted child: how it ends, and what it does with a signal that reaches it. */
export interface ChildScript {
  (request: ChildRequest, control: { onSignal(listener: (signal: StopSignal) => void): void }): Promise<ChildExit>
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
  stdinIsTTY?: boolean
  /** The child exec runs; absent: a test that starts one fails. */
  child?: ChildScript
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
  const children: ChildRequest[] = []
  /** The running child's signal listener and what it forwards; undefined while no child runs. */
  let running: { forward: readonly StopSignal[]; listeners: Array<(signal: StopSignal) => void> } | undefined
  const runChild = async (request: ChildRequest): Promise<ChildExit> => {
    children.push(request)
    if (options.child === undefined) throw new Error('this in-process test scripted no child')
    const current = { forward: request.forward, listeners: [] as Array<(signal: StopSignal) => void> }
    running = current
    try {
      return await options.child(request, { onSignal: (listener) => void current.listeners.push(listener) })
    } finally {
      running = undefined
    }
  }
  return {
    env: options.env,
    out,
    prompts,
    children,
    signal: (signal) => {
      if (running === undefined) throw new Error(`${signal} with no child running: it would end awsmfa`)
      if (running.forward.includes(signal)) for (const listener of running.listeners) listener(signal)
    },
    stdinIsTTY: options.stdinIsTTY ?? false,
    stdout: { write: (text) => void (out.stdout += text), isTTY: options.stdoutIsTTY ?? false },
    stderr: { write: (text) => void (out.stderr += text), isTTY: options.stderrIsTTY ?? false },
    now: options.now ?? (() => Date.now()),
    homedir: () => options.env.HOME ?? '/nonexistent',
    username: () => options.env.USER ?? 'tester',
    ...realFiles,
    openTerminal: async () => (typed === undefined ? undefined : terminal),
    runCommand: options.runCommand ?? unusedRun,
    runChild,
    startEmulator,
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
