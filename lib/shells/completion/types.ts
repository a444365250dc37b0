/**
 * The command line as completion sees it (made from lib/command-line.ts by lists.ts): what each
 * shell's writer (lib/shells/completion/<shell>.ts, listed in generate.ts) turns into its own syntax.
 */

/** One option as completion offers it. */
export interface CompletedOption {
  /** `--token-code`, `-t`; a boolean on by default only as `--no-agent`. */
  readonly spellings: readonly string[]
  /** A short description (zsh, fish). */
  readonly summary: string
  /** For an option that takes a value: its name (zsh's message) and the values offered (maybe none). */
  readonly value?: { readonly name: string; readonly words: readonly string[] }
}

export interface CompletedCommand {
  readonly name: string
  readonly summary: string
  /** Its options, --help last. */
  readonly options: readonly CompletedOption[]
  /** What its first plain argument is: a target profile, one of these words, or nothing offered. */
  readonly first?: { readonly name: string; readonly profile: true } | { readonly name: string; readonly words: readonly string[]; readonly every: readonly string[] }
  /** The words of the first argument after which one profile (forget) or any number (add) follow. */
  readonly profilesAfterOne: readonly string[]
  readonly profilesAfterMany: readonly string[]
  /** After `--`, another program's command line (exec). */
  readonly commandLine: boolean
}

export interface CompletionLists {
  /** In the order completion offers them. */
  readonly commands: readonly CompletedCommand[]
  /** The options before a command: --help, --version. */
  readonly topOptions: readonly CompletedOption[]
}
