/**
 * Real interactive shells in a private tmux server: keys go in as a person types them, and the
 * screen comes back as text. Each server has its own socket (`tmux -L`), no config (`-f /dev/null`),
 * and is killed at teardown. Waiting is polling the screen against a bounded deadline; a test
 * never asserts on time.
 */
import { randomBytes } from 'node:crypto'
import { execa } from 'execa'

export interface TmuxOptions {
  /** The program and its arguments run in the first window. */
  command: string[]
  env: Record<string, string>
  cwd?: string
  width?: number
  height?: number
}

interface Teardown {
  teardown(fn: () => unknown): void
}

export const WAIT_MS = 20_000

export class Tmux {
  private constructor(
    readonly tmuxPath: string,
    readonly socket: string,
    private readonly env: Record<string, string>,
  ) {}

  /** Starts a detached tmux server with one window running `options.command`. */
  static async start(t: Teardown, tmuxPath: string, options: TmuxOptions): Promise<Tmux> {
    const socket = `awsmfa-test-${process.pid}-${randomBytes(6).toString('hex')}`
    // No shell history: a shell that exits at teardown would write it into a home the test is removing.
    const env = { TERM: 'xterm-256color', HISTFILE: '', fish_history: '', ...options.env }
    const tmux = new Tmux(tmuxPath, socket, env)
    t.teardown(() => tmux.kill())
    await tmux.tmux([
      'new-session', '-d', '-s', 'main', '-n', 'one',
      '-x', String(options.width ?? 200), '-y', String(options.height ?? 50),
      ...(options.cwd === undefined ? [] : ['-c', options.cwd]),
      '--', ...options.command,
    ])
    // Keep the pane on screen if the shell dies, so a failure shows what it printed.
    await tmux.tmux(['set-option', '-g', 'remain-on-exit', 'on'])
    return tmux
  }

  /** Runs one tmux command against this server. */
  async tmux(args: string[]): Promise<string> {
    const result = await execa(this.tmuxPath, ['-L', this.socket, '-f', '/dev/null', ...args], {
      env: this.env,
      extendEnv: false,
      reject: false,
      timeout: 10_000,
    })
    if (result.exitCode !== 0) throw new Error(`tmux ${args.join(' ')} failed (${result.exitCode}): ${result.stderr}`)
    return String(result.stdout)
  }

  /** A second terminal: a new window running `command` with the same environment. */
  async newWindow(name: string, command: string[]): Promise<void> {
    await this.tmux(['new-window', '-d', '-t', 'main', '-n', name, '--', ...command])
  }

  /** Types `text` literally (no key names), as a person would. */
  async type(text: string, target = 'main:one'): Promise<void> {
    await this.tmux(['send-keys', '-t', target, '-l', '--', text])
  }

  /** Presses named keys: Enter, Tab, C-c, … */
  async keys(names: string[], target = 'main:one'): Promise<void> {
    await this.tmux(['send-keys', '-t', target, ...names])
  }

  /** Types a line and presses Enter. */
  async line(text: string, target = 'main:one'): Promise<void> {
    await this.type(text, target)
    await this.keys(['Enter'], target)
  }

  /** The pane's whole history and screen, wrapped lines joined, trailing blanks trimmed. */
  async screen(target = 'main:one'): Promise<string> {
    const text = await this.tmux(['capture-pane', '-p', '-J', '-S', '-', '-t', target])
    return text.replace(/[ \t]+$/gm, '').replace(/\n+$/, '\n')
  }

  /**
   * Polls the screen until `test` finds what it looks for, and returns that; throws with the
   * screen when the deadline passes.
   */
  async waitFor<T>(what: string, test: (screen: string) => T | undefined | null | false, target = 'main:one', timeoutMs = WAIT_MS): Promise<T> {
    const deadline = Date.now() + timeoutMs
    let screen = ''
    for (;;) {
      screen = await this.screen(target)
      const found = test(screen)
      if (found !== undefined && found !== null && found !== false) return found
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen:\n${screen}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  /** Waits for a line matching `pattern` (multiline, anchored by the caller) and returns its match. */
  async waitForMatch(pattern: RegExp, target = 'main:one', timeoutMs = WAIT_MS): Promise<RegExpMatchArray> {
    return this.waitFor(String(pattern), (screen) => screen.match(pattern), target, timeoutMs)
  }

  async kill(): Promise<void> {
    await execa(this.tmuxPath, ['-L', this.socket, '-f', '/dev/null', 'kill-server'], {
      env: this.env,
      extendEnv: false,
      reject: false,
      timeout: 10_000,
    })
  }
}
