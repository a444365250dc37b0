import type { ShellName } from './index.js'

/**
 * Everything awsmfa knows about one shell's syntax. Output is evaluated by that shell,
 * so every value goes through quote() and every name is checked before use.
 */
export interface Shell<Name extends string = ShellName> {
  /** The --shell value; lib/shells/index.ts derives the ShellName union from the registry's names. */
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
  /** The one line that loads the integration through the CLI, and the rc file it goes in. */
  readonly install?: { readonly line: string; readonly rcFile: string }
  /** The rc-file line that loads the integration file at `path` when it is there (install.sh). */
  sourceLine?(path: string): string
}
