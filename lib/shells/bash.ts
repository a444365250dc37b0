import type { Shell } from './types.js'
import { assertVariableName } from './check.js'
import { bashZshQuote } from './posix.js'

/**
 * bash. `builtin` skips aliases and functions named `export`/`unset` (aliases are expanded in
 * `eval` text in interactive shells); the assignment word is fully quoted, so it does not matter
 * that `builtin export` may not get declaration-builtin parsing. `unset -v`: plain `unset` removes
 * a function of that name when no variable exists.
 */
export const bash: Shell = {
  name: 'bash',
  quote: bashZshQuote,
  set(name, value) {
    assertVariableName(name)
    return `builtin export ${name}=${bashZshQuote(value)}`
  },
  unset(name) {
    assertVariableName(name)
    return `builtin unset -v ${name}`
  },
  integrationFile: 'shells/awsmfa.bash',
  completionFile: 'completions/awsmfa.bash',
}
