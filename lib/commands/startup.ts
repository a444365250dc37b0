import { join } from 'node:path'
import type { Deps } from '../deps.js'
import { AwsmfaError, EXIT } from '../errors.js'
import { STARTUP_SHELLS, isShellName, shellByName } from '../shells/index.js'
import { printable } from '../text.js'
import { packageRoot } from './init.js'

/**
 * The hidden questions install.sh asks, so that it knows no shell: every answer comes from the
 * shell's `startup` in lib/shells/ (types.ts says what each one is). One answer a call, on one line.
 */
export type StartupQuery =
  | { readonly print: 'program' }
  | { readonly print: 'rc-file' }
  | { readonly print: 'rc-line' }
  | { readonly print: 'path-line'; readonly dir: string }

export interface StartupOptions {
  readonly shell: string
  readonly query: StartupQuery
}

/** `awsmfa install-shells`: the shells install.sh sets up, one name a line, in the registry's order. */
export async function installShellsCommand(deps: Pick<Deps, 'stdout'>): Promise<number> {
  deps.stdout.write(STARTUP_SHELLS.map((shell) => `${shell.name}\n`).join(''))
  return EXIT.ok
}

/** `awsmfa init SHELL --print-program | --print-rc-file | --print-rc-line | --print-path-line DIR`. */
export async function startupCommand(options: StartupOptions, deps: Deps): Promise<number> {
  const shell = isShellName(options.shell) ? shellByName(options.shell) : undefined
  const startup = shell?.startup
  if (shell === undefined || startup === undefined || shell.integrationFile === undefined) {
    throw new AwsmfaError(`install.sh does not set up '${printable(options.shell)}'`, { fix: 'awsmfa install-shells lists the shells it does', exitCode: EXIT.usage })
  }
  const { query } = options
  let answer: string
  if (query.print === 'program') answer = startup.program
  else if (query.print === 'rc-file') answer = startup.rcFile(deps.env, deps.homedir())
  else if (query.print === 'path-line') {
    if (query.dir === '') throw new AwsmfaError('--print-path-line needs a directory', { fix: `awsmfa init ${shell.name} --print-path-line ~/.local/bin`, exitCode: EXIT.usage })
    answer = startup.pathLine(query.dir)
  } else {
    if (deps.readShipped !== undefined) {
      throw new AwsmfaError(`--print-rc-line needs the checkout (${shell.integrationFile}); the standalone executable has none`, { exitCode: EXIT.usage })
    }
    answer = startup.sourceLine(join(await packageRoot(import.meta.url, deps), shell.integrationFile))
  }
  deps.stdout.write(`${answer}\n`)
  return EXIT.ok
}
