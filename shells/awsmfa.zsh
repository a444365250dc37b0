# awsmfa shell integration for zsh (5.1 and later).
#
# Load it from ~/.zshrc with ONE of these lines (after compinit, if you call it yourself):
#   source /path/to/awsmfa/shells/awsmfa.zsh   # starts no Node; loads ../completions/_awsmfa too
#   eval "$(awsmfa init zsh)"                   # the same text (integration + completion), from the CLI
#
#   awsmfa use PROFILE [env options]   a session for THIS terminal: runs `awsmfa env --shell zsh`,
#                                      applies its output only when it succeeded
#   awsmfa clear                       removes the session, restores what the first `use` replaced
#   awsmfa ...                         every other command goes to the awsmfa program unchanged
#   awsmfa_prompt [-v NAME]            prints `prod 11h59m`, `prod 42m`, `prod expired` or nothing,
#                                      escaped for prompts (literal under prompt_subst); -v NAME
#                                      stores it in NAME instead; starts no process
# Read at every prompt: AWSMFA_PROMPT_COLOR=1 colours the segment (NO_COLOR wins);
# AWSMFA_WARN_MINUTES=N prints one line on stderr, once per session, N minutes before it ends.

# The function hands AWSMFA_SHELL=zsh to each call of the program (`awsmfa env` writes for it, `doctor`
# sees the integration) and never exports it: a child (a /bin/sh script, another shell) would read
# it and get output in a syntax it cannot run. Remove one an earlier version exported.
builtin unset AWSMFA_SHELL 2>/dev/null
# An alias would shadow the function below: the integration owns the name.
builtin unalias awsmfa awsmfa_prompt >/dev/null 2>&1 || builtin true

function awsmfa {
  builtin emulate -L zsh
  case ${1-} in
    (use)
      builtin shift
      __awsmfa_use "$@"
      ;;
    (clear)
      builtin shift
      __awsmfa_clear "$@"
      ;;
    (*) AWSMFA_SHELL=zsh builtin command awsmfa "$@" ;;
  esac
}

function __awsmfa_use {
  builtin emulate -L zsh
  local arg out status_
  for arg in "$@"; do
    case $arg in
      (--) break ;;
      (-h|--help|-V|--version)
        # Help and version text is for reading, never for eval.
        AWSMFA_SHELL=zsh builtin command awsmfa use "$@"
        return
        ;;
    esac
  done
  # Capture first: `eval "$(…)"` would report eval's status and run whatever a failure printed.
  # The MFA prompt goes to /dev/tty and stderr, so it still reaches the user.
  out=$(AWSMFA_SHELL=zsh builtin command awsmfa env --shell zsh "$@") || return
  # The first `use` of a chain remembers what the session replaces; `clear` puts it back.
  (( ${+__awsmfa_saved} )) || __awsmfa_save
  builtin eval "$out"
  status_=$?
  builtin unset __awsmfa_warned
  return status_
}

# What the session replaces: the profile and region variables, and the user's own keys (for
# credential_source = Environment). Keys that an awsmfa session put there (AWSMFA_PROFILE is set, as
# in a child of a shell that ran `use`) are not the user's: they are recorded as absent.
function __awsmfa_save {
  builtin emulate -L zsh
  local name
  local -a names
  names=(AWS_PROFILE AWS_DEFAULT_PROFILE AWS_REGION AWS_DEFAULT_REGION)
  [[ -n ${AWSMFA_PROFILE-} ]] ||
    names+=(AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_CREDENTIAL_EXPIRATION)
  typeset -gA __awsmfa_saved
  __awsmfa_saved=()
  for name in $names; do
    (( ${(P)+name} )) && __awsmfa_saved[$name]=${(P)name}
  done
  return 0
}

