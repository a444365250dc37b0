import type { Argv } from 'yargs'
import { AwsmfaError, EXIT, maskCodes } from './errors.js'
import { printable } from './text.js'

/**
 * awsmfa's own usage messages, made from the command definitions yargs holds (lib/cli.ts's
 * `.command(...)` calls): a command added there is listed, checked and explained here with no
 * second list to keep in step.
 */
export interface CommandDefinition {
  /** The command's first word: `env`. */
  readonly name: string
  /** As declared: `env <profile>`. */
  readonly usage: string
  /** Shown in --help (false for hidden commands). */
  readonly listed: boolean
  /** Required positionals, in order: `profile`. */
  readonly demanded: readonly string[]
  /** A trailing `[command..]`: the words after `--` belong to another program. */
  readonly takesCommand: boolean
}

interface CommandHandler {
  original: string
  description: unknown
  demanded: Array<{ cmd: string[] }>
  optional: Array<{ cmd: string[]; variadic: boolean }>
}

/** The shape of yargs' command table (its internal methods; the test pins what we read of them). */
interface YargsInternals {
  getInternalMethods?: () => { getCommandInstance?: () => { getCommandHandlers?: () => Record<string, CommandHandler> } }
}

/** The commands `parser` was given, in the order they were declared. */
export function commandDefinitions(parser: Argv): CommandDefinition[] {
  const handlers = (parser as unknown as YargsInternals).getInternalMethods?.().getCommandInstance?.().getCommandHandlers?.()
  if (handlers === undefined) throw new Error('yargs no longer exposes its command table (getInternalMethods().getCommandInstance())')
  return Object.entries(handlers).map(([name, handler]) => ({
    name,
    usage: handler.original,
    listed: handler.description !== false,
    demanded: handler.demanded.flatMap((d) => d.cmd.slice(0, 1)),
    takesCommand: handler.optional.some((o) => o.variadic && o.cmd[0] === 'command'),
  }))
}

/** `env, exec, list … or clear`: the commands --help lists (not the hidden ones install.sh asks). */
function commandList(commands: readonly CommandDefinition[]): string {
  const names = commands.filter((c) => c.listed).map((c) => c.name)
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}`
}

function usage(cause: string, fix: string): AwsmfaError {
  return new AwsmfaError(maskCodes(cause), { fix: maskCodes(fix), exitCode: EXIT.usage })
}

/**
 * yargs refused `argv` with `message`: say what was wrong in awsmfa's words, with the fix.
 * The words quoted come from the user's command line, so 6-digit ones are masked (a code typed in
 * the wrong place is still valid) and control characters shown, never obeyed.
 */
export function usageFailure(message: string, argv: readonly string[], commands: readonly CommandDefinition[]): AwsmfaError {
  const word = argv.find((a) => !a.startsWith('-'))
  const command = commands.find((c) => c.name === word)
  const unknown = /^Unknown arguments?: (.*)$/s.exec(message)?.[1]?.split(', ')

  if (word === undefined) {
    // yargs asks for a command before it looks at options: `awsmfa --tokn` is an unknown option too.
    const options = unknown?.map((name) => spelled(name, argv)) ?? argv.filter((a) => a.startsWith('-') && a !== '--').map((a) => printable(a.split('=')[0] ?? a))
    if (options.length > 0) return usage(`unknown option ${options.join(', ')} (options go after the command)`, `name a command first: ${commandList(commands)} (awsmfa --help)`)
    return usage(`name a command: ${commandList(commands)}`, 'awsmfa --help says what each does')
  }
  if (command === undefined) {
    const suggestion = /Did you mean (\S+)\?/.exec(message)?.[1]
    return usage(
      `'${printable(word)}' is not an awsmfa command`,
      `${suggestion === undefined ? '' : `did you mean awsmfa ${suggestion}? `}the commands are ${commandList(commands)} (awsmfa --help)`,
    )
  }
  const synopsis = `awsmfa ${command.usage}`
  if (/^Not enough non-option arguments/.test(message)) {
    const named = command.demanded.map((d) => `<${d}>`).join(' ')
    const list = command.demanded.includes('profile') ? '; awsmfa list shows the profiles' : ''
    return usage(`${command.name} needs ${named}: ${synopsis}`, `awsmfa ${command.name} --help${list}`)
  }
  if (unknown !== undefined) {
    const options = unknown.filter((name) => !argv.includes(name) || argv.includes(`--${name}`) || argv.includes(`-${name}`))
    const words = unknown.filter((name) => !options.includes(name))
    if (options.length > 0) {
      const fix = command.takesCommand
        ? `options for awsmfa go before --, the command's own after it: awsmfa ${command.name} PROFILE -- COMMAND ARGS… (awsmfa ${command.name} --help)`
        : `awsmfa ${command.name} --help lists its options`
      return usage(`${command.name} has no option ${options.map((name) => spelled(name, argv)).join(', ')}`, fix)
    }
    return usage(`${command.name} does not take ${words.map((w) => `'${printable(w)}'`).join(', ')}: ${synopsis}`, `awsmfa ${command.name} --help`)
  }
  return usage(`${message} (awsmfa ${command.name})`, `awsmfa ${command.name} --help`)
}

/** An option yargs names without its dashes, spelled as the user typed it. */
function spelled(name: string, argv: readonly string[]): string {
  const typed = argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`) || a === `--no-${name}`)
  const dashes = typed === undefined ? (name.length === 1 ? '-' : '--') : typed.startsWith(`--no-${name}`) ? '--no-' : '--'
  return printable(`${dashes}${name}`)
}
