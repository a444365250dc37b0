/**
 * The PowerShell integration in real pwsh, each case once plain and once under the user's
 * `Set-StrictMode -Version Latest` and `$ErrorActionPreference = 'Stop'`; one pwsh process per
 * mode and way of loading (pwsh starts slowly). Loaded by dot-sourcing shells/awsmfa.ps1 (what
 * install.sh writes), by `Invoke-Expression (& awsmfa init powershell | Out-String)` (which
 * dot-sources that file) and by the text itself through Invoke-Expression (the standalone's init).
 * Proves: `--` and everything after it reach the program verbatim; `$?` and `$LASTEXITCODE` tell
 * the truth after use, clear and passthrough; a failed use leaves the environment identical;
 * clear restores; the prompt segment; completion offers nothing (not file names) where it has nothing.
 */
import { powershellQuote } from '../../lib/shells/powershell.js'
import t from 'tap'
import { execa } from 'execa'
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeWorld } from '../helpers/world.js'
import { requirePwsh } from '../helpers/shells.js'
import { shellRow } from '../helpers/shell-table.js'
import { ROOT, makeBin } from './common.js'

const STRICT = "Set-StrictMode -Version Latest\n$ErrorActionPreference = 'Stop'\n"
const LOAD = {
  'dot-sourced': `. ${powershellQuote(join(ROOT, 'shells/awsmfa.ps1'))}`,
  'init | Invoke-Expression': 'Invoke-Expression (& awsmfa init powershell | Out-String)',
  // What init prints from the standalone executable, which has no shells/ folder to dot-source.
  'text | Invoke-Expression (standalone)': `Invoke-Expression ((Get-Content -Raw -LiteralPath ${powershellQuote(join(ROOT, 'shells/awsmfa.ps1'))}) + (Get-Content -Raw -LiteralPath ${powershellQuote(join(ROOT, 'completions/awsmfa.ps1'))}))`,
} as const

// `say` writes one NAME=value line; values are kept ASCII by the test's own choice of text.
const SCRIPT = String.raw`
function say([string]$name, $value) { [Console]::Out.WriteLine("$name=$value") }
$Env:AWS_PROFILE = 'dev'
$before = (Get-ChildItem Env: | Where-Object { $_.Name -like 'AWS*' } | ForEach-Object { "$($_.Name)=$($_.Value)" }) -join ';'

awsmfa use prod -t 000000 2>$null && say CHAIN_AFTER_FAILED_USE ran
say FAILED_USE "$? $LASTEXITCODE"
$after = (Get-ChildItem Env: | Where-Object { $_.Name -like 'AWS*' } | ForEach-Object { "$($_.Name)=$($_.Value)" }) -join ';'
say FAILED_USE_ENV_SAME ($before -ceq $after)

awsmfa use prod -t $Env:T_CODE 2>$null
say USE "$? $LASTEXITCODE"
say KEY $Env:AWS_ACCESS_KEY_ID
say PROMPT "[$(awsmfa_prompt)]"
$Env:AWSMFA_WARN_MINUTES = '720'
say PROMPT_WARN "[$(awsmfa_prompt 2>$null)]"

awsmfa exec prod -- argv -o x -- -t:123456 -t 012345 "a b" '' "it's"
say EXEC "$? $LASTEXITCODE"
awsmfa exec prod -- sh -c 'exit 0'
say EXEC_OK "$? $LASTEXITCODE"
awsmfa list 2>$null | Out-Null
say LIST "$? $LASTEXITCODE"
awsmfa bogus-command 2>$null
say PASSTHROUGH_FAIL "$? $LASTEXITCODE"

awsmfa clear 2>$null
say CLEAR "$? $LASTEXITCODE"
say RESTORED "$Env:AWS_PROFILE|$Env:AWS_ACCESS_KEY_ID|"
awsmfa clear extra 2>$null
say CLEAR_BAD "$? $LASTEXITCODE"

$cases = [ordered]@{ TAB_DURATION = 'awsmfa use -d '; TAB_TOKEN = 'awsmfa use -t '; TAB_AFTER_PROFILE = 'awsmfa use prod '; TAB_NO_MATCH = 'awsmfa use zzz'; TAB_PROFILE = 'awsmfa use p' }
foreach ($name in $cases.Keys) {
    $line = $cases[$name]
    try {
        $found = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object { $_.CompletionText })
        say $name ($found -join ',')
    } catch {
        # pwsh 7.6 reports the completer's "nothing, no file names" ('') as this failure.
        say $name "NOTHING:$($_.Exception.InnerException -is [System.Management.Automation.PSArgumentNullException] -or $_.Exception.Message -match 'completionText')"
    }
}
say TAB_TIP ((TabExpansion2 -inputScript 'awsmfa use p' -cursorColumn 12).CompletionMatches[0].ToolTip)
say DONE yes
`

