# PowerShell completion for awsmfa: commands, options, --shell values, and after use/env/exec/doctor
# the profiles that can be targets (profiles of the AWS config and credentials files with a
# role_arn), with account and role as the tooltip. Loaded by shells/awsmfa.ps1 and printed by
# `awsmfa init powershell`. The files are read by PowerShell itself; no process starts, Node never
# does.

# One shared file as the AWS SDK's INI loader reads it: `[PREFIX NAME]` (NAME made of letters,
# digits and _-@+.%:/, optionally quoted) is PREFIX.NAME for the prefixes profile, sso-session and
# services and nothing for others; any other section is its text; `;`/`#` comments; nested `key =`
# blocks. Returns the role_arn of each section, and whether [profile default] holds any key. A
# __proto__ section makes the SDK drop the whole file.
function global:__awsmfa_ini_roles {
    param([string]$file)
    $roles = [System.Collections.Specialized.OrderedDictionary]::new([StringComparer]::Ordinal)
    $none = @{ Roles = [System.Collections.Specialized.OrderedDictionary]::new(); ProfileDefault = $false }
    if ($file.StartsWith('~/')) { $file = Join-Path $HOME $file.Substring(2) }
    if (-not (Test-Path -LiteralPath $file -PathType Leaf)) { return $none }
    $profileDefault = $false
    $section = $null
    $nested = $false
    foreach ($raw in [System.IO.File]::ReadLines($file)) {
        $line = ($raw -split '(?:^|\s)[;#]', 2)[0].Trim()
        if ($line.StartsWith('[') -and $line.EndsWith(']')) {
            $nested = $false
            $text = $line.Substring(1, $line.Length - 2)
            if ($text -ceq '__proto__' -or $text -ceq 'profile __proto__') { return $none }
            if ($text -cmatch '^([A-Za-z0-9_-]+)\s(["'']?)([A-Za-z0-9_@+.%:/-]+)\2$') {
                $section = if (@('profile', 'sso-session', 'services') -ccontains $Matches[1]) { "$($Matches[1]).$($Matches[3])" } else { $null }
            } else {
                $section = $text
            }
            continue
        }
        if (-not $section) { continue }
        $eq = $line.IndexOf('=')
        if ($eq -le 0) { continue }
        $key = $line.Substring(0, $eq).Trim()
        $value = $line.Substring($eq + 1).Trim()
        if ($value -eq '') { $nested = $true; continue }
        if ($nested -and $raw.TrimStart() -ceq $raw) { $nested = $false }
        if ($section -ceq 'profile.default') { $profileDefault = $true }
        if (-not $nested -and $key -ceq 'role_arn') { $roles[$section] = $value }
    }
    return @{ Roles = $roles; ProfileDefault = $profileDefault }
}

# Target profiles: the profiles with a role_arn in $Env:AWS_CONFIG_FILE (else ~/.aws/config) and
# $Env:AWS_SHARED_CREDENTIALS_FILE (else ~/.aws/credentials), merged per key as the SDK merges them
# (the credentials file wins): `[profile NAME]` and `[default]` in the config file (where
# [profile default] with any key replaces [default]), `[NAME]` in the credentials file. Names that
# are not one word of _-@+.%:/, letters and digits are left out. Objects with Name and Description.
function global:__awsmfa_profiles {
    $config = __awsmfa_ini_roles $(if ($Env:AWS_CONFIG_FILE) { $Env:AWS_CONFIG_FILE } else { Join-Path $HOME '.aws/config' })
    $credentials = __awsmfa_ini_roles $(if ($Env:AWS_SHARED_CREDENTIALS_FILE) { $Env:AWS_SHARED_CREDENTIALS_FILE } else { Join-Path $HOME '.aws/credentials' })
    $targets = [System.Collections.Specialized.OrderedDictionary]::new([StringComparer]::Ordinal)
    foreach ($entry in $config.Roles.GetEnumerator()) {
        if ($entry.Key -ceq 'default') {
            if ($config.ProfileDefault) { continue }
            $targets['default'] = $entry.Value
        } elseif ($entry.Key.StartsWith('profile.', [StringComparison]::Ordinal)) {
            $targets[$entry.Key.Substring(8)] = $entry.Value
        }
    }
    foreach ($entry in $credentials.Roles.GetEnumerator()) { $targets[$entry.Key] = $entry.Value }
    foreach ($entry in $targets.GetEnumerator()) {
        if ($entry.Key -cnotmatch '^[A-Za-z0-9_@+.%:/-]+$' -or $entry.Key -cmatch '^(sso-session|services)\.') { continue }
        $parts = $entry.Value -split ':', 6
        $account = if ($parts.Count -ge 5) { $parts[4] } else { '' }
        $role = if ($parts.Count -ge 6) { ($parts[5] -split '/')[-1] } else { '' }
        [pscustomobject]@{ Name = $entry.Key; Description = "$account $role".Trim() }
    }
}

Register-ArgumentCompleter -Native -CommandName awsmfa -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $dashdash = $false
    $offered = @(. {
    # The words before the one being completed (that one ends at the cursor).
    $words = @($commandAst.CommandElements | Where-Object { $_.Extent.EndOffset -lt $cursorPosition } | ForEach-Object { $_.Extent.Text })
    $valueOptions = @('--shell', '--token-code', '-t', '--duration', '-d', '--region', '--session-name', '--min-remaining')
    $command = $null
    $positionals = 0
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
                # The tooltip comes from the config: printable ASCII only (__awsmfa_printable, shells/awsmfa.ps1).
                $tip = if ($target.Description) { "$($target.Name): $(__awsmfa_printable $target.Description)" } else { $target.Name }
                [System.Management.Automation.CompletionResult]::new($target.Name, $target.Name, 'ParameterValue', $tip)
            }
        }
    } elseif ($command -ceq 'init') {
        & $reply @('bash', 'zsh', 'fish', 'powershell')
    }
    })
    if ($offered.Count -gt 0) { return $offered }
    # After `--` the words are the command's: PowerShell's own completion (file names) applies.
    if ($dashdash) { return }
    # Nothing to offer: '' tells PowerShell not to fall back to file names (pwsh 7.6 reports it as
    # a failed completion, which PSReadLine ignores; later versions take '' as "no completion").
    return ''
}
