/**
 * Windows PowerShell 5.1, by syntax: the shipped PowerShell files, `awsmfa init powershell` and
 * generated `env --shell powershell` text use no syntax that 5.1 lacks. pwsh's own parser reads
 * them ([System.Management.Automation.Language.Parser]::ParseInput); the tokens and syntax-tree
 * nodes that exist only in pwsh 7 fail the test: `??`, `??=`, `?.`, `?[`, the ternary `? :`, `&&`
 * and `||` pipeline chains, `ForEach-Object -Parallel`, `clean {}` blocks. A sample holding each
 * of them must be caught (the check has teeth). Behaviour in 5.1 is NOT tested (no 5.1 here).
 */
import t from 'tap'
import { execa } from 'execa'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { HOSTILE_SECRET, HOSTILE_TOKEN } from '../helpers/hostile-keys.js'
import { powershell } from '../../lib/shells/powershell.js'
import { HOSTILE_PROFILE, HOSTILE_ROLE } from '../hardening/hostile-data.js'
import { requirePwsh } from '../helpers/shells.js'
import { shellRow } from '../helpers/shell-table.js'
import { VECTORS, CANARIES } from '../shells/vectors.js'
import { CLI, FILES, ROOT, tempDir } from './common.js'

/** Prints `NAME: what at line N` for each pwsh-7-only construct in the file given as $args[0]. */
const CHECK = String.raw`
$text = [System.IO.File]::ReadAllText($args[0])
$tokens = $null; $errors = $null
$ast = [System.Management.Automation.Language.Parser]::ParseInput($text, [ref]$tokens, [ref]$errors)
foreach ($e in $errors) { "parse error: $($e.Message) at line $($e.Extent.StartLineNumber)" }
$newTokens = @('QuestionQuestion', 'QuestionQuestionEquals', 'QuestionDot', 'QuestionLBracket', 'AndAnd', 'OrOr', 'Clean')
foreach ($token in $tokens) {
    if ($newTokens -contains [string]$token.Kind) { "token $($token.Kind) '$($token.Text)' at line $($token.Extent.StartLineNumber)" }
}
$nodes = $ast.FindAll({ param($n)
    $n -is [System.Management.Automation.Language.TernaryExpressionAst] -or
    $n -is [System.Management.Automation.Language.PipelineChainAst] -or
    ($n -is [System.Management.Automation.Language.CommandParameterAst] -and 'Parallel'.StartsWith($n.ParameterName, [StringComparison]::OrdinalIgnoreCase) -and $n.ParameterName.Length -ge 2) -or
    ($n -is [System.Management.Automation.Language.ScriptBlockAst] -and $null -ne $n.CleanBlock)
}, $true)
foreach ($n in $nodes) { "syntax $($n.GetType().Name) '$($n.Extent.Text.Split([char]10)[0])' at line $($n.Extent.StartLineNumber)" }
`

const SAMPLES: Record<string, string> = {
  '??': '$a = $b ?? 1',
  '??=': '$a ??= 1',
  '?.': '${a}?.Length',
  '?[': '${a}?[0]',
  ternary: '$a = $true ? 1 : 2',
  '&&': 'Get-Date && Get-Date',
  '||': 'Get-Date || Get-Date',
  '-Parallel': '1..2 | ForEach-Object -Parallel { $_ }',
  clean: 'function f { process { 1 } clean { 2 } }',
}

t.test('PowerShell text parses with Windows PowerShell 5.1 syntax only', async (t) => {
  const pwsh = requirePwsh(t)
  if (pwsh === undefined) return
  const dir = tempDir(t, 'awsmfa-ps51-')
  const check = join(dir, 'check.ps1')
  writeFileSync(check, CHECK)
  const init = await execa(process.execPath, [CLI, 'init', 'powershell'], { reject: false })
  t.equal(init.exitCode, 0, 'awsmfa init powershell')
  const generated = [...VECTORS, ...CANARIES, HOSTILE_PROFILE, HOSTILE_ROLE, HOSTILE_SECRET, HOSTILE_TOKEN].map((v, i) => powershell.set(`AWSMFA_V${i}`, v))
  const inputs: Record<string, string> = {
    [FILES.powershell.integration]: join(ROOT, FILES.powershell.integration),
    [FILES.powershell.completion]: join(ROOT, FILES.powershell.completion),
  }
  for (const [name, text] of Object.entries({ 'init powershell': init.stdout, 'env --shell powershell text': generated.join('\n'), ...Object.fromEntries(Object.entries(SAMPLES).map(([k, v]) => [`sample ${k}`, v])) })) {
    const file = join(dir, `${Object.keys(inputs).length}.ps1`)
    writeFileSync(file, text)
    inputs[name] = file
  }
  // One pwsh for every input: it starts slowly.
  const files = Object.entries(inputs)
  const driver = files.map(([, file], i) => `"@@${i}"; & '${check}' '${file}'`).join('\n')
  const result = await execa(pwsh, shellRow('powershell').command(driver), { reject: false })
  t.equal(result.exitCode, 0, `the checker ran\n${result.stderr}`)
  const found = new Map<string, string[]>()
  let current = ''
  for (const line of result.stdout.split('\n')) {
    const m = /^@@(\d+)$/.exec(line)
    if (m) current = files[Number(m[1])]?.[0] ?? ''
    else if (line.trim() !== '') found.set(current, [...(found.get(current) ?? []), line])
  }
  for (const [name] of files) {
    if (name.startsWith('sample ')) t.ok((found.get(name) ?? []).length > 0, `${name}: caught (${(found.get(name) ?? []).join('; ')})`)
    else t.same(found.get(name) ?? [], [], `${name}: no syntax Windows PowerShell 5.1 lacks`)
  }
})
