# PowerShell completion for awsmfa: commands, options, --shell values, and after use/env/exec/doctor
# the profiles that can be targets (sections of the AWS config file with a role_arn), with account
# and role as the tooltip. Loaded by shells/awsmfa.ps1 and printed by `awsmfa init powershell`.
# The config file is read by PowerShell itself; no process starts, Node never does.

# Target profiles of $Env:AWS_CONFIG_FILE (else ~/.aws/config), parsed as the AWS SDK reads the
# file: `[profile NAME]` and `[default]` sections (NAME made of letters, digits and _-@+.%:/,
# optionally quoted), `;`/`#` comments, nested `key =` blocks. Objects with Name and Description.
function global:__awsmfa_profiles {
    $file = if ($Env:AWS_CONFIG_FILE) { $Env:AWS_CONFIG_FILE } else { Join-Path $HOME '.aws/config' }
    if ($file.StartsWith('~/')) { $file = Join-Path $HOME $file.Substring(2) }
    if (-not (Test-Path -LiteralPath $file -PathType Leaf)) { return }
    $roles = [ordered]@{}
    $name = $null
    $nested = $false
    foreach ($raw in [System.IO.File]::ReadLines($file)) {
        $line = ($raw -split '(?:^|\s)[;#]', 2)[0].Trim()
        if ($line.StartsWith('[') -and $line.EndsWith(']')) {
            $name = $null
            $nested = $false
            $section = $line.Substring(1, $line.Length - 2)
            if ($section -ceq 'default') { $name = 'default' }
            elseif ($section -cmatch '^profile\s(["'']?)([\w@+.%:/-]+)\1$') { $name = $Matches[2] }
            continue
        }
        if ($null -eq $name) { continue }
        $eq = $line.IndexOf('=')
        if ($eq -le 0) { continue }
        $key = $line.Substring(0, $eq).Trim()
        $value = $line.Substring($eq + 1).Trim()
        if ($value -eq '') { $nested = $true; continue }
        if ($nested -and $raw.TrimStart() -ceq $raw) { $nested = $false }
        if (-not $nested -and $key -ceq 'role_arn') { $roles[$name] = $value }
    }
    foreach ($entry in $roles.GetEnumerator()) {
        $parts = $entry.Value -split ':', 6
        $account = if ($parts.Count -ge 5) { $parts[4] } else { '' }
        $role = if ($parts.Count -ge 6) { ($parts[5] -split '/')[-1] } else { '' }
        [pscustomobject]@{ Name = $entry.Key; Description = "$account $role".Trim() }
    }
}

Register-ArgumentCompleter -Native -CommandName awsmfa -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    # The words before the one being completed (that one ends at the cursor).
    $words = @($commandAst.CommandElements | Where-Object { $_.Extent.EndOffset -lt $cursorPosition } | ForEach-Object { $_.Extent.Text })
    $valueOptions = @('--shell', '--token-code', '-t', '--duration', '-d', '--region', '--session-name', '--min-remaining')
    $command = $null
    $positionals = 0
    $dashdash = $false
    for ($i = 1; $i -lt $words.Count; $i++) {
        $word = $words[$i]
        if ($dashdash) { $positionals++ }
        elseif ($word -ceq '--') { $dashdash = $true }
        elseif ($word.StartsWith('-')) { if ($valueOptions -ccontains $word) { $i++ } }
        elseif ($null -eq $command) { $command = $word }
        else { $positionals++ }
    }
    $previous = if ($words.Count -gt 0) { $words[-1] } else { '' }
    $reply = {
        param([string[]]$candidates, [string]$kind = 'ParameterValue')
        foreach ($candidate in $candidates) {
            if ($candidate.StartsWith($wordToComplete, [StringComparison]::Ordinal)) {
                [System.Management.Automation.CompletionResult]::new($candidate, $candidate, $kind, $candidate)
            }
        }
    }
    $session = @('--token-code', '-t', '--duration', '-d', '--region', '--session-name', '--verbose', '-v', '--help')
    if ($null -eq $command) {
        if ($wordToComplete.StartsWith('-')) { & $reply @('--help', '-h', '--version', '-V') 'ParameterName' }
        else { & $reply @('use', 'clear', 'env', 'exec', 'list', 'doctor', 'status', 'init', 'demo') 'Command' }
        return
    }
    if (-not $dashdash) {
        if ($previous -ceq '--shell') { & $reply @('bash', 'zsh', 'sh', 'fish', 'powershell', 'pwsh'); return }
        if (@('--duration', '-d', '--min-remaining') -ccontains $previous) { & $reply @('12h', '8h', '4h', '1h', '45m', '15m'); return }
        if ($valueOptions -ccontains $previous) { return }
    }
    if ($dashdash) { return }
    if ($wordToComplete.StartsWith('-')) {
        $options = switch ($command) {
            'use' { $session }
            'env' { $session + @('--shell', '--json') }
            'exec' { $session + @('--min-remaining', '--') }
            'list' { @('--json', '--help') }
            'doctor' { @('--online', '--help') }
            'status' { @('--verify', '--json', '--help') }
            default { @('--help') }
        }
        & $reply $options 'ParameterName'
        return
    }
    if ($positionals -gt 0) { return }
    if (@('use', 'env', 'exec', 'doctor') -ccontains $command) {
        foreach ($target in (__awsmfa_profiles)) {
            if ($target.Name.StartsWith($wordToComplete, [StringComparison]::Ordinal)) {
                $tip = if ($target.Description) { "$($target.Name): $($target.Description)" } else { $target.Name }
                [System.Management.Automation.CompletionResult]::new($target.Name, $target.Name, 'ParameterValue', $tip)
            }
        }
    } elseif ($command -ceq 'init') {
        & $reply @('bash', 'zsh', 'fish', 'powershell')
    }
}
