import { singleQuote as quoted } from '../posix.js'
import type { CompletedOption, CompletionLists } from './types.js'

/** `[` `]` and `:` end parts of an _arguments spec: escaped in a description. */
function described(text: string): string {
  return text.replace(/[[\]:\\]/g, '\\$&')
}

/** The _arguments specs of one option: each spelling excludes the others. */
function optionSpecs(option: CompletedOption): string[] {
  const help = option.spellings.includes('--help')
  const exclusive = help ? '(- *)' : option.spellings.length > 1 ? `(${option.spellings.join(' ')})` : ''
  return option.spellings.map((spelling) => {
    const takes = option.value === undefined ? '' : spelling.startsWith('--') ? '=' : '+'
    const value = option.value === undefined ? '' : `:${described(option.value.name)}:${option.value.words.length > 0 ? `(${option.value.words.join(' ')})` : ' '}`
    return quoted(`${exclusive}${spelling}${takes}[${described(option.summary)}]${value}`)
  })
}

/**
 * zsh's generated region of completions/_awsmfa: __awsmfa_command_list sets reply to the commands
 * for _describe; __awsmfa_command_specs sets reply to the _arguments specs of command $1 (options
 * and first argument); __awsmfa_profiles_follow is true when, in command $1, profiles follow the
 * first argument $2; __awsmfa_takes_command_line, when command $1 takes a command line after --.
 */
export function zshCompletionLists(lists: CompletionLists): string {
  const specs = lists.commands.flatMap((c) => {
    const first = c.first === undefined ? [] : 'profile' in c.first ? [quoted('1:target profile:__awsmfa_profiles')] : [quoted(`1:${c.first.name}:(${c.first.words.join(' ')})`)]
    return [`    (${c.name})`, '      reply=(', ...[...c.options.flatMap(optionSpecs), ...first].map((spec) => `        ${spec}`), '      )', '      ;;']
  })
  const follow = lists.commands.flatMap((c) => [...c.profilesAfterOne, ...c.profilesAfterMany].map((w) => `${c.name}:${w}`))
  const commandLine = lists.commands.filter((c) => c.commandLine).map((c) => c.name)
  return [
    'function __awsmfa_command_list {',
    '  reply=(',
    ...lists.commands.map((c) => `    ${quoted(`${c.name}:${c.summary}`)}`),
    '  )',
    '}',
    '',
    'function __awsmfa_top_specs {',
    `  reply=(${lists.topOptions.flatMap((o) => optionSpecs(o).map((spec) => spec.replace(/^'\(- \*\)/, "'(- 1 *)").replace(/^'\((--version -V)\)/, "'(- 1 *)"))).join(' ')})`,
    '}',
    '',
    'function __awsmfa_command_specs {',
    '  case $1 in',
    ...specs,
    '  esac',
    '}',
    '',
    'function __awsmfa_profiles_follow {',
    `  [[ $1:$2 == (${follow.length > 0 ? follow.join('|') : '-'}) ]]`,
    '}',
    '',
    'function __awsmfa_takes_command_line {',
    `  [[ $1 == (${commandLine.length > 0 ? commandLine.join('|') : '-'}) ]]`,
    '}',
  ].join('\n')
}
