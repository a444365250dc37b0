/**
 * The shipped scripts pass each shell's own checker: shellcheck (bash and POSIX sh), `zsh -n`
 * (shellcheck has no zsh mode), `fish --no-execute` and fish_indent, and pwsh's parser (pwsh
 * missing: a failure in CI, a skip locally). Windows PowerShell 5.1 syntax: powershell-syntax.test.ts.
 */
import { powershellQuote } from '../../lib/shells/powershell.js'
import t from 'tap'
import { execa } from 'execa'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { requireShell } from '../helpers/shells.js'
import { requireRow, shellRow } from '../helpers/shell-table.js'
import { FILES, ROOT, shipped } from './common.js'

t.test('shellcheck: bash integration, bash completion, install.sh', async (t) => {
  const shellcheck = await requireShell(t, 'shellcheck')
  for (const file of [FILES.bash.integration, FILES.bash.completion, 'install.sh']) {
    const result = await execa(shellcheck, ['--norc', '--severity=style', file], { cwd: ROOT, reject: false })
    t.equal(result.exitCode, 0, `${file} is shellcheck-clean\n${result.stdout}`)
  }
  const head = readFileSync(join(ROOT, 'install.sh'), 'utf8').split('\n')[0]
  t.equal(head, '#!/bin/sh', 'install.sh is POSIX sh, and shellcheck checked it as sh')
})

