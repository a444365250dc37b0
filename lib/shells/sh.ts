import type { ShellSyntax } from './types.js'
import { assertVariableName } from './check.js'
import { guardedScript, posixUnsetHint, shWord } from './posix.js'

/**
 * POSIX sh (dash), and the default output that bash and zsh read as well. dash has no `$'…'`, so
 * values are always plain single quotes; raw newlines and control bytes inside them survive
 * `eval "$(…)"` in dash, bash and zsh. dash has no `builtin`: the backslash in `\export` and
 * `\unset` quotes the command word, which stops alias expansion in all three shells (dash refuses
 * functions with those names; bash and zsh functions could still shadow them, use --shell there).
 * The one exception to "one statement, one line": a value holding CR or LF keeps it raw inside the
 * quotes (POSIX sh has no escape for it), so such a statement spans lines but is still one statement.
 */
export const sh: ShellSyntax<'sh'> = {
  name: 'sh',
  quote: shWord,
  set(name, value) {
    assertVariableName(name)
    return `\\export ${name}=${shWord(value)};`
  },
  unset(name) {
    assertVariableName(name)
    return `\\unset -v ${name};`
  },
  unsetHint: posixUnsetHint,
  script: guardedScript,
}
