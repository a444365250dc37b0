import type { Env } from '../deps.js'

/**
 * Everything awsmfa knows about one shell's syntax. Output is evaluated by that shell,
 * so every value goes through quote() and every name is checked before use.
 */
export interface ShellSyntax<Name extends string> {
  /** The --shell value; lib/shells/index.ts derives the ShellName union from the registry's names
   *  (and `Shell`, this with that union, so this module needs nothing from the registry). */
  readonly name: Name
  /** Other names --shell and init accept for it (`pwsh`). */
  readonly aliases?: readonly string[]
  /** One literal word that the shell reads back as exactly `value`. Throws on NUL. */
  quote(value: string): string
  /** A statement that sets and exports `name`, without a trailing newline. One line in every shell
   *  but sh, whose plain single quotes keep a value's raw newlines (dash has no $'…'). */
  set(name: string, value: string): string
  /** A statement that removes `name` from the environment, silently when absent. */
  unset(name: string): string
  /** What a person types to remove `names` (doctor's fix lines): short, not the hardened unset(). */
  unsetHint(names: readonly string[]): string
  /** The statements as the text `env` prints; when absent, one statement a line. */
  script?(statements: readonly string[], profile: string): string
  /** Integration script and completion script shipped for this shell (paths relative to the package root), if any. */
  readonly integrationFile?: string
  readonly completionFile?: string
  /** The one line that loads the integration through the CLI, and the rc file it goes in (help texts). */
  readonly install?: { readonly line: string; readonly rcFile: string }
  /** What install.sh writes for this shell; a shell without it is one install.sh leaves alone. */
  readonly startup?: Startup
  /**
   * `awsmfa init` from a checkout prints startup.sourceLine() of the integration file instead of its
   * text (PowerShell: only a script run as a command, the dot-sourced file, sets the caller's `$?`).
   */
  readonly initSourcesFile?: boolean
}

/**
 * How install.sh makes every new terminal of a shell load the integration file, starting no Node.
 * install.sh knows no shell: it asks the built CLI (`awsmfa install-shells`, then
 * `awsmfa init SHELL --print-program | --print-rc-file | --print-rc-line | --print-path-line DIR`),
 * so a shell that declares this is installed, detected and uninstalled with no change to install.sh.
 */
export interface Startup {
  /** The program whose presence on PATH means the shell is installed here (`pwsh`). */
  readonly program: string
  /** The start-up file install.sh appends its marked lines to, from HOME and the shell's own variables. */
  rcFile(env: Env, home: string): string
  /** The line that loads the integration file at `path` when it is there; quoted by this shell's quote(). */
  sourceLine(path: string): string
  /** The line that puts `dir` first on PATH unless it is on it already (so nested shells add it once). */
  pathLine(dir: string): string
}
