# awsmfa shell integration for nushell (tested with 0.115).
#
# nushell sources only files it knows while it parses, so load it with ONE of these in config.nu
# ($nu.config-path):
#   source /path/to/awsmfa/shells/awsmfa.nu   # starts no Node; loads ../completions/awsmfa.nu too
# or save `awsmfa init nu` (this text and the completion) to a file once and source that file:
#   awsmfa init nu | save -f ($nu.default-config-dir | path join awsmfa.nu)
#   source ($nu.default-config-dir | path join awsmfa.nu)
#
#   awsmfa use PROFILE [env options]   a session for THIS terminal: runs `awsmfa env --shell nu`,
#                                      applies its output only when it succeeded
#   awsmfa clear                       removes the session, restores what the first `use` replaced
#   awsmfa ...                         every other command goes to the awsmfa program unchanged
#                                      (its exit status becomes $env.LAST_EXIT_CODE)
#   awsmfa_prompt                      returns `prod 11h59m`, `prod 42m`, `prod expired` or ''
#                                      e.g. $env.PROMPT_COMMAND_RIGHT = {|| awsmfa_prompt }
# Read at every prompt: AWSMFA_PROMPT_COLOR=1 colours the segment (NO_COLOR wins);
# AWSMFA_WARN_MINUTES=N prints one line on stderr, once per session, N minutes before it ends.
#
# nushell has no eval: `use` reads the output of `awsmfa env --shell nu` as DATA (one statement a
# line, `hide-env -i NAME` or `load-env {"NAME": "…"}`; lib/shells/nu.ts), decodes each record with
# `from nuon` and applies the whole change only after every line has been read.

# Sourced as the shipped file, load the completion that ships next to it first (`awsmfa`'s signature
# names its completer). `awsmfa init nu` prints the completion after this text instead, and
# `source null` loads nothing.
const __awsmfa_completion = if ((path self) | str ends-with 'shells/awsmfa.nu') { path self ../completions/awsmfa.nu } else { null }
source $__awsmfa_completion

# The names the first `use` of a chain saves (all), and the user's own keys among them, which a
# session already in the environment (AWSMFA_PROFILE set) does not count as the user's.
const __awsmfa_restored = [AWS_PROFILE AWS_DEFAULT_PROFILE AWS_REGION AWS_DEFAULT_REGION]
const __awsmfa_own_keys = [AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_CREDENTIAL_EXPIRATION]
# What a session sets, which `clear` removes.
const __awsmfa_session = [AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION AWS_REGION AWS_DEFAULT_REGION AWSMFA_PROFILE AWSMFA_EXPIRATION AWSMFA_ROLE_ARN]

# A function hands AWSMFA_SHELL=nu to each call of the program (`awsmfa env` writes for it, `doctor`
# sees the integration) and never exports it: a child would get output in a syntax it cannot run.
# One inherited from a parent of another kind (or an older version that exported it) goes now.
hide-env -i AWSMFA_SHELL
def --env --wrapped awsmfa [...words: string@__awsmfa_complete] {
    match ($words | get -o 0) {
        use => { __awsmfa_use ($words | skip 1) }
        clear => { __awsmfa_clear ($words | skip 1) }
        _ => { with-env {AWSMFA_SHELL: nu} { ^awsmfa ...$words } }
    }
}

# One line of `awsmfa env --shell nu` output as data: {hide: NAME} or {load: {NAME: value}}.
# Anything else is an error that names the line's number only (the line may hold a secret).
def __awsmfa_statement [line: string, number: int] {
    if ($line =~ '^hide-env -i [A-Za-z_][A-Za-z0-9_]*$') { return {hide: ($line | str substring 12..)} }
    if ($line | str starts-with 'load-env {"') {
        let record = (try { $line | str substring 9.. | from nuon } catch { null })
        if ($record | describe | str starts-with 'record') and ($record | columns | length) == 1 {
            let name = ($record | columns | first)
            if ($name =~ '^[A-Za-z_][A-Za-z0-9_]*$') and ($record | get $name | describe) == 'string' { return {load: $record} }
        }
    }
    error make {msg: $"awsmfa: line ($number) of the awsmfa env --shell nu output is not a statement this integration reads; nothing was changed\n  fix: use the awsmfa program this file came with"}
}

# The statements in `text` (see above), every line read before any is applied: a bad line changes nothing.
def __awsmfa_read [text: string] {
    $text | lines | enumerate | where {|it| $it.item != '' } | each {|it| __awsmfa_statement $it.item ($it.index + 1) }
}

# Applies what __awsmfa_read made of the output, in its order.
def --env __awsmfa_apply [steps: list<record>] {
    for step in $steps {
        if 'hide' in $step { hide-env -i $step.hide } else { load-env $step.load }
    }
}

def --env __awsmfa_use [args: list<string>] {
    for arg in $args {
        if $arg == '--' { break }
        if $arg in [-h --help -V --version] {
            # Help and version text is for reading, never for applying.
            with-env {AWSMFA_SHELL: nu} { ^awsmfa use ...$args }
            return
        }
    }
    # A failure stops here (nushell makes the program's exit status the error and LAST_EXIT_CODE),
    # before anything changed. The MFA prompt goes to /dev/tty and stderr, so it reaches the user.
    let out = (with-env {AWSMFA_SHELL: nu} { ^awsmfa env --shell nu ...$args })
    let steps = (__awsmfa_read $out)
    # The first `use` of a chain remembers what the session replaces; `clear` puts it back. Kept in a
    # record, which nushell never exports to a child.
    if '__AWSMFA_SAVED' not-in $env {
        let names = if ($env | get -o AWSMFA_PROFILE | default '' | is-empty) { $__awsmfa_restored | append $__awsmfa_own_keys } else { $__awsmfa_restored }
        $env.__AWSMFA_SAVED = ($names | reduce -f {} {|name, saved| if $name in $env { $saved | insert $name ($env | get $name) } else { $saved } })
    }
    __awsmfa_apply $steps
    # A new session may warn again.
    hide-env -i __AWSMFA_WARNED
    # The capture above leaves LAST_EXIT_CODE as it was (a script's earlier failure): this use succeeded.
    $env.LAST_EXIT_CODE = 0
}

