import { createHash } from 'node:crypto'
import { basename, dirname, extname, isAbsolute, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Deps } from '../deps.js'
import { AwsmfaError, EXIT } from '../errors.js'
import { INTEGRATED_SHELLS, isShellName, shellByName, wordList } from '../shells/index.js'
import { printable } from '../text.js'

export interface InitOptions {
  readonly shell: string
}

/**
 * `awsmfa init <shell>`: prints the shell integration followed by the completion, read from the
 * files that ship in shells/ and completions/ (the same text an rc file can source directly);
 * for PowerShell from a checkout, the line that dot-sources the file (see below).
 */
export async function initCommand(options: InitOptions, deps: Deps): Promise<number> {
  if (!isShellName(options.shell)) {
    throw new AwsmfaError(`'${printable(options.shell)}' is not a shell awsmfa integrates with`, {
      fix: `use one of: awsmfa init ${INTEGRATED_SHELLS.map((s) => s.name).join(' | ')}`,
      exitCode: EXIT.usage,
    })
  }
  const shell = shellByName(options.shell)
  if (shell.integrationFile === undefined || shell.completionFile === undefined) {
    throw new AwsmfaError(`there is no interactive integration for ${shell.name} (it has no functions to hold awsmfa use)`, {
      fix: `in ${shell.name}, run eval "$(awsmfa env PROFILE)"; for an interactive shell use awsmfa init ${wordList(INTEGRATED_SHELLS.map((s) => s.name))}`,
      exitCode: EXIT.usage,
    })
  }
  const builtIn = deps.readShipped
  const root = builtIn === undefined ? await packageRoot(import.meta.url, deps) : undefined
  const read = (file: string): Promise<string> => (builtIn !== undefined ? builtIn(file) : readShipped(root ?? '', file, deps))
  const [integration, completion] = await Promise.all([read(shell.integrationFile), read(shell.completionFile)])
  // A shell with initSourcesFile (PowerShell) loads the file itself: only a script run as the
  // command sets the caller's $? (the file makes `awsmfa` that script when dot-sourced; the same
  // text run from init's output is a function, after which $? is always True). From a checkout or
  // npm install that is shells/awsmfa.ps1; the standalone executable has no such file, so it puts
  // its text (integration and completion) in the user's cache, as oh-my-posh does, and prints the
  // line that loads that.
  const sourceLine = shell.initSourcesFile === true ? shell.startup?.sourceLine : undefined
  let text = integration + completion
  if (sourceLine !== undefined) {
    const file = root !== undefined ? join(root, shell.integrationFile) : await cachedScript(text, shell.integrationFile, deps)
    if (file !== undefined) text = `${sourceLine(file)}\n`
  }
  deps.stdout.write(text)
  if (deps.stdout.isTTY) {
    // The standalone executable has no shells/ folder to point at: only the rc line.
    const staticFile = root === undefined ? '' : `, or source ${printable(join(root, shell.integrationFile))}, which starts no Node`
    deps.stderr.write(
      `awsmfa: the text above takes effect when ${shell.name} runs it; add ${shell.install === undefined ? 'it to your rc file' : `${shell.install.line}   (in ${shell.install.rcFile})`}${staticFile}\n`,
    )
  }
  return EXIT.ok
}

/**
 * The standalone's integration `text` as a file in the user's cache ($XDG_CACHE_HOME, else
 * %LOCALAPPDATA%, else ~/.cache), named by its content so each version has its own and a file in
 * use is never rewritten. undefined (after one line on stderr) when it cannot be written: the text
 * is printed instead and still works, but $? stays True after awsmfa commands.
 */
async function cachedScript(text: string, shipped: string, deps: Deps): Promise<string | undefined> {
  const absolute = (dir: string | undefined): string | undefined => (dir !== undefined && isAbsolute(dir) ? dir : undefined)
  const cache = absolute(deps.env.XDG_CACHE_HOME) ?? absolute(deps.env.LOCALAPPDATA) ?? join(deps.homedir(), '.cache')
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 16)
  const path = join(cache, 'awsmfa', `${basename(shipped, extname(shipped))}-${digest}${extname(shipped)}`)
  try {
    const present = await deps.readFile(path).then((bytes) => bytes.toString('utf8'), () => undefined)
    if (present !== text) await deps.writeSharedFile(path, text)
    return path
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    deps.stderr.write(
      `awsmfa: cannot write ${printable(path)} (${code}), so init prints the integration itself and $? stays True after awsmfa commands\n` +
        '  fix: make that directory writable, or set XDG_CACHE_HOME to one that is\n',
    )
    return undefined
  }
}

/**
 * The directory holding awsmfa's package.json, found by walking up from `moduleUrl`: lib/commands/
 * when run from source, dist/ or dist/chunks/ when bundled. A handful of small reads, at most.
 */
export async function packageRoot(moduleUrl: string, deps: Pick<Deps, 'readFile'>): Promise<string> {
  let dir = dirname(fileURLToPath(moduleUrl))
  for (;;) {
    const name = await packageName(join(dir, 'package.json'), deps)
    if (name === 'awsmfa') return dir
    const parent = dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  throw new AwsmfaError('cannot find the awsmfa package (its package.json) above the running code', {
    fix: 'reinstall awsmfa from its checkout with ./install.sh',
  })
}

async function packageName(path: string, deps: Pick<Deps, 'readFile'>): Promise<string | undefined> {
  let text: string
  try {
    text = (await deps.readFile(path)).toString('utf8')
  } catch {
    return undefined
  }
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed === 'object' && parsed !== null && 'name' in parsed && typeof parsed.name === 'string') return parsed.name
  } catch {
    // Not JSON: not ours; keep walking.
  }
  return undefined
}

async function readShipped(root: string, file: string, deps: Pick<Deps, 'readFile'>): Promise<string> {
  try {
    return (await deps.readFile(join(root, file))).toString('utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    throw new AwsmfaError(`cannot read ${printable(join(root, file))} (${code}), which awsmfa init prints`, {
      fix: 'the checkout is incomplete: git checkout -- shells completions, or reinstall with ./install.sh',
    })
  }
}