function __awsmfa_clear {
  builtin emulate -L zsh
  local profile=${AWSMFA_PROFILE-} name REPLY
  case ${1-} in
    (-h|--help)
      builtin print -rl -- 'usage: awsmfa clear' \
        '  Removes the awsmfa session from this terminal and restores what the first awsmfa use' \
        '  replaced (or its absence): AWS_PROFILE, AWS_DEFAULT_PROFILE, AWS_REGION, AWS_DEFAULT_REGION' \
        '  and your own AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_SECURITY_TOKEN,' \
        '  AWS_CREDENTIAL_EXPIRATION.'
      return 0
      ;;
  esac
  if (( $# > 0 )); then
    builtin print -rlu2 -- 'awsmfa: clear takes no arguments' '  fix: awsmfa clear'
    return 2
  fi
  if [[ -z $profile ]] && (( ! ${+__awsmfa_saved} )); then
    builtin print -ru2 -- 'awsmfa: no awsmfa session in this terminal; nothing to clear'
    return 0
  fi
  builtin unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION \
    AWS_REGION AWS_DEFAULT_REGION AWSMFA_PROFILE AWSMFA_EXPIRATION AWSMFA_ROLE_ARN
  if (( ${+__awsmfa_saved} )); then
    for name in AWS_PROFILE AWS_DEFAULT_PROFILE AWS_REGION AWS_DEFAULT_REGION \
      AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_CREDENTIAL_EXPIRATION; do
      if (( ${+__awsmfa_saved[$name]} )); then
        builtin export "$name=${__awsmfa_saved[$name]}"
      else
        builtin unset $name
      fi
    done
  fi
  builtin unset __awsmfa_saved __awsmfa_warned
  __awsmfa_printable "$profile"
  builtin print -ru2 -- "awsmfa: cleared the ${REPLY:-awsmfa} session from this terminal"
  return 0
}

# Seconds left in this terminal's session, into $left of the caller; status 1 without a session
# (also for an expiry no session can have, as for the CLI).
function __awsmfa_seconds_left {
  local exp=${AWSMFA_EXPIRATION-} now=${EPOCHSECONDS-}
  # Digits only before any arithmetic: zsh evaluates names and expressions inside (( )).
  [[ -n ${AWSMFA_PROFILE-} && $exp == <-> && ${#exp} -le 15 ]] || return 1
  if [[ $now != <-> ]]; then
    builtin zmodload -F zsh/datetime p:EPOCHSECONDS 2>/dev/null
    now=${EPOCHSECONDS-}
    [[ $now == <-> ]] || return 1
  fi
  (( left = 10#$exp - 10#$now ))
  # Further ahead than any AWS session lasts is not a time: lib/session.ts MAX_SESSION_SECONDS (36 h).
  (( left <= 129600 ))
}

# The profile name for the screen, into REPLY: control characters (terminal escapes) become `?`.
# [[:cntrl:]] covers C0, DEL and, in a UTF-8 locale, C1; under LANG=C zsh sees a C1 character such
# as the 8-bit CSI U+009B as the bytes \302\233, which a UTF-8 terminal still obeys.
function __awsmfa_printable {
  builtin emulate -L zsh
  local -i code
  REPLY=${1//[[:cntrl:]]/?}
  if [[ $REPLY == *$'\302'* ]]; then
    for code in {128..159}; do
      REPLY=${REPLY//$'\302'${(#)code}/?}
    done
  fi
}

function awsmfa_prompt {
  local -i status_=$? bang=0 subst=0
  # Under prompt_bang a `!` in the output would become the history number; prompt_subst matters
  # for -v (below). Read before emulate, which resets both.
  [[ -o prompt_bang ]] && bang=1
  [[ -o prompt_subst ]] && subst=1
  builtin emulate -L zsh
  local -i left=0 minutes=0 hours=0
  local text='' profile colour='' REPLY
  if __awsmfa_seconds_left; then
    # The name comes from the environment. No control characters (terminal escapes) reach the
    # screen, and `%` is doubled: zsh applies prompt escapes to this text even after prompt_subst
    # (which never re-expands `$(…)` from it).
    __awsmfa_printable "$AWSMFA_PROFILE"
    profile=$REPLY
    profile=${profile//\%/%%}
    (( bang )) && profile=${profile//\!/!!}
    if (( left <= 0 )); then
      text="$profile expired"
    else
      (( minutes = left / 60, hours = minutes / 60, minutes %= 60 ))
      if (( hours > 0 )); then
        text="$profile ${hours}h${(l:2::0:)minutes}m"
      else
        text="$profile ${minutes}m"
      fi
    fi
    if [[ -n ${AWSMFA_PROMPT_COLOR-} && $AWSMFA_PROMPT_COLOR != 0 && -z ${NO_COLOR-} ]]; then
      if (( left > 3600 )); then
        colour=green
      elif (( left > 900 )); then
        colour=yellow
      else
        colour=red
      fi
      text="%F{$colour}$text%f"
    fi
  fi
  if [[ ${1-} == -v ]]; then
    if [[ ${2-} == [A-Za-z_]* && ${2-} != *[^A-Za-z0-9_]* ]]; then
      # -v stores a prompt string (`awsmfa_prompt -v RPROMPT`): under prompt_subst zsh expands
      # `$`, backquotes and `\` in it at every prompt, so each is escaped with `\`.
      if (( subst )); then
        text=${text//\\/\\\\}
        text=${text//\$/\\\$}
        text=${text//\`/\\\`}
      fi
      builtin typeset -g -- "$2=$text"
    else
      builtin print -ru2 -- 'awsmfa_prompt: -v needs a variable name'
    fi
  else
    builtin print -rn -- "$text"
  fi
  return status_
}

# One line on stderr when AWSMFA_WARN_MINUTES is set and the session is that close to its end
# (or past it); once per session. Never asks for a code: renewing is `awsmfa use` again.
function __awsmfa_warn {
  builtin emulate -L zsh
  local -i left=0
  local warn=${AWSMFA_WARN_MINUTES-} profile REPLY
  [[ $warn == <-> && ${#warn} -le 6 ]] || return 0
  __awsmfa_seconds_left || return 0
  [[ ${__awsmfa_warned-} != "$AWSMFA_EXPIRATION" ]] || return 0
  (( left <= 10#$warn * 60 )) || return 0
  typeset -g __awsmfa_warned=$AWSMFA_EXPIRATION
  __awsmfa_printable "$AWSMFA_PROFILE"
  profile=$REPLY
  if (( left <= 0 )); then
    builtin print -ru2 -- "awsmfa: the $profile session has expired; renew it with: awsmfa use $profile"
  else
    builtin print -ru2 -- "awsmfa: the $profile session ends in $(( left / 60 ))m; renew it with: awsmfa use $profile"
  fi
  return 0
}

function __awsmfa_precmd {
  local -i status_=$?
  builtin emulate -L zsh
  [[ -z ${AWSMFA_WARN_MINUTES-} ]] || __awsmfa_warn
  return status_
}

# Set-up with zsh's own options, whatever the user's are (ksh_arrays, sh_word_split, no_unset, …).
() {
  builtin emulate -L zsh
  # $EPOCHSECONDS: the prompt's clock, a builtin.
  builtin zmodload -F zsh/datetime p:EPOCHSECONDS >/dev/null 2>&1 || builtin true
  typeset -ga precmd_functions
  (( ${precmd_functions[(Ie)__awsmfa_precmd]} )) || precmd_functions=(__awsmfa_precmd $precmd_functions)
  # Sourced as a file (not through `awsmfa init zsh`, which prints the completion after this):
  # load the completion that ships next to it.
  if [[ $1 == (*/|)awsmfa.zsh && -r ${1:h}/../completions/_awsmfa ]]; then
    builtin source ${1:h}/../completions/_awsmfa
  fi
} ${(%):-%x}
