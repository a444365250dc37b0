# awsmfa shell integration for PowerShell 7 (pwsh).
#
# Load it from your profile ($PROFILE) with ONE of these lines:
#   . /path/to/awsmfa/shells/awsmfa.ps1                              # starts no Node; loads the completion too
#   Invoke-Expression (& awsmfa init powershell | Out-String)        # the CLI prints the line above (the standalone: this text)
#
#   awsmfa use PROFILE [env options]   a session for THIS terminal: runs `awsmfa env --shell powershell`,
#                                      applies its output only when it succeeded
#   awsmfa clear                       removes the session, restores what the first `use` replaced
#   awsmfa ...                         every other command goes to the awsmfa program unchanged
#   awsmfa_prompt                      returns 'prod 11h59m', 'prod 42m', 'prod expired' or ''
# Read at every prompt: AWSMFA_PROMPT_COLOR=1 colours the segment (NO_COLOR wins);
# AWSMFA_WARN_MINUTES=N writes one line to stderr, once per session, N minutes before it ends.

# Every cmdlet is called by its module-qualified name (Microsoft.PowerShell.Utility\Invoke-Expression):
# a profile's alias or function of the same name (a Remove-Item that moves to a recycle bin) is then
# never what runs.

# Invoked as the awsmfa COMMAND (the alias defined at the end points at this file when it is
# dot-sourced), not dot-sourced: run it and leave with awsmfa's exit code. A script's `exit` is
# the one thing that sets the caller's $? (a function cannot), so `awsmfa use p && aws s3 ls` stops.
if ($MyInvocation.InvocationName -ceq 'awsmfa' -and (Microsoft.PowerShell.Management\Test-Path -LiteralPath Function:/__awsmfa_main)) {
    __awsmfa_main $args $MyInvocation
    exit $global:LASTEXITCODE
}

# Written only to be read back: StrictMode (-Version Latest) reads no unset variable.
if ($null -eq (Microsoft.PowerShell.Utility\Get-Variable -Name __awsmfa_saved -Scope Global -ErrorAction SilentlyContinue)) { $global:__awsmfa_saved = $null }
if ($null -eq (Microsoft.PowerShell.Utility\Get-Variable -Name __awsmfa_warned -Scope Global -ErrorAction SilentlyContinue)) { $global:__awsmfa_warned = $null }

# The function hands AWSMFA_SHELL=powershell to each call of the program (`awsmfa env` writes for it,
# `doctor` sees the integration) and never leaves it in the environment: a child (a script run by
# another shell) would read it and get output in a syntax it cannot run. Remove one an earlier
# version set.
$Env:AWSMFA_SHELL = $null

# The awsmfa program (not this function): the first application of that name on PATH.
function global:__awsmfa_exe {
    $found = Microsoft.PowerShell.Core\Get-Command -Name awsmfa -CommandType Application -ErrorAction SilentlyContinue | Microsoft.PowerShell.Utility\Select-Object -First 1
    if ($null -eq $found) {
        [Console]::Error.WriteLine('awsmfa: the awsmfa program is not on PATH')
        [Console]::Error.WriteLine('  fix: run install.sh from the awsmfa checkout, or add its bin directory to PATH')
        return $null
    }
    return $found.Source
}

# Text from the environment or the config shown on the console: printable ASCII only. Control
# characters (terminal escapes) and everything above U+007E (which a console code page could show
# as something else) become '?'.
function global:__awsmfa_printable([string]$text) {
    return $text -replace '[^\x20-\x7E]', '?'
}

# The arguments as typed. PowerShell's binder drops the first bare `--` of a call to a function or
# script and splits `-t:123456` into `-t:` and 123456 (and 012345 becomes the number 12345), so
# when every argument of the call is a literal, they are read from the call's own syntax tree
# (the value a native program would get); otherwise $args is used, with the dropped `--` put back.
function global:__awsmfa_argv($given, $invocation) {
    $given = @($given)
    $fallback = [System.Collections.Generic.List[object]]::new()
    foreach ($arg in $given) { $fallback.Add($arg) }
    $text = if ($invocation.PSObject.Properties['Statement'] -and $invocation.Statement) { $invocation.Statement } else { $invocation.Line }
    if (-not $text) { return $fallback }
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($text, [ref]$null, [ref]$null)
    $calls = @($ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] -and $node.GetCommandName() -ceq $invocation.InvocationName }, $true))
    if ($calls.Count -ne 1) { return $fallback }
    $elements = @($calls[0].CommandElements | Microsoft.PowerShell.Utility\Select-Object -Skip 1)
    $literal = [System.Collections.Generic.List[object]]::new()
    $count = 0
    $dashdash = -1
    $previous = $null
    foreach ($element in $elements) {
        if ($element -is [System.Management.Automation.Language.CommandParameterAst]) {
            $previous = $element
            if ($element.Extent.Text -ceq '--' -and $dashdash -lt 0) { $dashdash = $count; if ($null -ne $literal) { $literal.Add('--') }; continue }
            if ($null -eq $element.Argument) { if ($null -ne $literal) { $literal.Add($element.Extent.Text) }; $count++; continue }
            $count += 2
            $value = __awsmfa_literal $element.Argument
            if ($null -eq $value) { $literal = $null } elseif ($null -ne $literal) { $literal.Add('-' + $element.ParameterName + ':' + $value) }
            continue
        }
        if ($element -is [System.Management.Automation.Language.VariableExpressionAst] -and $element.Splatted) { return $fallback }
        $count++
        if ($null -ne $literal) {
            $value = __awsmfa_literal $element
            if ($null -eq $value) {
                $literal = $null
            } elseif ($null -ne $previous -and $previous.Extent.EndOffset -eq $element.Extent.StartOffset -and $literal.Count -gt 0) {
                # After `--` PowerShell splits `-t:123456` into two words; it was typed as one.
                $literal[$literal.Count - 1] = [string]$literal[$literal.Count - 1] + $value
            } else {
                $literal.Add($value)
            }
        }
        $previous = $element
    }
    # A different call than this one (the same name twice on the line): trust $args alone.
    if ($count -ne $given.Count) { return $fallback }
    if ($null -ne $literal) { return $literal }
    if ($dashdash -ge 0) { $fallback.Insert($dashdash, '--') }
    return $fallback
}

