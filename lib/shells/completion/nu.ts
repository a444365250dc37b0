import type { CompletedOption, CompletionLists } from './types.js'
import { nuQuote } from '../nu.js'
import { optionValues, valueOptions } from './lists.js'

const list = (items: readonly string[]): string => `[${items.map(nuQuote).join(' ')}]`

/** A nushell table of completions, each a value and its description (nushell shows both). */
function table(rows: ReadonlyArray<readonly [value: string, description: string]>): string {
  return `[[value description]; ${rows.map(([value, description]) => `[${nuQuote(value)} ${nuQuote(description)}]`).join(' ')}]`
}

const optionRows = (options: readonly CompletedOption[]): Array<[string, string]> =>
  options.flatMap((o) => o.spellings.map((s) => [s, o.summary] as [string, string]))

function record(entries: ReadonlyArray<readonly [key: string, value: string]>): string {
  return `{${entries.map(([key, value]) => `${nuQuote(key)}: ${value}`).join(', ')}}`
}

/**
 * nushell's generated region of completions/awsmfa.nu: the word lists of lib/command-line.ts as
 * constants that its completer (__awsmfa_complete) reads.
 */
export function nuCompletionLists(lists: CompletionLists): string {
  const first = lists.commands.flatMap((c) => (c.first !== undefined && 'words' in c.first ? [[c.name, list(c.first.words)] as const] : []))
  return [
    '# The word lists of the command line (lib/command-line.ts): the commands; each command\'s options',
    '# ("": before one); the options that take the next word, and the values offered after them; the',
    '# commands whose first plain argument is a target profile; the words of a first argument; "COMMAND',
    '# WORD" after which one or any number of profiles follow.',
    `const __awsmfa_commands = ${table(lists.commands.map((c) => [c.name, c.summary]))}`,
    `const __awsmfa_options = ${record([['', table(optionRows(lists.topOptions))], ...lists.commands.map((c) => [c.name, table([...optionRows(c.options), ...(c.commandLine ? [['--', 'the command line follows'] as [string, string]] : [])])] as const)])}`,
    `const __awsmfa_value_options = ${list(valueOptions(lists))}`,
    `const __awsmfa_values = ${record(optionValues(lists).flatMap(([spellings, values]) => spellings.map((s) => [s, list(values)] as const)))}`,
    `const __awsmfa_profile_first = ${list(lists.commands.filter((c) => c.first !== undefined && 'profile' in c.first).map((c) => c.name))}`,
    `const __awsmfa_words = ${record(first)}`,
    `const __awsmfa_profiles_after_one = ${list(lists.commands.flatMap((c) => c.profilesAfterOne.map((w) => `${c.name} ${w}`)))}`,
    `const __awsmfa_profiles_after_many = ${list(lists.commands.flatMap((c) => c.profilesAfterMany.map((w) => `${c.name} ${w}`)))}`,
  ].join('\n')
}
