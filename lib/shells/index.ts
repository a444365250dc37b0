/**
 * The one shell registry: every shell awsmfa writes for is one module in this folder, listed once
 * below. Help texts, error fixes, `init`, `doctor`, the fast path and install.sh (through the CLI)
 * read what they need from here, so adding a shell touches no other place in lib/.
 */
import type { ShellSyntax } from './types.js'
import { bash } from './bash.js'
import { fish } from './fish.js'
import { nu } from './nu.js'
import { powershell } from './powershell.js'
import { sh } from './sh.js'
import { zsh } from './zsh.js'

export type { Startup } from './types.js'
export { assertVariableName } from './check.js'

/** Every shell, in the order help texts list them. */
const REGISTRY = Object.freeze([bash, zsh, sh, fish, powershell, nu] as const)

/** The names a user may pass to --shell (besides aliases such as `pwsh`): the registry's, so a new module adds its own. */
export type ShellName = (typeof REGISTRY)[number]['name']

/** One shell of the registry. */
export type Shell = ShellSyntax<ShellName>

/** Every name `--shell` accepts, besides the aliases (`pwsh`). */
export const SHELL_NAMES: readonly ShellName[] = Object.freeze(REGISTRY.map((shell) => shell.name))

/** The shells with an interactive integration (awsmfa use/clear, prompt, completion): `awsmfa init` takes these. */
export const INTEGRATED_SHELLS: readonly Shell[] = Object.freeze(REGISTRY.filter((shell) => shell.integrationFile !== undefined && shell.completionFile !== undefined))

/** The shells install.sh sets up (`awsmfa install-shells`): an integration file, and the lines that load it. */
export const STARTUP_SHELLS: readonly Shell[] = Object.freeze(INTEGRATED_SHELLS.filter((shell) => shell.startup !== undefined))

function resolve(name: string): Shell | undefined {
  return REGISTRY.find((shell) => shell.name === name || (shell.aliases ?? []).includes(name))
}

/** True for every name shellByName() accepts (the names and their aliases). */
export function isShellName(name: string): boolean {
  return resolve(name) !== undefined
}

/** `a, b, c or d`: a list of words for a sentence. */
export function wordList(words: readonly string[], last = 'or'): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} ${last} ${words.at(-1) ?? ''}`
}

/** `bash, zsh, sh, fish, powershell (pwsh)`: every name --shell takes, aliases in brackets. */
export function shellChoices(shells: readonly Shell[] = REGISTRY): string {
  return shells.map((shell) => (shell.aliases === undefined ? shell.name : `${shell.name} (${shell.aliases.join(', ')})`)).join(', ')
}

/** The shell called `name` (`pwsh` is `powershell`); throws listing the valid names otherwise. */
export function shellByName(name: string): Shell {
  const shell = resolve(name)
  if (shell === undefined) {
    const aliases = REGISTRY.flatMap((s) => s.aliases ?? [])
    throw new Error(`unknown shell ${JSON.stringify(name)}: expected one of ${SHELL_NAMES.join(', ')} (or ${aliases.join(', ')})`)
  }
  return shell
}
