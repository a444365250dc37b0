# Parts of this file are generated from lib/shells/completion/ by npm run gen:completions.
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
    # mfa_serial and the keys, per section: a profile with all three and no role_arn is a user session.
    $userKeys = [System.Collections.Specialized.OrderedDictionary]::new([StringComparer]::Ordinal)
    $none = @{ Roles = [System.Collections.Specialized.OrderedDictionary]::new(); UserKeys = [System.Collections.Specialized.OrderedDictionary]::new(); ProfileDefault = $false }
    if ($file.StartsWith('~/')) { $file = Microsoft.PowerShell.Management\Join-Path $HOME $file.Substring(2) }
    if (-not (Microsoft.PowerShell.Management\Test-Path -LiteralPath $file -PathType Leaf)) { return $none }
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
        if (-not $nested -and @('mfa_serial', 'aws_access_key_id', 'aws_secret_access_key') -ccontains $key) {
            if (-not $userKeys.Contains($section)) { $userKeys[$section] = @{} }
            $userKeys[$section][$key] = $value
        }
    }
    return @{ Roles = $roles; UserKeys = $userKeys; ProfileDefault = $profileDefault }
}

# Target profiles: the profiles with a role_arn in $Env:AWS_CONFIG_FILE (else ~/.aws/config) and
# $Env:AWS_SHARED_CREDENTIALS_FILE (else ~/.aws/credentials), merged per key as the SDK merges them
# (the credentials file wins): `[profile NAME]` and `[default]` in the config file (where
# [profile default] with any key replaces [default]), `[NAME]` in the credentials file. Names that
# are not one word of _-@+.%:/, letters and digits are left out. Objects with Name and Description.
function global:__awsmfa_profiles {
    $config = __awsmfa_ini_roles $(if ($Env:AWS_CONFIG_FILE) { $Env:AWS_CONFIG_FILE } else { Microsoft.PowerShell.Management\Join-Path $HOME '.aws/config' })
    $credentials = __awsmfa_ini_roles $(if ($Env:AWS_SHARED_CREDENTIALS_FILE) { $Env:AWS_SHARED_CREDENTIALS_FILE } else { Microsoft.PowerShell.Management\Join-Path $HOME '.aws/credentials' })
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
    # User sessions (lib/profiles.ts targetKind): mfa_serial and both keys, merged per key, no role_arn.
    $merged = [System.Collections.Specialized.OrderedDictionary]::new([StringComparer]::Ordinal)
    foreach ($entry in $config.UserKeys.GetEnumerator()) {
        $name = if ($entry.Key -ceq 'default') { if ($config.ProfileDefault) { $null } else { 'default' } } elseif ($entry.Key.StartsWith('profile.', [StringComparison]::Ordinal)) { $entry.Key.Substring(8) } else { $null }
        if ($name) { $merged[$name] = $entry.Value.Clone() }
    }
    foreach ($entry in $credentials.UserKeys.GetEnumerator()) {
        if (-not $merged.Contains($entry.Key)) { $merged[$entry.Key] = @{} }
        foreach ($k in $entry.Value.Keys) { $merged[$entry.Key][$k] = $entry.Value[$k] }
    }
    foreach ($entry in $merged.GetEnumerator()) {
        $v = $entry.Value
        if (-not $targets.Contains($entry.Key) -and $v['mfa_serial'] -and $v['aws_access_key_id'] -and $v['aws_secret_access_key']) {
            $targets[$entry.Key] = "user:$($v['mfa_serial'])"
        }
    }
    foreach ($entry in $targets.GetEnumerator()) {
        if ($entry.Key -cnotmatch '^[A-Za-z0-9_@+.%:/-]+$' -or $entry.Key -cmatch '^(sso-session|services)\.') { continue }
        if ($entry.Value.StartsWith('user:', [StringComparison]::Ordinal)) {
            $parts = $entry.Value.Substring(5) -split ':', 6
            [pscustomobject]@{ Name = $entry.Key; Description = "$(if ($parts.Count -ge 5) { $parts[4] } else { '' }) (user session)".Trim() }
            continue
        }
        $parts = $entry.Value -split ':', 6
        $account = if ($parts.Count -ge 5) { $parts[4] } else { '' }
        $role = if ($parts.Count -ge 6) { ($parts[5] -split '/')[-1] } else { '' }
        [pscustomobject]@{ Name = $entry.Key; Description = "$account $role".Trim() }
    }
}

