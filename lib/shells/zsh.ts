import type { Shell } from './types.js'
import { assertVariableName } from './check.js'
import { bashZshQuote } from './posix.js'

/**
 * zsh. Same quoting as bash (`'…'`, or `$'…'` with control characters). `builtin` skips aliases
 * (zsh expands them in `eval` text even non-interactively) and functions named `export`/`unset`.
 */
export const zsh: Shell = {
  name: 'zsh',
  quote: bashZshQuote,
  set(name, value) {
    assertVariableName(name)
    return `builtin export ${name}=${bashZshQuote(value)}`
  },
  unset(name) {
    assertVariableName(name)
    return `builtin unset -v ${name}`
  },
  integrationFile: 'shells/awsmfa.zsh',
  completionFile: 'completions/_awsmfa',
}
