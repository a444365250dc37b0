# shellcheck shell=bash
# bash completion for awsmfa: commands, options, --shell values, and after use/env/exec/doctor the
# profiles that can be targets (sections of the AWS config file with a role_arn).
# Loaded by shells/awsmfa.bash and printed by `awsmfa init bash`; it also works on its own:
#   source /path/to/awsmfa/completions/awsmfa.bash
# One awk process per TAB on a profile position, none elsewhere; Node never starts.

# Target profiles of $AWS_CONFIG_FILE (else ~/.aws/config) whose names start with $1, one a line.
# Parsed as the AWS SDK reads the file: `[profile NAME]` and `[default]` sections (NAME made of
# letters, digits and _-@+.%:/, optionally quoted), `;`/`#` comments, nested `key =` blocks.
# With $2 = fish, each line is NAME<TAB>ACCOUNT ROLE; with zsh, NAME:ACCOUNT ROLE (`:` in NAME as `\:`).
function __awsmfa_profiles {
  local __awsmfa_file=${AWS_CONFIG_FILE:-$HOME/.aws/config}
  # A literal ~/ in AWS_CONFIG_FILE means HOME, as the SDK reads it.
  # shellcheck disable=SC2088
  [[ $__awsmfa_file == "~/"* ]] && __awsmfa_file=$HOME/${__awsmfa_file#"~/"}
  [[ -r $__awsmfa_file && ! -d $__awsmfa_file ]] || return 0
  AWSMFA_COMPLETE_PREFIX=${1-} AWSMFA_COMPLETE_FORMAT=${2-} LC_ALL=C awk '
    function flush() {
      if (name != "" && arn != "") { if (!(name in role)) order[n++] = name; role[name] = arn }
      name = ""; arn = ""
    }
    # One line as the SDK reads it: comment cut, white space trimmed; sets key and value, 0 without `=`.
    function parse(   line, eq) {
      line = $0; sub(/(^|[ \t\r\f\v])[;#].*$/, "", line)
      sub(/^[ \t\r\f\v]+/, "", line); sub(/[ \t\r\f\v]+$/, "", line)
      eq = index(line, "=")
      if (eq < 2) return 0
      key = substr(line, 1, eq - 1); sub(/[ \t\r\f\v]+$/, "", key)
      value = substr(line, eq + 1); sub(/^[ \t\r\f\v]+/, "", value)
      return 1
    }
    BEGIN { prefix = ENVIRON["AWSMFA_COMPLETE_PREFIX"]; plen = length(prefix); format = ENVIRON["AWSMFA_COMPLETE_FORMAT"] }
    /^[ \t\r\f\v]*\[/ {
      line = $0; sub(/(^|[ \t\r\f\v])[;#].*$/, "", line)
      sub(/^[ \t\r\f\v]+/, "", line); sub(/[ \t\r\f\v]+$/, "", line)
      if (line !~ /^\[.*\]$/) next
      flush(); nested = 0
      section = substr(line, 2, length(line) - 2)
      if (section == "default") name = "default"
      else if (section ~ /^profile[ \t\r\f\v]/) {
        section = substr(section, 9)
        if (section ~ /^"[A-Za-z0-9_@+.%:\/-]+"$/ || section ~ /^\047[A-Za-z0-9_@+.%:\/-]+\047$/) section = substr(section, 2, length(section) - 2)
        if (section ~ /^[A-Za-z0-9_@+.%:\/-]+$/) name = section
      }
      next
    }
    name == "" { next }
    # Three kinds of line matter: `key =` opening a nested block, the first unindented `key = value`
    # after one (closing it), and role_arn. A regex picks them; every other line costs one test.
    /=[ \t\r\f\v]*([ \t\r\f\v][;#].*)?$/ || (nested && /^[^ \t\r\f\v]/) || /^[ \t\r\f\v]*role_arn[ \t\r\f\v]*=/ {
      if (!parse()) next
      if (value == "") { nested = 1; next }
      if (nested && $0 !~ /^[ \t\r\f\v]/) nested = 0
      if (!nested && key == "role_arn") arn = value
    }
    END {
      flush()
      for (i = 0; i < n; i++) {
        p = order[i]
        if (substr(p, 1, plen) != prefix) continue
        if (format == "") { print p; continue }
        split(role[p], part, ":"); r = role[p]
        for (j = 0; j < 5; j++) sub(/^[^:]*:/, "", r)
        sub(/^.*\//, "", r)
        if (format == "zsh") { gsub(/:/, "\\:", p); print p ":" part[5] " " r }
        else print p "\t" part[5] " " r
      }
    }' "$__awsmfa_file" 2>/dev/null
}

function _awsmfa_complete {
  local -a words=()
  local cword cur prev='' command='' word i positionals=0 dashdash='' line option='' breaks
  local value_options='--shell|--token-code|-t|--duration|-d|--region|--session-name|--min-remaining'
  local session_options=(--token-code -t --duration -d --region --session-name --verbose -v --help)
  COMPREPLY=()

  # bash splits COMP_WORDS at `:` and `=` (COMP_WORDBREAKS), and profile names may hold a `:`.
  # Re-split the line up to the cursor at blanks only; replies drop what bash sees as before the break.
  if [[ -n ${COMP_LINE-} ]]; then
    line=${COMP_LINE:0:${COMP_POINT:-${#COMP_LINE}}}
    builtin read -r -a words <<<"$line"
    [[ ${#words[@]} -eq 0 || $line == *[[:space:]] ]] && words+=("")
    cword=$((${#words[@]} - 1))
  else
    words=("${COMP_WORDS[@]}")
    cword=${COMP_CWORD:-0}
  fi
  cur=${words[cword]-}
  ((cword > 0)) && prev=${words[cword - 1]-}

  # The command, and how many plain arguments precede the cursor (values of options excluded).
  for ((i = 1; i < cword; i++)); do
    word=${words[i]-}
    if [[ -n $dashdash ]]; then
      positionals=$((positionals + 1))
    elif [[ $word == -- ]]; then
      dashdash=1
    elif [[ $word == -* ]]; then
      [[ $word != *=* && $word =~ ^($value_options)$ ]] && i=$((i + 1))
    elif [[ -z $command ]]; then
      command=$word
    else
      positionals=$((positionals + 1))
    fi
  done

  if [[ -z $dashdash && $cur == --*=* ]]; then
    option=${cur%%=*}
    prev=$option
    cur=${cur#*=}
  fi

  if [[ -z $command ]]; then
    if [[ $cur == -* ]]; then
      __awsmfa_reply "$cur" --help -h --version -V
    else
      __awsmfa_reply "$cur" use clear env exec list doctor status init demo
    fi
  elif [[ -z $dashdash && ( $prev == --shell || $prev == --duration || $prev == -d || $prev == --min-remaining ) ]]; then
    if [[ $prev == --shell ]]; then
      __awsmfa_reply "$cur" bash zsh sh fish powershell pwsh
    else
      __awsmfa_reply "$cur" 12h 8h 4h 1h 45m 15m
    fi
  elif [[ -z $dashdash && $prev =~ ^($value_options)$ ]]; then
    : # a value nobody can guess (a code, a region, a name)
  elif [[ $command == exec && -n $dashdash ]]; then
    # After `--`: a command, then its arguments.
    if ((positionals <= 1)); then
      __awsmfa_read_replies < <(builtin compgen -c -- "$cur")
    else
      __awsmfa_read_replies < <(builtin compgen -f -- "$cur")
    fi
  elif [[ $cur == -* ]]; then
    case $command in
      use) __awsmfa_reply "$cur" "${session_options[@]}" ;;
      env) __awsmfa_reply "$cur" "${session_options[@]}" --shell --json ;;
      exec) __awsmfa_reply "$cur" "${session_options[@]}" --min-remaining -- ;;
      list) __awsmfa_reply "$cur" --json --help ;;
      doctor) __awsmfa_reply "$cur" --online --help ;;
      status) __awsmfa_reply "$cur" --verify --json --help ;;
      clear | init | demo) __awsmfa_reply "$cur" --help ;;
    esac
  elif ((positionals == 0)); then
    case $command in
      use | env | exec | doctor)
        __awsmfa_read_replies < <(__awsmfa_profiles "$cur")
        ;;
      init) __awsmfa_reply "$cur" bash zsh fish powershell ;;
    esac
  fi

  # bash replaces only the text after the last word break (`:` or `=`) in the word: drop what precedes it.
  if [[ -n ${COMP_LINE-} && ${#COMPREPLY[@]} -gt 0 ]]; then
    word=${words[cword]-}
    line=''
    breaks=''
    [[ ${COMP_WORDBREAKS-} == *:* ]] && breaks+=':'
    [[ ${COMP_WORDBREAKS-} == *=* ]] && breaks+='='
    [[ -n $breaks && $word == *["$breaks"]* ]] && line=${word%"${word##*["$breaks"]}"}
    if [[ -n $option || -n $line ]]; then
      for i in "${!COMPREPLY[@]}"; do
        COMPREPLY[i]=${option:+$option=}${COMPREPLY[i]}
        COMPREPLY[i]=${COMPREPLY[i]#"$line"}
      done
    fi
  fi
  return 0
}

# COMPREPLY += the lines of stdin. mapfile reads a pipe in blocks; `read` (bash 3.2) byte by byte.
function __awsmfa_read_replies {
  local line
  if ((BASH_VERSINFO[0] >= 4)); then
    builtin mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY
  else
    while IFS= read -r line; do COMPREPLY+=("$line"); done
  fi
}

# COMPREPLY = the words after $1 that start with $1 (no compgen -W: it would expand the words).
function __awsmfa_reply {
  local cur=$1 word
  builtin shift
  for word in "$@"; do
    [[ $word == "$cur"* ]] && COMPREPLY+=("$word")
  done
  return 0
}

builtin complete -F _awsmfa_complete awsmfa