# The text a literal argument passes to a program, or $null when it is not a literal.
function global:__awsmfa_literal($element) {
    if ($element -is [System.Management.Automation.Language.StringConstantExpressionAst]) { return $element.Value }
    if ($element -is [System.Management.Automation.Language.ConstantExpressionAst]) { return $element.Extent.Text }
    return $null
}

function global:awsmfa {
    __awsmfa_main $args $MyInvocation
}

function global:__awsmfa_main($given, $invocation) {
    # The user's profile may make a failing program throw; awsmfa reads exit codes itself.
    $PSNativeCommandUseErrorActionPreference = $false
    $argv = @(__awsmfa_argv $given $invocation)
    $exe = __awsmfa_exe
    if ($null -eq $exe) { $global:LASTEXITCODE = 127; return }
    # AWSMFA_SHELL only while this function runs: `finally` puts back what was there (or its absence).
    $previousShell = [Environment]::GetEnvironmentVariable('AWSMFA_SHELL')
    $Env:AWSMFA_SHELL = 'powershell'
    $interrupted = $false
    try {
        $sub = if ($argv.Count -gt 0) { [string]$argv[0] } else { '' }
        $rest = @(if ($argv.Count -gt 1) { $argv[1..($argv.Count - 1)] })
        if ($sub -ceq 'use') {
            foreach ($arg in $rest) {
                if ($arg -ceq '--') { break }
                if (@('-h', '--help', '-V', '--version') -ccontains $arg) {
                    # Help and version text is for reading, never for Invoke-Expression.
                    & $exe use @rest
                    return
                }
            }
            # Capture first, apply only on success. The MFA prompt goes to the terminal and stderr.
            $interrupted = $true
            $out = & $exe env --shell powershell @rest
            $interrupted = $false
            if ($LASTEXITCODE -ne 0) { return }
            # The first `use` of a chain remembers what the session replaces; `clear` puts it back.
            # The profile and region variables, and the user's own keys (credential_source = Environment);
            # keys an awsmfa session put there (AWSMFA_PROFILE is set) are not the user's: recorded as absent.
            if ($null -eq $global:__awsmfa_saved) {
                $saved = @{}
                $names = @('AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION')
                if (-not $Env:AWSMFA_PROFILE) {
                    $names += @('AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_CREDENTIAL_EXPIRATION')
                }
                foreach ($name in $names) {
                    $value = [Environment]::GetEnvironmentVariable($name)
                    if ($null -ne $value) { $saved[$name] = $value }
                }
                $global:__awsmfa_saved = $saved
            }
            Microsoft.PowerShell.Utility\Invoke-Expression (@($out) -join "`n")
            $global:__awsmfa_warned = $null
            $global:LASTEXITCODE = 0
            return
        }
        if ($sub -ceq 'clear') {
            if ($rest.Count -gt 0 -and @('-h', '--help') -ccontains $rest[0]) {
                'usage: awsmfa clear'
                '  Removes the awsmfa session from this terminal and restores what the first awsmfa use'
                '  replaced (or its absence): AWS_PROFILE, AWS_DEFAULT_PROFILE, AWS_REGION, AWS_DEFAULT_REGION'
                '  and your own AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_SECURITY_TOKEN,'
                '  AWS_CREDENTIAL_EXPIRATION.'
                return
            }
            if ($rest.Count -gt 0) {
                [Console]::Error.WriteLine('awsmfa: clear takes no arguments')
                [Console]::Error.WriteLine('  fix: awsmfa clear')
                $global:LASTEXITCODE = 2
                return
            }
            $profileName = $Env:AWSMFA_PROFILE
            if (-not $profileName -and $null -eq $global:__awsmfa_saved) {
                [Console]::Error.WriteLine('awsmfa: no awsmfa session in this terminal; nothing to clear')
                $global:LASTEXITCODE = 0
                return
            }
            foreach ($name in 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION',
                'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWSMFA_PROFILE', 'AWSMFA_EXPIRATION', 'AWSMFA_ROLE_ARN') {
                Microsoft.PowerShell.Management\Remove-Item -LiteralPath "Env:/$name" -ErrorAction SilentlyContinue
            }
            if ($null -ne $global:__awsmfa_saved) {
                # An empty value comes back as it was where PowerShell keeps empty variables (7.5 and
                # later); before that, setting one to '' removes it, as this does.
                $version = $PSVersionTable.PSVersion
                $keepsEmpty = $version.Major -gt 7 -or ($version.Major -eq 7 -and $version.Minor -ge 5)
                foreach ($name in 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION',
                    'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_CREDENTIAL_EXPIRATION') {
                    if ($global:__awsmfa_saved.ContainsKey($name) -and ($keepsEmpty -or $global:__awsmfa_saved[$name] -ne '')) {
                        Microsoft.PowerShell.Management\Set-Item -LiteralPath "Env:/$name" -Value $global:__awsmfa_saved[$name]
                    } else {
                        Microsoft.PowerShell.Management\Remove-Item -LiteralPath "Env:/$name" -ErrorAction SilentlyContinue
                    }
                }
            }
            $global:__awsmfa_saved = $null
            $global:__awsmfa_warned = $null
            $shown = if ($profileName) { __awsmfa_printable $profileName } else { 'awsmfa' }
            [Console]::Error.WriteLine("awsmfa: cleared the $shown session from this terminal")
            $global:LASTEXITCODE = 0
            return
        }
        & $exe @argv
    } finally {
        # Ctrl-C at the MFA prompt stops this function mid-call: end the prompt's line, so what
        # PowerShell writes next starts on its own line.
        if ($interrupted) { [Console]::Error.WriteLine() }
        $Env:AWSMFA_SHELL = $previousShell
    }
}