function parse(stdout: string): Map<string, string> {
  const seen = new Map<string, string>()
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=')
    if (eq > 0 && /^[A-Z_]+$/.test(line.slice(0, eq))) seen.set(line.slice(0, eq), line.slice(eq + 1))
  }
  return seen
}

for (const strict of [false, true]) {
  for (const [how, load] of Object.entries(LOAD)) {
    t.test(`pwsh, integration ${how}${strict ? ', StrictMode Latest + ErrorAction Stop' : ''}`, async (t) => {
      const pwsh = requirePwsh(t)
      if (pwsh === undefined) return
      const world = await makeWorld(t)
      const bin = makeBin(t)
      // A program that shows each argument it got, then fails with 3.
      writeFileSync(join(bin, 'argv'), '#!/bin/sh\nfor a; do printf "<%s>" "$a"; done; echo; exit 3\n')
      chmodSync(join(bin, 'argv'), 0o755)
      // Files a fallback to file-name completion would offer.
      writeFileSync(join(world.home, 'prod-file.txt'), '')
      writeFileSync(join(world.home, 'zzz-file.txt'), '')
      const worldEnv = world.env()
      const result = await execa(pwsh, shellRow('powershell').command(`${strict ? STRICT : ''}${load}\n${SCRIPT}`), {
        cwd: world.home,
        env: { ...worldEnv, PATH: `${bin}:${worldEnv.PATH}`, T_CODE: world.code() },
        extendEnv: false,
        reject: false,
        timeout: 120_000,
      })
      const seen = parse(result.stdout)
      t.equal(seen.get('DONE'), 'yes', `the script ran to the end\n${result.stderr}`)
      for (const line of result.stderr.split('\n').filter((l) => l !== '')) {
        t.match(line, /^(?:awsmfa: |  fix: )/, `stderr holds awsmfa's messages only (no StrictMode error, no exception): ${line}`)
      }
      // $? can only be set by a script's exit: the dot-sourced file makes `awsmfa` that script, and
      // `awsmfa init powershell` from a checkout prints the line that dot-sources it. The text itself
      // through Invoke-Expression (the standalone executable's init) is a function: $? always True.
      const truthful$ = !how.includes('standalone')
      if (truthful$) t.notOk(seen.has('CHAIN_AFTER_FAILED_USE'), '`awsmfa use` with a rejected code && … does not run the right side')
      t.equal(seen.get('FAILED_USE'), `${truthful$ ? 'False' : 'True'} 1`, `failed use: $LASTEXITCODE 1${truthful$ ? ', $? False' : ''}`)
      t.equal(seen.get('FAILED_USE_ENV_SAME'), 'True', 'a failed use leaves every AWS* variable as it was')
      t.equal(seen.get('USE'), 'True 0', 'use: $? True, $LASTEXITCODE 0')
      t.equal(seen.get('KEY'), world.emulator.issued.at(-1)?.accessKeyId, 'the session is in this shell')
      t.match(seen.get('PROMPT'), /^\[prod (?:11h59m|12h00m)\]$/, 'prompt segment')
      t.match(seen.get('PROMPT_WARN'), /^\[prod (?:11h59m|12h00m)\]$/, 'prompt segment with AWSMFA_WARN_MINUTES set')
      t.equal(result.stdout.match(/^<.*>$/m)?.[0], "<-o><x><--><-t:123456><-t><012345><a b><><it's>", 'exec: everything after -- verbatim, the second -- included')
      t.equal(seen.get('EXEC'), `${truthful$ ? 'False' : 'True'} 3`, `exec passthrough: $LASTEXITCODE 3${truthful$ ? ', $? False' : ''}`)
      t.equal(seen.get('EXEC_OK'), 'True 0')
      t.equal(seen.get('LIST'), 'True 0', 'list: $? True, 0')
      t.equal(seen.get('PASSTHROUGH_FAIL'), `${truthful$ ? 'False' : 'True'} 2`, 'an unknown command: exit 2')
      t.equal(seen.get('CLEAR'), 'True 0')
      t.equal(seen.get('RESTORED'), 'dev||', 'clear restored AWS_PROFILE and removed the keys')
      t.equal(seen.get('CLEAR_BAD'), `${truthful$ ? 'False' : 'True'} 2`, 'clear with an argument: usage error')
      for (const name of ['TAB_DURATION', 'TAB_PROFILE']) t.notMatch(seen.get(name), /file|NOTHING/, `${name}: awsmfa's own candidates`)
      t.equal(seen.get('TAB_PROFILE'), 'prod', 'profile completion offers the target')
      t.equal(seen.get('TAB_TIP'), 'prod: 123456789034 ServerworksRolePU', 'with account and role as the tooltip')
      for (const name of ['TAB_TOKEN', 'TAB_AFTER_PROFILE', 'TAB_NO_MATCH']) t.equal(seen.get(name), 'NOTHING:True', `${name}: nothing, and no file names`)
    })
  }
}
