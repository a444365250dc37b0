import type { Shell, ShellName } from './types.js'
import { bash } from './bash.js'
import { fish } from './fish.js'
import { powershell } from './powershell.js'
import { sh } from './sh.js'
import { zsh } from './zsh.js'

export type { Shell, ShellName } from './types.js'
export { assertVariableName } from './check.js'

const SHELLS: Readonly<Record<ShellName, Shell>> = { bash, zsh, sh, fish, powershell }

/** Every name `--shell` accepts, besides the alias `pwsh`. */
export const SHELL_NAMES: readonly ShellName[] = Object.freeze(['bash', 'zsh', 'sh', 'fish', 'powershell'])

const ALIASES: Readonly<Record<string, ShellName>> = { pwsh: 'powershell' }

function resolve(name: string): ShellName | undefined {
  if (Object.hasOwn(ALIASES, name)) return ALIASES[name]
  return (SHELL_NAMES as readonly string[]).includes(name) ? (name as ShellName) : undefined
}

/** True for every name shellByName() accepts (the five names and `pwsh`). */
export function isShellName(name: string): boolean {
  return resolve(name) !== undefined
}

/** The shell called `name` (`pwsh` is `powershell`); throws listing the valid names otherwise. */
export function shellByName(name: string): Shell {
  const key = resolve(name)
  if (key === undefined) {
    throw new Error(`unknown shell ${JSON.stringify(name)}: expected one of ${SHELL_NAMES.join(', ')} (or pwsh)`)
  }
  return SHELLS[key]
}