# 'prod 11h59m', 'prod 42m', 'prod expired' or ''; for a prompt function. Starts no process.
function global:awsmfa_prompt {
    $profileName = $Env:AWSMFA_PROFILE
    $expiration = $Env:AWSMFA_EXPIRATION
    if (-not $profileName -or $expiration -notmatch '^[0-9]{1,15}$') { return '' }
    $left = [long]$expiration - [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
    # Further ahead than any AWS session lasts is not a time: lib/session.ts MAX_SESSION_SECONDS (36 h).
    if ($left -gt 129600) { return '' }
    # The name comes from the environment: no control characters (terminal escapes) reach the screen.
    $shown = __awsmfa_printable $profileName
    if ($left -le 0) {
        $text = "$shown expired"
    } else {
        $minutes = [long][Math]::Floor($left / 60)
        if ($minutes -ge 60) {
            $text = '{0} {1}h{2:00}m' -f $shown, [long][Math]::Floor($minutes / 60), ($minutes % 60)
        } else {
            $text = "$shown ${minutes}m"
        }
    }
    $warn = $Env:AWSMFA_WARN_MINUTES
    if ($warn -match '^[0-9]{1,6}$' -and $left -le ([long]$warn * 60) -and $global:__awsmfa_warned -ne $expiration) {
        $global:__awsmfa_warned = $expiration
        if ($left -le 0) {
            [Console]::Error.WriteLine("awsmfa: the $shown session has expired; renew it with: awsmfa use $shown")
        } else {
            [Console]::Error.WriteLine("awsmfa: the $shown session ends in $([long][Math]::Floor($left / 60))m; renew it with: awsmfa use $shown")
        }
    }
    if ($Env:AWSMFA_PROMPT_COLOR -and $Env:AWSMFA_PROMPT_COLOR -ne '0' -and -not $Env:NO_COLOR) {
        $colour = if ($left -gt 3600) { 32 } elseif ($left -gt 900) { 33 } else { 31 }
        $esc = [char]27
        $text = "$esc[${colour}m$text$esc[0m"
    }
    return $text
}

# Dot-sourced as a file: `awsmfa` becomes this file run as a script (see the top), so its exit
# code sets $?. An alias wins over the function of the same name.
if ($PSCommandPath -and $MyInvocation.InvocationName -ceq '.') {
    Microsoft.PowerShell.Utility\Set-Alias -Name awsmfa -Value $PSCommandPath -Scope Global
}

# Run from a file (not as the standalone's init text, which prints the completion after this):
# load the completion that ships next to it.
if ($PSCommandPath -and $PSCommandPath -like '*shells?awsmfa.ps1') {
    $__awsmfa_completion = Microsoft.PowerShell.Management\Join-Path (Microsoft.PowerShell.Management\Split-Path -Parent (Microsoft.PowerShell.Management\Split-Path -Parent $PSCommandPath)) 'completions/awsmfa.ps1'
    if (Microsoft.PowerShell.Management\Test-Path -LiteralPath $__awsmfa_completion) { . $__awsmfa_completion }
    Microsoft.PowerShell.Utility\Remove-Variable -Name __awsmfa_completion -ErrorAction SilentlyContinue
}