Microsoft.PowerShell.Core\Register-ArgumentCompleter -Native -CommandName awsmfa -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $dashdash = $false
    $offered = @(. {
    # The words before the one being completed (that one ends at the cursor).
    $words = @($commandAst.CommandElements | Microsoft.PowerShell.Core\Where-Object { $_.Extent.EndOffset -lt $cursorPosition } | Microsoft.PowerShell.Core\ForEach-Object { $_.Extent.Text })
    # generated from lib/command-line.ts by npm run gen:completions; do not edit
    # The word lists of the command line (lib/command-line.ts). Options: each command's ('': before
    # one); ValueOptions take the next word; Values: offered after an option; ProfileFirst: commands whose
    # first plain argument is a target profile; Words: the words of a first argument; ProfilesAfterOne/
    # Many: "COMMAND WORD" after which one or any number of profiles follow; CommandLine: another
    # program's command line after --.
    $commandLine = @{
        Commands = @('use', 'clear', 'env', 'exec', 'console', 'list', 'doctor', 'status', 'agent', 'init', 'demo')
        Options = @{
            '' = @('--help', '-h', '--version', '-V')
            'use' = @('--token-code', '-t', '--duration', '-d', '--region', '--session-name', '--verbose', '-v', '--min-remaining', '--no-agent', '--help', '-h')
            'clear' = @('--help', '-h')
            'env' = @('--token-code', '-t', '--duration', '-d', '--region', '--session-name', '--verbose', '-v', '--min-remaining', '--no-agent', '--shell', '--json', '--help', '-h')
            'exec' = @('--token-code', '-t', '--duration', '-d', '--region', '--session-name', '--verbose', '-v', '--min-remaining', '--no-agent', '--help', '-h', '--')
            'console' = @('--min-remaining', '--no-agent', '--url', '--destination', '--region', '--token-code', '-t', '--duration', '-d', '--session-name', '--verbose', '-v', '--help', '-h')
            'list' = @('--json', '--help', '-h')
            'doctor' = @('--online', '--help', '-h')
            'status' = @('--verify', '--json', '--help', '-h')
            'agent' = @('--verbose', '-v', '--help', '-h')
            'init' = @('--help', '-h')
            'demo' = @('--help', '-h')
        }
        ValueOptions = @('--token-code', '-t', '--duration', '-d', '--region', '--session-name', '--min-remaining', '--shell', '--destination')
        Values = @{
            '--duration' = @('12h', '8h', '4h', '1h', '45m', '15m')
            '-d' = @('12h', '8h', '4h', '1h', '45m', '15m')
            '--min-remaining' = @('15m', '30m', '1h')
            '--shell' = @('bash', 'zsh', 'sh', 'fish', 'powershell', 'pwsh', 'nu')
            '--destination' = @('s3', 'ec2', 'iam', 'cloudwatch', 'lambda', 'cloudformation', 'rds')
        }
        ProfileFirst = @('use', 'env', 'exec', 'console', 'doctor')
        Words = @{
            'agent' = @('start', 'stop', 'status', 'forget', 'add')
            'init' = @('bash', 'zsh', 'fish', 'powershell', 'nu')
        }
        ProfilesAfterOne = @('agent forget')
        ProfilesAfterMany = @('agent add')
        CommandLine = @('exec')
    }
    # end of generated lib/command-line.ts
    $valueOptions = $commandLine.ValueOptions
    $command = $null
    $positionals = 0
    $first = ''
    for ($i = 1; $i -lt $words.Count; $i++) {
        $word = $words[$i]
        if ($dashdash) { $positionals++ }
        elseif ($word -ceq '--') { $dashdash = $true }
        elseif ($word.StartsWith('-')) { if ($valueOptions -ccontains $word) { $i++ } }
        elseif ($null -eq $command) { $command = $word }
        else { $positionals++; if ($positionals -eq 1) { $first = $word } }
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
    if ($null -eq $command) {
        if ($wordToComplete.StartsWith('-')) { & $reply $commandLine.Options[''] 'ParameterName' }
        else { & $reply $commandLine.Commands 'Command' }
        return
    }
    if (-not $dashdash -and $valueOptions -ccontains $previous) {
        # No values: one nobody can guess (a code, a region, a name).
        if ($commandLine.Values.ContainsKey($previous)) { & $reply $commandLine.Values[$previous] }
        return
    }
    if ($dashdash) { return }
    if ($wordToComplete.StartsWith('-')) {
        $options = $commandLine.Options[$command]
        & $reply $(if ($null -eq $options) { @('--help') } else { $options }) 'ParameterName'
        return
    }
    $after = "$command $first"
    $agentProfiles = ($commandLine.ProfilesAfterMany -ccontains $after) -or ($commandLine.ProfilesAfterOne -ccontains $after -and $positionals -eq 1)
    if ($positionals -eq 0 -and $commandLine.Words.ContainsKey($command)) { & $reply $commandLine.Words[$command]; return }
    if ($positionals -gt 0 -and -not $agentProfiles) { return }
    if (($commandLine.ProfileFirst -ccontains $command) -or $agentProfiles) {
        foreach ($target in (__awsmfa_profiles)) {
            if ($target.Name.StartsWith($wordToComplete, [StringComparison]::Ordinal)) {
                # The tooltip comes from the config: printable ASCII only (__awsmfa_printable, shells/awsmfa.ps1).
                $tip = if ($target.Description) { "$($target.Name): $(__awsmfa_printable $target.Description)" } else { $target.Name }
                [System.Management.Automation.CompletionResult]::new($target.Name, $target.Name, 'ParameterValue', $tip)
            }
        }
    }
    })
    if ($offered.Count -gt 0) { return $offered }
    # After `--` the words are the command's: PowerShell's own completion (file names) applies.
    if ($dashdash) { return }
    # Nothing to offer: '' tells PowerShell not to fall back to file names (pwsh 7.6 reports it as
    # a failed completion, which PSReadLine ignores; later versions take '' as "no completion").
    return ''
}
