# shellcheck shell=bash
# awsmfa shell integration for bash (3.2 and later; the prompt's builtin clock needs 4.2).
#
# Load it from ~/.bashrc with ONE of these lines:
#   source /path/to/awsmfa/shells/awsmfa.bash   # starts no Node; loads ../completions/awsmfa.bash too
#   eval "$(awsmfa init bash)"                   # the same text (integration + completion), from the CLI
#
#   awsmfa use PROFILE [env options]   a session for THIS terminal: runs `awsmfa env --shell bash`,
#                                      applies its output only when it succeeded
#   awsmfa clear                       removes the session, restores what the first `use` replaced
#   awsmfa ...                         every other command goes to the awsmfa program unchanged
#   awsmfa_prompt [-v NAME]            prints `prod 11h59m`, `prod 42m`, `prod expired` or nothing;
#                                      -v NAME stores it in NAME instead; starts no process
# Read at every prompt: AWSMFA_PROMPT_COLOR=1 colours the segment (NO_COLOR wins);
# AWSMFA_WARN_MINUTES=N prints one line on stderr, once per session, N minutes before it ends.

# The function hands AWSMFA_SHELL=bash to each call of the program (`awsmfa env` writes for it, `doctor`
# sees the integration) and never exports it: a child (a /bin/sh script, another shell) would read
# it and get output in a syntax it cannot run. Remove one an earlier version exported.
builtin unset -v AWSMFA_SHELL
# An alias would shadow the function below (and break its definition): the integration owns the name.
builtin unalias awsmfa awsmfa_prompt >/dev/null 2>&1 || builtin true

function awsmfa {
  case ${1-} in
    use)
      builtin shift
      __awsmfa_use "$@"
      ;;
    clear)
      builtin shift
      __awsmfa_clear "$@"
      ;;
    *) AWSMFA_SHELL=bash builtin command awsmfa "$@" ;;
  esac
}

function __awsmfa_use {
  local __awsmfa_arg __awsmfa_out __awsmfa_status
  for __awsmfa_arg in "$@"; do
    case $__awsmfa_arg in
      --) break ;;
      -h | --help | -V | --version)
        # Help and version text is for reading, never for eval.
        AWSMFA_SHELL=bash builtin command awsmfa use "$@"
        return
        ;;
    esac
  done
  # Capture first: `eval "$(…)"` would report eval's status and run whatever a failure printed.
  # The MFA prompt goes to /dev/tty and stderr, so it still reaches the user.
  __awsmfa_out=$(AWSMFA_SHELL=bash builtin command awsmfa env --shell bash "$@") || return
  # The first `use` of a chain remembers what the session replaces; `clear` puts it back.
  [[ -n ${__awsmfa_saved-} ]] || __awsmfa_save
  builtin eval "$__awsmfa_out"
  __awsmfa_status=$?
  builtin unset -v __awsmfa_warned
  return "$__awsmfa_status"
}

# What the session replaces: the profile and region variables, and the user's own keys (for
# credential_source = Environment). Keys that an awsmfa session put there (AWSMFA_PROFILE is set, as
# in a child of a shell that ran `use`) are not the user's: they are recorded as absent.
function __awsmfa_save {
  local __awsmfa_name
  for __awsmfa_name in AWS_PROFILE AWS_DEFAULT_PROFILE AWS_REGION AWS_DEFAULT_REGION \
    AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_CREDENTIAL_EXPIRATION; do
    case $__awsmfa_name in
      AWS_PROFILE | AWS_DEFAULT_PROFILE | AWS_REGION | AWS_DEFAULT_REGION) ;;
      *) [[ -z ${AWSMFA_PROFILE-} ]] || { builtin unset -v "__awsmfa_saved_$__awsmfa_name"; continue; } ;;
    esac
    if [[ -n ${!__awsmfa_name+set} ]]; then
      builtin printf -v "__awsmfa_saved_$__awsmfa_name" '%s' "${!__awsmfa_name}"
    else
      builtin unset -v "__awsmfa_saved_$__awsmfa_name"
    fi
  done
  __awsmfa_saved=1
}

