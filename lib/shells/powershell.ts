import type { Shell } from './types.js'
import { assertValue, assertVariableName } from './check.js'

/** The five characters PowerShell's tokenizer takes as a single quote: ' ‘ ’ ‚ ‛ */
const QUOTES = /['\u2018\u2019\u201A\u201B]/g

/**
 * Characters never written raw: C0 controls and DEL, the C1 controls (U+0085 NEL among them) and
 * U+2028/U+2029. None may break a line when PowerShell or the caller splits our output into lines.
 */
const UNPRINTABLE = /[\x01-\x1f\x7f-\x9f\u2028\u2029]/

function literal(text: string): string {
  return `'${text.replace(QUOTES, (q) => q + q)}'`
}

function charCode(ch: string): string {
  const code = ch.charCodeAt(0)
  return `[char]0x${code.toString(16).toUpperCase().padStart(code > 0xff ? 4 : 2, '0')}`
}

/**
 * A verbatim `'…'` string: nothing inside expands (`$` and the backtick are literal); each of the
 * five quote characters is doubled. Unprintable characters are joined in as `[char]0xHH` in a
 * parenthesised `+` chain whose first operand is a string (`'' + …` when the value starts with one),
 * so `+` concatenates strings instead of adding numbers: `('a' + [char]0x0A + 'b')`.
 */
export function powershellQuote(value: string): string {
  assertValue(value)
  if (!UNPRINTABLE.test(value)) return literal(value)
  const parts: string[] = []
  let run = ''
  for (const ch of value) {
    if (UNPRINTABLE.test(ch)) {
      if (run !== '' || parts.length === 0) parts.push(literal(run))
      run = ''
      parts.push(charCode(ch))
    } else {
      run += ch
    }
  }
  if (run !== '') parts.push(literal(run))
  return `(${parts.join(' + ')})`
}

/**
 * PowerShell (pwsh 7 and Windows PowerShell 5.1). `$Env:NAME = …` is an assignment, not a command,
 * so no alias applies (`set` is a built-in alias of Set-Variable). Assigning `''` deletes the
 * variable before pwsh 7.5 and keeps it empty from 7.5, so an empty value is always written as
 * the removal: every version ends up with the variable absent.
 */
export const powershell: Shell = {
  name: 'powershell',
  quote: powershellQuote,
  set(name, value) {
    assertVariableName(name)
    assertValue(value)
    if (value === '') return powershell.unset(name)
    return `$Env:${name} = ${powershellQuote(value)}`
  },
  unset(name) {
    assertVariableName(name)
    return `Remove-Item -LiteralPath 'Env:/${name}' -ErrorAction SilentlyContinue`
  },
  integrationFile: 'shells/awsmfa.ps1',
  completionFile: 'completions/awsmfa.ps1',
  install: { line: 'Invoke-Expression (& awsmfa init powershell | Out-String)', rcFile: '$PROFILE' },
}
