import { completionOrder, type CommandSpec, type OptionSpec } from '../../command-line.js'
import type { CompletedCommand, CompletedOption, CompletionLists } from './types.js'

/**
 * What the shipped completion scripts offer, made from lib/command-line.ts (the table lib/cli.ts
 * gives yargs): every command, every option that is not hidden, the values each takes, and what
 * each plain argument is. Each shell's writer (generate.ts WRITERS) puts them in its own syntax.
 */

const HELP: CompletedOption = { spellings: ['--help', '-h'], summary: 'show help' }
const VERSION: CompletedOption = { spellings: ['--version', '-V'], summary: 'show the version' }

function completedOption(name: string, option: OptionSpec): CompletedOption {
  const spellings = option.negated === true ? [`--no-${name}`] : [`--${name}`, ...(option.alias === undefined ? [] : [`-${option.alias}`])]
  return {
    spellings,
    summary: option.summary ?? name,
    ...(option.type === 'string' ? { value: { name: option.valueName ?? name, words: option.values ?? [] } } : {}),
  }
}

function completedCommand(spec: CommandSpec): CompletedCommand {
  const options = Object.entries(spec.options).filter(([, option]) => option.hidden !== true).map(([name, option]) => completedOption(name, option))
  const [first] = spec.positionals
  const choices = first?.choices ?? []
  return {
    name: spec.name,
    summary: spec.summary,
    options: [...options, HELP],
    ...(first?.completes === 'profile' ? { first: { name: first.name, profile: true } } : {}),
    ...(first !== undefined && choices.length > 0 ? { first: { name: first.name, words: choices.filter((c) => c.hidden !== true).map((c) => c.name), every: choices.map((c) => c.name) } } : {}),
    profilesAfterOne: choices.filter((c) => c.profiles === 'one').map((c) => c.name),
    profilesAfterMany: choices.filter((c) => c.profiles === 'many').map((c) => c.name),
    commandLine: spec.positionals.some((p) => p.completes === 'command line'),
  }
}

export function completionLists(): CompletionLists {
  return { commands: completionOrder().map(completedCommand), topOptions: [HELP, VERSION] }
}

/** Every option spelling that takes a value (the next word is not a plain argument), once each. */
export function valueOptions(lists: CompletionLists): string[] {
  return unique(lists.commands.flatMap((c) => c.options.filter((o) => o.value !== undefined).flatMap((o) => o.spellings)))
}

/**
 * The values offered after each option spelling, grouped: `[['--duration', '-d'], ['12h', …]]`. One
 * spelling offers the same values in every command (the table shares the option), which this checks.
 */
export function optionValues(lists: CompletionLists): Array<[spellings: string[], words: readonly string[]]> {
  const bySpelling = new Map<string, readonly string[]>()
  for (const option of lists.commands.flatMap((c) => c.options)) {
    if (option.value === undefined || option.value.words.length === 0) continue
    for (const spelling of option.spellings) {
      const seen = bySpelling.get(spelling)
      if (seen !== undefined && seen.join(' ') !== option.value.words.join(' ')) throw new Error(`${spelling} offers different values in different commands`)
      bySpelling.set(spelling, option.value.words)
    }
  }
  const groups: Array<[string[], readonly string[]]> = []
  for (const [spelling, words] of bySpelling) {
    const group = groups.find(([, w]) => w.join(' ') === words.join(' '))
    if (group === undefined) groups.push([[spelling], words])
    else group[0].push(spelling)
  }
  return groups
}

export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)]
}