def --env __awsmfa_clear [args: list<string>] {
    if ($args | get -o 0) in [-h --help] {
        print ([
            'usage: awsmfa clear'
            '  Removes the awsmfa session from this terminal and restores what the first awsmfa use'
            '  replaced (or its absence): AWS_PROFILE, AWS_DEFAULT_PROFILE, AWS_REGION, AWS_DEFAULT_REGION'
            '  and your own AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_SECURITY_TOKEN,'
            '  AWS_CREDENTIAL_EXPIRATION.'
        ] | str join "\n")
        return
    }
    if ($args | is-not-empty) {
        error make -u {msg: "awsmfa: clear takes no arguments\n  fix: awsmfa clear"}
    }
    if 'AWSMFA_PROFILE' not-in $env and '__AWSMFA_SAVED' not-in $env {
        print -e 'awsmfa: no awsmfa session in this terminal; nothing to clear'
        $env.LAST_EXIT_CODE = 0
        return
    }
    let profile = ($env | get -o AWSMFA_PROFILE | default '' | str replace -ar '[\x00-\x1f\x7f-\x9f]' '?')
    hide-env -i ...$__awsmfa_session
    if '__AWSMFA_SAVED' in $env {
        let saved = $env.__AWSMFA_SAVED
        hide-env -i ...($__awsmfa_restored | append $__awsmfa_own_keys)
        load-env $saved
        hide-env __AWSMFA_SAVED
    }
    hide-env -i __AWSMFA_WARNED
    $env.LAST_EXIT_CODE = 0
    print -e $"awsmfa: cleared the (if ($profile | is-empty) { 'awsmfa' } else { $profile }) session from this terminal"
}

# Seconds left in this terminal's session; null without a session (also for an expiry no session
# can have, as for the CLI).
def __awsmfa_seconds_left [] {
    let profile = ($env | get -o AWSMFA_PROFILE | default '')
    let expiration = ($env | get -o AWSMFA_EXPIRATION | default '')
    if ($profile | is-empty) or not ($expiration =~ '^[0-9]{1,15}$') { return null }
    let left = ($expiration | into int) - ((date now | into int) // 1_000_000_000)
    # Further ahead than any AWS session lasts is not a time: lib/session.ts MAX_SESSION_SECONDS (36 h).
    if $left > 129600 { null } else { $left }
}

# The session and its time left, for a prompt: `prod 11h59m`, `prod 42m`, `prod expired` or ''.
def awsmfa_prompt [] {
    let left = (__awsmfa_seconds_left)
    if $left == null { return '' }
    # The name comes from the environment: no control characters (terminal escapes) reach the screen.
    let name = ($env.AWSMFA_PROFILE | str replace -ar '[\x00-\x1f\x7f-\x9f]' '?')
    let minutes = $left // 60
    let text = if $left <= 0 { $"($name) expired" } else if $minutes >= 60 {
        $"($name) ($minutes // 60)h($minutes mod 60 | fill -a r -c '0' -w 2)m"
    } else { $"($name) ($minutes)m" }
    let colour = ($env | get -o AWSMFA_PROMPT_COLOR | default '')
    if ($colour | is-empty) or $colour == '0' or ($env | get -o NO_COLOR | default '' | is-not-empty) { return $text }
    let code = if $left > 3600 { 'green' } else if $left > 900 { 'yellow' } else { 'red' }
    $"(ansi $code)($text)(ansi reset)"
}

# One line on stderr when AWSMFA_WARN_MINUTES is set and the session is that close to its end (or
# past it); once per session (the session's expiry, kept in a record nushell never exports). Never
# asks for a code: renewing is `awsmfa use` again.
def --env __awsmfa_warn [] {
    let minutes = ($env | get -o AWSMFA_WARN_MINUTES | default '')
    if not ($minutes =~ '^[0-9]{1,6}$') { return }
    let left = (__awsmfa_seconds_left)
    if $left == null or $left > (($minutes | into int) * 60) { return }
    if ($env | get -o __AWSMFA_WARNED | default {} | get -o expiration) == $env.AWSMFA_EXPIRATION { return }
    $env.__AWSMFA_WARNED = {expiration: $env.AWSMFA_EXPIRATION}
    let profile = ($env.AWSMFA_PROFILE | str replace -ar '[\x00-\x1f\x7f-\x9f]' '?')
    if $left <= 0 {
        print -e $"awsmfa: the ($profile) session has expired; renew it with: awsmfa use ($profile)"
    } else {
        print -e $"awsmfa: the ($profile) session ends in ($left // 60)m; renew it with: awsmfa use ($profile)"
    }
}

# At every prompt, as fish's fish_prompt event; added once however often this file is sourced.
$env.config.hooks.pre_prompt = (
    $env.config.hooks.pre_prompt? | default [] | where {|hook| ($hook | describe) != 'closure' or (view source $hook) !~ '__awsmfa_warn' } | append {|| __awsmfa_warn }
)
