# awsmfa shell integration for fish (3.1 and later).
#
# Load it with ONE of these lines in ~/.config/fish/config.fish (or a file in conf.d/):
#   source /path/to/awsmfa/shells/awsmfa.fish   # starts no Node; loads ../completions/awsmfa.fish too
#   awsmfa init fish | source                    # the same text (integration + completion), from the CLI
#
#   awsmfa use PROFILE [env options]   a session for THIS terminal: runs `awsmfa env --shell fish`,
#                                      applies its output only when it succeeded
#   awsmfa clear                       removes the session, restores what the first `use` replaced
#   awsmfa ...                         every other command goes to the awsmfa program unchanged
#   awsmfa_prompt                      prints `prod 11h59m`, `prod 42m`, `prod expired` or nothing
# Read at every prompt: AWSMFA_PROMPT_COLOR=1 colours the segment (NO_COLOR wins);
# AWSMFA_WARN_MINUTES=N prints one line on stderr, once per session, N minutes before it ends.

# The function hands AWSMFA_SHELL=fish to each call of the program (`awsmfa env` writes for it, `doctor`
# sees the integration) and never exports it: a child (a /bin/sh script, another shell) would read
# it and get output in a syntax it cannot run. Remove one an earlier version exported.
set -e -g AWSMFA_SHELL

function awsmfa --description 'awsmfa: an MFA role session for this terminal'
    switch "$argv[1]"
        case use
            __awsmfa_use $argv[2..-1]
        case clear
            __awsmfa_clear $argv[2..-1]
        case '*'
            AWSMFA_SHELL=fish command awsmfa $argv
    end
end

function __awsmfa_use
    for arg in $argv
        switch $arg
            case --
                break
            case -h --help -V --version
                # Help and version text is for reading, never for source.
                AWSMFA_SHELL=fish command awsmfa use $argv
                return
        end
    end
    # Capture first: `awsmfa env … | source` reports source's status and runs whatever a failure
    # printed. The MFA prompt goes to /dev/tty and stderr, so it still reaches the user. fish
    # writes each statement on one line (control characters in values are escapes).
    set -l out (AWSMFA_SHELL=fish command awsmfa env --shell fish $argv)
    set -l code $status
    test $code -eq 0; or return $code
    # The first `use` of a chain remembers what the session replaces; `clear` puts it back: the
    # profile and region variables, and the user's own keys (for credential_source = Environment).
    # Keys that an awsmfa session put there (AWSMFA_PROFILE is set, as in a child of a shell that ran
    # `use`) are not the user's: they are recorded as absent.
    if not set -q __awsmfa_saved
        set -g __awsmfa_saved 1
        set -l names AWS_PROFILE AWS_DEFAULT_PROFILE AWS_REGION AWS_DEFAULT_REGION
        test -n "$AWSMFA_PROFILE"; or set -a names AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN \
            AWS_SECURITY_TOKEN AWS_CREDENTIAL_EXPIRATION
        for name in $names
            if set -q $name
                set -g __awsmfa_saved_$name $$name
            else
                set -e -g __awsmfa_saved_$name
            end
        end
    end
    # `set` leaves $status as it was, so the sourced text would report the last failure before it.
    builtin true
    string join \n -- $out | builtin source
    set code $status
    set -e -g __awsmfa_warned
    # A universal variable (set -U) is shared by every fish and outlives the global one erased
    # above: still exported, it would make the AWS CLI ignore the session's keys.
    for name in AWS_PROFILE AWS_DEFAULT_PROFILE
        if set -qU $name
            builtin printf 'awsmfa: warning: a universal %s (set -U) is still exported, so the AWS CLI would use it instead of this session\n  fix: set -e -U %s (or set it with set -gx in config.fish instead)\n' $name $name >&2
        end
    end
    return $code
end

