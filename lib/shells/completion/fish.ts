import type { CompletedOption, CompletionLists } from './types.js'
import { valueOptions } from './lists.js'

/** One single-quoted fish word. */
function quoted(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/[\\']/g, '\\$&')}'`
}

/** fish's descriptions start with a capital. */
function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function optionFlags(option: CompletedOption): string {
  const flags = option.spellings.map((s) => (s.startsWith('--') ? `-l ${s.slice(2)}` : `-s ${s.slice(1)}`))
  const value = option.value === undefined ? [] : ['-x', ...(option.value.words.length > 0 ? [`-a ${quoted(option.value.words.join(' '))}`] : [])]
  return [...flags, ...value, `-d ${quoted(capital(option.summary))}`].join(' ')
}

/**
 * fish's generated region of completions/awsmfa.fish: __awsmfa_takes_value (true when option $argv[1]
 * takes the next word), then the `complete` lines of every command, option and first argument. An
 * option shared by several commands is one line for all of them.
 */
export function fishCompletionLists(lists: CompletionLists): string {
  const names = lists.commands.map((c) => c.name).join(' ')
  const noCommand = `-n "not __fish_seen_subcommand_from ${names}"`
  const lines: string[] = []
  for (const option of lists.topOptions) lines.push(`complete -c awsmfa ${noCommand} ${optionFlags(option)}`)
  for (const c of lists.commands) lines.push(`complete -c awsmfa ${noCommand} -a ${c.name} -d ${quoted(capital(c.summary))}`)
  const profileFirst = lists.commands.filter((c) => c.first !== undefined && 'profile' in c.first).map((c) => c.name)
  if (profileFirst.length > 0) lines.push(`complete -c awsmfa -n '__awsmfa_first_argument ${profileFirst.join(' ')}' -a '(__awsmfa_profiles)'`)
  for (const c of lists.commands) {
    if (c.first === undefined || !('words' in c.first)) continue
    lines.push(`complete -c awsmfa -n '__awsmfa_first_argument ${c.name}' -a ${quoted(c.first.words.join(' '))} -d ${quoted(capital(c.first.name))}`)
    const follow = [...c.profilesAfterOne, ...c.profilesAfterMany]
    if (follow.length > 0) lines.push(`complete -c awsmfa -n '__fish_seen_subcommand_from ${c.name}; and __fish_seen_subcommand_from ${follow.join(' ')}' -a '(__awsmfa_profiles)'`)
  }
  for (const c of lists.commands.filter((command) => command.commandLine)) {
    lines.push(`complete -c awsmfa -n '__fish_seen_subcommand_from ${c.name}; and contains -- -- (commandline -opc)' -a '(__awsmfa_complete_command)'`)
  }
  // Each command's options, --help included.
  const shared = new Map<string, string[]>()
  for (const c of lists.commands) {
    for (const option of c.options) {
      const flags = optionFlags(option)
      shared.set(flags, [...(shared.get(flags) ?? []), c.name])
    }
  }
  for (const [flags, commands] of shared) lines.push(`complete -c awsmfa -n '__fish_seen_subcommand_from ${commands.join(' ')}' ${flags}`)
  return [
    'function __awsmfa_takes_value',
    `    builtin contains -- $argv[1] ${valueOptions(lists).join(' ')}`,
    'end',
    '',
    ...lines,
  ].join('\n')
}
