import { powershellQuote } from '../powershell.js'
import type { CompletionLists } from './types.js'
import { optionValues, valueOptions } from './lists.js'

/**
 * PowerShell's generated region of completions/awsmfa.ps1, inside the completer's script block:
 * `$commandLine`, a hashtable of the word lists of lib/command-line.ts that the completer reads.
 */
export function powershellCompletionLists(lists: CompletionLists): string {
  const words = (items: readonly string[]): string => `@(${items.map(powershellQuote).join(', ')})`
  const table = (entries: Array<[string, string]>): string[] => entries.map(([key, value]) => `        '${key}' = ${value}`)
  const first = lists.commands.flatMap((c) => (c.first !== undefined && 'words' in c.first ? [[c.name, words(c.first.words)] as [string, string]] : []))
  return [
    '# The word lists of the command line (lib/command-line.ts). Options: each command\'s (\'\': before',
    '# one); ValueOptions take the next word; Values: offered after an option; ProfileFirst: commands whose',
    '# first plain argument is a target profile; Words: the words of a first argument; ProfilesAfterOne/',
    '# Many: "COMMAND WORD" after which one or any number of profiles follow; CommandLine: another',
    '# program\'s command line after --.',
    '$commandLine = @{',
    `    Commands = ${words(lists.commands.map((c) => c.name))}`,
    '    Options = @{',
    `        '' = ${words(lists.topOptions.flatMap((o) => o.spellings))}`,
    ...table(lists.commands.map((c) => [c.name, words([...c.options.flatMap((o) => o.spellings), ...(c.commandLine ? ['--'] : [])])])),
    '    }',
    `    ValueOptions = ${words(valueOptions(lists))}`,
    '    Values = @{',
    ...table(optionValues(lists).flatMap(([spellings, values]) => spellings.map((s) => [s, words(values)] as [string, string]))),
    '    }',
    `    ProfileFirst = ${words(lists.commands.filter((c) => c.first !== undefined && 'profile' in c.first).map((c) => c.name))}`,
    '    Words = @{',
    ...table(first),
    '    }',
    `    ProfilesAfterOne = ${words(lists.commands.flatMap((c) => c.profilesAfterOne.map((w) => `${c.name} ${w}`)))}`,
    `    ProfilesAfterMany = ${words(lists.commands.flatMap((c) => c.profilesAfterMany.map((w) => `${c.name} ${w}`)))}`,
    `    CommandLine = ${words(lists.commands.filter((c) => c.commandLine).map((c) => c.name))}`,
    '}',
  ].join('\n')
}