function __awsmfa_clear
    switch "$argv[1]"
        case -h --help
            builtin printf '%s\n' 'usage: awsmfa clear' \
                '  Removes the awsmfa session from this terminal and restores what the first awsmfa use' \
                '  replaced (or its absence): AWS_PROFILE, AWS_DEFAULT_PROFILE, AWS_REGION, AWS_DEFAULT_REGION' \
                '  and your own AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_SECURITY_TOKEN,' \
                '  AWS_CREDENTIAL_EXPIRATION.'
            return 0
    end
    if test (builtin count $argv) -gt 0
        builtin printf '%s\n' 'awsmfa: clear takes no arguments' '  fix: awsmfa clear' >&2
        return 2
    end
    if not set -q AWSMFA_PROFILE; and not set -q __awsmfa_saved
        builtin printf '%s\n' 'awsmfa: no awsmfa session in this terminal; nothing to clear' >&2
        return 0
    end
    set -l profile (string replace -ra '[\x00-\x1f\x7f-\x{9f}]' '?' -- "$AWSMFA_PROFILE")
    for name in AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION \
        AWS_REGION AWS_DEFAULT_REGION AWSMFA_PROFILE AWSMFA_EXPIRATION AWSMFA_ROLE_ARN
        set -e -g $name
    end
    if set -q __awsmfa_saved
        for name in AWS_PROFILE AWS_DEFAULT_PROFILE AWS_REGION AWS_DEFAULT_REGION \
            AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_CREDENTIAL_EXPIRATION
            set -l saved __awsmfa_saved_$name
            if set -q $saved
                set -gx $name $$saved
                set -e -g $saved
            else
                set -e -g $name
            end
        end
    end
    set -e -g __awsmfa_saved
    set -e -g __awsmfa_warned
    test -n "$profile"; or set profile awsmfa
    builtin printf 'awsmfa: cleared the %s session from this terminal\n' $profile >&2
    return 0
end

# Seconds left in this terminal's session; status 1 without a session (also for an expiry no
# session can have, as for the CLI).
function __awsmfa_seconds_left
    set -q AWSMFA_PROFILE[1]; and test -n "$AWSMFA_PROFILE"; or return 1
    string match -qr '^[0-9]{1,15}$' -- "$AWSMFA_EXPIRATION"; or return 1
    set -l now (command date +%s 2>/dev/null)
    string match -qr '^[0-9]+$' -- "$now"; or return 1
    set -l left (builtin math "$AWSMFA_EXPIRATION - $now")
    # Further ahead than any AWS session lasts is not a time: lib/session.ts MAX_SESSION_SECONDS (36 h).
    test $left -le 129600; or return 1
    echo $left
end

function awsmfa_prompt --description 'awsmfa: the session and its time left, for a prompt'
    set -l code $status
    set -l left (__awsmfa_seconds_left); or return $code
    # The name comes from the environment: no control characters (terminal escapes) reach the screen.
    set -l text (string replace -ra '[\x00-\x1f\x7f-\x{9f}]' '?' -- "$AWSMFA_PROFILE")
    if test $left -le 0
        set text "$text expired"
    else
        set -l minutes (builtin math --scale=0 "floor($left / 60)")
        if test $minutes -ge 60
            set text (builtin printf '%s %dh%02dm' "$text" (builtin math --scale=0 "floor($minutes / 60)") (builtin math "$minutes % 60"))
        else
            set text "$text "$minutes"m"
        end
    end
    if set -q AWSMFA_PROMPT_COLOR; and test -n "$AWSMFA_PROMPT_COLOR" -a "$AWSMFA_PROMPT_COLOR" != 0; and test -z "$NO_COLOR"
        set -l colour red
        if test $left -gt 3600
            set colour green
        else if test $left -gt 900
            set colour yellow
        end
        set text (builtin set_color $colour)"$text"(builtin set_color normal)
    end
    builtin printf '%s' "$text"
    return $code
end

# One line on stderr when AWSMFA_WARN_MINUTES is set and the session is that close to its end
# (or past it); once per session. Never asks for a code: renewing is `awsmfa use` again.
function __awsmfa_warn --on-event fish_prompt
    set -l code $status
    string match -qr '^[0-9]{1,6}$' -- "$AWSMFA_WARN_MINUTES"; or return $code
    set -l left (__awsmfa_seconds_left); or return $code
    test "$__awsmfa_warned" != "$AWSMFA_EXPIRATION"; or return $code
    test $left -le (builtin math "$AWSMFA_WARN_MINUTES * 60"); or return $code
    set -g __awsmfa_warned $AWSMFA_EXPIRATION
    set -l profile (string replace -ra '[\x00-\x1f\x7f-\x{9f}]' '?' -- "$AWSMFA_PROFILE")
    if test $left -le 0
        builtin printf 'awsmfa: the %s session has expired; renew it with: awsmfa use %s\n' $profile $profile >&2
    else
        builtin printf 'awsmfa: the %s session ends in %dm; renew it with: awsmfa use %s\n' $profile (builtin math --scale=0 "floor($left / 60)") $profile >&2
    end
    return $code
end

# Sourced as a file (not through `awsmfa init fish`, which prints the completion after this):
# load the completion that ships next to it.
set -l __awsmfa_source (status current-filename)
if string match -q '*awsmfa.fish' -- $__awsmfa_source
    set -l __awsmfa_completion (string replace -r '[^/]*$' '' -- $__awsmfa_source)../completions/awsmfa.fish
    if test -r $__awsmfa_completion
        builtin source $__awsmfa_completion
    end
end