t.test('zsh -n: zsh integration and completion', async (t) => {
  const zsh = requireRow(t, shellRow('zsh'))
  if (zsh === undefined) return
  for (const file of [FILES.zsh.integration, FILES.zsh.completion]) {
    const result = await execa(zsh, ['-n', file], { cwd: ROOT, reject: false })
    t.equal(result.exitCode, 0, `${file} parses\n${result.stderr}`)
    t.equal(result.stderr, '')
  }
  t.match(shipped(FILES.zsh.completion), /^#compdef awsmfa\n/, '_awsmfa can also be autoloaded from $fpath')
})

t.test('fish --no-execute and fish_indent: fish integration and completion', async (t) => {
  const fish = requireRow(t, shellRow('fish'))
  if (fish === undefined) return
  const fishIndent = await requireShell(t, 'fish_indent')
  for (const file of [FILES.fish.integration, FILES.fish.completion]) {
    const parsed = await execa(fish, ['--no-execute', file], { cwd: ROOT, reject: false })
    t.equal(parsed.exitCode, 0, `${file} parses\n${parsed.stderr}`)
    const text = shipped(file)
    const indented = await execa(fishIndent, [], { input: text, reject: false, stripFinalNewline: false })
    t.equal(indented.exitCode, 0)
    t.equal(indented.stdout, text, `${file} is as fish_indent writes it`)
  }
})

t.test('PowerShell: the files parse in pwsh; exact strings', async (t) => {
  const pwsh = requireRow(t, shellRow('powershell'))
  if (pwsh === undefined) return
  const files = [FILES.powershell.integration, FILES.powershell.completion]
  for (const file of files) {
    const script = `$e = $null; [void][System.Management.Automation.Language.Parser]::ParseFile(${powershellQuote(join(ROOT, file))}, [ref]$null, [ref]$e); $e | ForEach-Object { $_.ToString() }; exit $e.Count`
    const result = await execa(pwsh, ['-NoProfile', '-NonInteractive', '-Command', script], { reject: false })
    t.equal(result.exitCode, 0, `${file} parses in pwsh\n${result.stdout}`)
    // A cmdlet by its bare name would run a profile's alias or function of that name instead.
    const bare = `$ast = [System.Management.Automation.Language.Parser]::ParseFile(${powershellQuote(join(ROOT, file))}, [ref]$null, [ref]$null); $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object { $_.GetCommandName() } | Where-Object { $_ -match '^[A-Za-z]+-[A-Za-z]+$' }`
    const calls = await execa(pwsh, ['-NoProfile', '-NonInteractive', '-Command', bare], { reject: false })
    t.equal(calls.exitCode, 0, calls.stderr)
    t.same(calls.stdout.split('\n').filter((line) => line !== ''), [], `${file} calls every cmdlet by its module-qualified name`)
  }

  const integration = shipped(FILES.powershell.integration)
  t.match(integration, /^\$Env:AWSMFA_SHELL = \$null$/m, 'removes an AWSMFA_SHELL an earlier version left in the environment')
  t.match(
    integration,
    /\$previousShell = \[Environment\]::GetEnvironmentVariable\('AWSMFA_SHELL'\)\n\s+\$Env:AWSMFA_SHELL = 'powershell'\n\s+\$interrupted = \$false\n\s+try \{\n[\s\S]*& \$exe @argv\n\s+\} finally \{\n(?:\s+#.*\n)*\s+if \(\$interrupted\) \{ \[Console\]::Error\.WriteLine\(\) \}\n\s+\$Env:AWSMFA_SHELL = \$previousShell\n/,
    'sets AWSMFA_SHELL only around the calls, and a finally puts back what was there, or its absence',
  )
  t.equal(integration.match(/\$Env:AWSMFA_SHELL = 'powershell'/g)?.length, 1, 'and nowhere else')
  t.match(integration, /\$out = & \$exe env --shell powershell @rest\n\s+\$interrupted = \$false\n\s+if \(\$LASTEXITCODE -ne 0\) \{ return \}/, 'captures env output and stops on failure')
  t.match(integration, /Microsoft\.PowerShell\.Utility\\Invoke-Expression \(@\(\$out\) -join "`n"\)/, 'applies the output only after the check')
  t.match(integration, /-CommandType Application/, 'calls the program, not itself')
  t.match(integration, /\[DateTimeOffset\]::UtcNow\.ToUnixTimeSeconds\(\)/, 'prompt clock without a process')
  t.match(integration, /'\{0\} \{1\}h\{2:00\}m' -f/, 'the 11h59m format')
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWSMFA_PROFILE', 'AWSMFA_EXPIRATION', 'AWSMFA_ROLE_ARN']) {
    t.match(integration, new RegExp(`'${name}'`), `clear removes ${name}`)
  }
  const saved = "'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_CREDENTIAL_EXPIRATION'"
  t.match(integration, `if (-not $Env:AWSMFA_PROFILE) {\n                    $names += @(${saved})`, "the first use saves the user's own keys (not an awsmfa session's)")
  t.match(integration, `'AWS_DEFAULT_REGION',\n                    ${saved}) {\n                    if ($global:__awsmfa_saved.ContainsKey($name)`, 'and clear restores them')
  t.notMatch(integration, /\$\(\s*awsmfa/, 'never evaluates a subexpression of the program')
  const completion = shipped(FILES.powershell.completion)
  t.match(completion, /Register-ArgumentCompleter -Native -CommandName awsmfa/)
  t.match(completion, /\[System\.IO\.File\]::ReadLines\(\$file\)/, 'reads the config in-process (no Node, no child)')
  t.match(completion, /__awsmfa_ini_roles \$\(if \(\$Env:AWS_SHARED_CREDENTIALS_FILE\) \{ \$Env:AWS_SHARED_CREDENTIALS_FILE \} else \{ Microsoft\.PowerShell\.Management\\Join-Path \$HOME '\.aws\/credentials' \}\)/, 'and the credentials file')
  t.match(completion, /foreach \(\$entry in \$credentials\.Roles\.GetEnumerator\(\)\) \{ \$targets\[\$entry\.Key\] = \$entry\.Value \}/, 'whose role_arn wins over the config file')
  t.match(completion, /CompletionResult\]::new\(\$target\.Name, \$target\.Name, 'ParameterValue', \$tip\)/, 'profile tooltips')
})
