import type { CompletionLists } from './types.js'
import { optionValues, valueOptions } from './lists.js'

/**
 * bash's generated region of completions/awsmfa.bash: functions that add to COMPREPLY (through
 * __awsmfa_reply) the words of lib/command-line.ts that start with $1. Every word is a plain
 * shell word (letters, digits, `-`), so none needs quoting; bash 3.2 has no associative arrays.
 */
export function bashCompletionLists(lists: CompletionLists): string {
  const options = lists.commands.map((c) => `    ${c.name}) __awsmfa_reply "$1" ${[...c.options.flatMap((o) => o.spellings), ...(c.commandLine ? ['--'] : [])].join(' ')} ;;`)
  const values = optionValues(lists).map(([spellings, words]) => `    ${spellings.join(' | ')}) __awsmfa_reply "$1" ${words.join(' ')} ;;`)
  const profileFirst = lists.commands.filter((c) => c.first !== undefined && 'profile' in c.first).map((c) => `${c.name}:0`)
  const argument: string[] = []
  if (profileFirst.length > 0) argument.push(`    ${profileFirst.join(' | ')}) return 0 ;;`)
  for (const c of lists.commands) {
    if (c.first === undefined || !('words' in c.first)) continue
    argument.push(`    ${c.name}:0) __awsmfa_reply "$1" ${c.first.words.join(' ')} ;;`)
    const one = [...c.profilesAfterOne, ...c.profilesAfterMany]
    if (one.length > 0) argument.push(`    ${c.name}:1) [[ ${one.map((w) => `$4 == ${w}`).join(' || ')} ]] && return 0 ;;`)
    if (c.profilesAfterMany.length > 0) argument.push(`    ${c.name}:*) [[ ${c.profilesAfterMany.map((w) => `$4 == ${w}`).join(' || ')} ]] && return 0 ;;`)
  }
  const commandLine = lists.commands.filter((c) => c.commandLine).map((c) => c.name)
  return [
    '# The commands, in the order offered.',
    'function __awsmfa_reply_commands {',
    `  __awsmfa_reply "$1" ${lists.commands.map((c) => c.name).join(' ')}`,
    '}',
    '',
    '# The options of command $2 (\'\': before the command).',
    'function __awsmfa_reply_options {',
    '  case $2 in',
    `    '') __awsmfa_reply "$1" ${lists.topOptions.flatMap((o) => o.spellings).join(' ')} ;;`,
    ...options,
    '  esac',
    '}',
    '',
    '# True when option $1 takes a value (the next word).',
    'function __awsmfa_takes_value {',
    '  case $1 in',
    `    ${valueOptions(lists).join(' | ')}) return 0 ;;`,
    '  esac',
    '  return 1',
    '}',
    '',
    '# The values offered after option $2 (none: a value nobody can guess, a code or a name).',
    'function __awsmfa_reply_values {',
    '  case $2 in',
    ...values,
    '  esac',
    '}',
    '',
    '# The words plain argument $3 (0: the first) of command $2 may be, $4 being the first; true',
    '# when it is a target profile.',
    'function __awsmfa_reply_argument {',
    '  case $2:$3 in',
    ...argument,
    '  esac',
    '  return 1',
    '}',
    '',
    '# True when command $1 takes another program\'s command line after --.',
    'function __awsmfa_takes_command_line {',
    '  case $1 in',
    ...(commandLine.length > 0 ? [`    ${commandLine.join(' | ')}) return 0 ;;`] : []),
    '  esac',
    '  return 1',
    '}',
    '',
  ].join('\n')
}
