import type { ShellSyntax } from './types.js'
import { assertValue, assertVariableName } from './check.js'
import { configHome } from './startup.js'

/**
 * Characters written raw inside '…': printable ASCII only. Everything else — controls, DEL, and
 * every character above U+007E — is joined in as [char]0xHHHH, so the text is pure ASCII and no
 * console code page PowerShell decodes it with (cp932, cp936, cp949, cp950, cp1252, …) can turn
 * its bytes into a quote or a line break. That also covers the four typographic single quotes
 * PowerShell's tokenizer takes as ' (U+2018–U+201B), U+0085 and U+2028/U+2029.
 */
const RAW = /^[\x20-\x7e]$/
const ALL_RAW = /^[\x20-\x7e]*$/

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}

/** One UTF-16 code unit: an astral character becomes its two halves, as .NET strings hold it. */
function charCode(unit: number): string {
  return `[char]0x${unit.toString(16).toUpperCase().padStart(4, '0')}`
}

/**
 * A verbatim `'…'` string: nothing inside expands (`$` and the backtick are literal); `'` is
 * doubled. Other characters are joined in as `[char]0xHHHH` in a parenthesised `+` chain whose
 * first operand is a string (`'' + …` when the value starts with one), so `+` concatenates strings
 * instead of adding numbers: `('caf' + [char]0x00E9)`.
 */
export function powershellQuote(value: string): string {
  assertValue(value)
  if (ALL_RAW.test(value)) return literal(value)
  const parts: string[] = []
  let run = ''
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string
    if (RAW.test(ch)) {
      run += ch
      continue
    }
    if (run !== '' || parts.length === 0) parts.push(literal(run))
    run = ''
    parts.push(charCode(value.charCodeAt(i)))
  }
  if (run !== '') parts.push(literal(run))
  return `(${parts.join(' + ')})`
}

/**
 * PowerShell (pwsh 7 and Windows PowerShell 5.1). Both statements are assignments, not commands,
 * so no alias or function of the user's applies (`set` is a built-in alias of Set-Variable, and a
 * profile may wrap Remove-Item): `$Env:NAME = …` sets, `$Env:NAME = $null` removes, in every
 * version. Assigning `''` deletes the variable before pwsh 7.5 and keeps it empty from 7.5, so an
 * empty value is always written as the removal: every version ends up with the variable absent.
 */
export const powershell: ShellSyntax<'powershell'> = {
  name: 'powershell',
  aliases: ['pwsh'],
  quote: powershellQuote,
  set(name, value) {
    assertVariableName(name)
    assertValue(value)
    if (value === '') return powershell.unset(name)
    return `$Env:${name} = ${powershellQuote(value)}`
  },
  unset(name) {
    assertVariableName(name)
    return `$Env:${name} = $null`
  },
  unsetHint: (names) => names.map((name) => `Remove-Item Env:${name}`).join('; '),
  integrationFile: 'shells/awsmfa.ps1',
  completionFile: 'completions/awsmfa.ps1',
  install: { line: 'Invoke-Expression (& awsmfa init powershell | Out-String)', rcFile: '$PROFILE' },
  startup: {
    program: 'pwsh',
    // $PROFILE (CurrentUserCurrentHost) of pwsh on Linux and macOS.
    rcFile: (env, home) => `${configHome(env, home)}/powershell/Microsoft.PowerShell_profile.ps1`,
    sourceLine(path) {
      const quoted = powershellQuote(path)
      return `if (Test-Path -LiteralPath ${quoted}) { . ${quoted} }`
    },
    pathLine(dir) {
      const quoted = powershellQuote(dir)
      return `if (-not (($env:PATH -split [IO.Path]::PathSeparator) -ccontains ${quoted})) { $env:PATH = ${quoted} + [IO.Path]::PathSeparator + $env:PATH }`
    },
  },
  initSourcesFile: true,
}