function __awsmfa_clear {
  local __awsmfa_profile=${AWSMFA_PROFILE-} __awsmfa_name __awsmfa_saved_name __awsmfa_shown
  case ${1-} in
    -h | --help)
      builtin printf '%s\n' 'usage: awsmfa clear' \
        '  Removes the awsmfa session from this terminal and restores what the first awsmfa use' \
        '  replaced (or its absence): AWS_PROFILE, AWS_DEFAULT_PROFILE, AWS_REGION, AWS_DEFAULT_REGION' \
        '  and your own AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_SECURITY_TOKEN,' \
        '  AWS_CREDENTIAL_EXPIRATION.'
      return 0
      ;;
  esac
  if [[ $# -gt 0 ]]; then
    builtin printf 'awsmfa: clear takes no arguments\n  fix: awsmfa clear\n' >&2
    return 2
  fi
  if [[ -z $__awsmfa_profile && -z ${__awsmfa_saved-} ]]; then
    builtin printf 'awsmfa: no awsmfa session in this terminal; nothing to clear\n' >&2
    return 0
  fi
  builtin unset -v AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION \
    AWS_REGION AWS_DEFAULT_REGION AWSMFA_PROFILE AWSMFA_EXPIRATION AWSMFA_ROLE_ARN
  if [[ -n ${__awsmfa_saved-} ]]; then
    for __awsmfa_name in AWS_PROFILE AWS_DEFAULT_PROFILE AWS_REGION AWS_DEFAULT_REGION \
      AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_CREDENTIAL_EXPIRATION; do
      __awsmfa_saved_name=__awsmfa_saved_$__awsmfa_name
      if [[ -n ${!__awsmfa_saved_name+set} ]]; then
        builtin export "$__awsmfa_name=${!__awsmfa_saved_name}"
        builtin unset -v "$__awsmfa_saved_name"
      else
        builtin unset -v "$__awsmfa_name"
      fi
    done
  fi
  builtin unset -v __awsmfa_saved __awsmfa_warned
  __awsmfa_printable "$__awsmfa_profile"
  builtin printf 'awsmfa: cleared the %s session from this terminal\n' "${__awsmfa_shown:-awsmfa}" >&2
  return 0
}

# Seconds left in this terminal's session, into __awsmfa_left; status 1 without a session (also
# for an expiry no session can have, as for the CLI).
# Builtins only: $EPOCHSECONDS (bash 5), else printf's %(%s)T (bash 4.2); `date` only on older bash.
function __awsmfa_seconds_left {
  local __awsmfa_exp=${AWSMFA_EXPIRATION-} __awsmfa_now=${EPOCHSECONDS-}
  # Digits only before any arithmetic: bash evaluates names (and a[$(…)]) inside $(( )).
  [[ -n ${AWSMFA_PROFILE-} && -n $__awsmfa_exp && $__awsmfa_exp != *[!0-9]* && ${#__awsmfa_exp} -le 15 ]] || return 1
  if [[ -z $__awsmfa_now || $__awsmfa_now == *[!0-9]* ]]; then
    builtin printf -v __awsmfa_now '%(%s)T' -1 2>/dev/null || __awsmfa_now=$(date +%s)
    [[ -n $__awsmfa_now && $__awsmfa_now != *[!0-9]* ]] || return 1
  fi
  __awsmfa_left=$((10#$__awsmfa_exp - 10#$__awsmfa_now))
  # Further ahead than any AWS session lasts is not a time: lib/session.ts MAX_SESSION_SECONDS (36 h).
  ((__awsmfa_left <= 129600))
}

# The profile name for the screen, into __awsmfa_shown: control characters (terminal escapes)
# become `?`. [[:cntrl:]] covers C0, DEL and, in a UTF-8 locale, C1; under LANG=C bash sees a C1
# character such as the 8-bit CSI U+009B as the bytes \302\233, which a UTF-8 terminal still obeys.
function __awsmfa_printable {
  __awsmfa_shown=${1//[[:cntrl:]]/?}
  __awsmfa_shown=${__awsmfa_shown//$'\302'[$'\200'-$'\237']/?}
}

function awsmfa_prompt {
  local __awsmfa_status=$? __awsmfa_left __awsmfa_text='' __awsmfa_profile __awsmfa_minutes __awsmfa_colour='' __awsmfa_shown
  if __awsmfa_seconds_left; then
    # The name comes from the environment: no control characters (terminal escapes) reach the screen.
    __awsmfa_printable "$AWSMFA_PROFILE"
    __awsmfa_profile=$__awsmfa_shown
    if ((__awsmfa_left <= 0)); then
      __awsmfa_text="$__awsmfa_profile expired"
    else
      __awsmfa_minutes=$((__awsmfa_left / 60))
      if ((__awsmfa_minutes >= 60)); then
        builtin printf -v __awsmfa_text '%s %dh%02dm' "$__awsmfa_profile" $((__awsmfa_minutes / 60)) $((__awsmfa_minutes % 60))
      else
        __awsmfa_text="$__awsmfa_profile ${__awsmfa_minutes}m"
      fi
    fi
    if [[ -n ${AWSMFA_PROMPT_COLOR-} && ${AWSMFA_PROMPT_COLOR} != 0 && -z ${NO_COLOR-} ]]; then
      if ((__awsmfa_left > 3600)); then
        __awsmfa_colour=32
      elif ((__awsmfa_left > 900)); then
        __awsmfa_colour=33
      else
        __awsmfa_colour=31
      fi
      # \001 … \002 tell readline the escape takes no columns (what \[ \] become in PS1).
      __awsmfa_text=$'\001\e['"$__awsmfa_colour"$'m\002'"$__awsmfa_text"$'\001\e[0m\002'
    fi
  fi
  if [[ ${1-} == -v ]]; then
    if [[ ${2-} =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
      builtin printf -v "$2" '%s' "$__awsmfa_text"
    else
      builtin printf 'awsmfa_prompt: -v needs a variable name\n' >&2
    fi
  else
    builtin printf '%s' "$__awsmfa_text"
  fi
  return "$__awsmfa_status"
}

# One line on stderr when AWSMFA_WARN_MINUTES is set and the session is that close to its end
# (or past it); once per session. Never asks for a code: renewing is `awsmfa use` again.
function __awsmfa_warn {
  local __awsmfa_left __awsmfa_warn_minutes=${AWSMFA_WARN_MINUTES-} __awsmfa_profile __awsmfa_shown
  [[ -n $__awsmfa_warn_minutes && $__awsmfa_warn_minutes != *[!0-9]* && ${#__awsmfa_warn_minutes} -le 6 ]] || return 0
  __awsmfa_seconds_left || return 0
  [[ ${__awsmfa_warned-} != "$AWSMFA_EXPIRATION" ]] || return 0
  ((__awsmfa_left <= 10#$__awsmfa_warn_minutes * 60)) || return 0
  __awsmfa_warned=$AWSMFA_EXPIRATION
  __awsmfa_printable "$AWSMFA_PROFILE"
  __awsmfa_profile=$__awsmfa_shown
  if ((__awsmfa_left <= 0)); then
    builtin printf 'awsmfa: the %s session has expired; renew it with: awsmfa use %s\n' "$__awsmfa_profile" "$__awsmfa_profile" >&2
  else
    builtin printf 'awsmfa: the %s session ends in %dm; renew it with: awsmfa use %s\n' "$__awsmfa_profile" $((__awsmfa_left / 60)) "$__awsmfa_profile" >&2
  fi
}

function __awsmfa_prompt_command {
  local __awsmfa_status=$?
  [[ -z ${AWSMFA_WARN_MINUTES-} ]] || __awsmfa_warn
  return "$__awsmfa_status"
}

# The warning hook runs before the user's PROMPT_COMMAND and hands its $? on unchanged.
if [[ ${PROMPT_COMMAND-} != *__awsmfa_prompt_command* ]]; then
  PROMPT_COMMAND="__awsmfa_prompt_command${PROMPT_COMMAND:+$'\n'$PROMPT_COMMAND}"
fi

# Sourced as a file (not through `awsmfa init bash`, which prints the completion after this):
# load the completion that ships next to it.
if [[ ${BASH_SOURCE[0]-} == *awsmfa.bash ]]; then
  if [[ ${BASH_SOURCE[0]} == */* ]]; then
    __awsmfa_completion=${BASH_SOURCE[0]%/*}/../completions/awsmfa.bash
  else
    __awsmfa_completion=../completions/awsmfa.bash
  fi
  if [[ -r $__awsmfa_completion ]]; then
    builtin source "$__awsmfa_completion"
  fi
  builtin unset -v __awsmfa_completion
fi
