# shellcheck shell=bash
# Parts of this file are generated from lib/shells/completion/ by npm run gen:completions.
# bash completion for awsmfa: commands, options, --shell values, and after use/env/exec/doctor the
# profiles that can be targets (profiles of the AWS config and credentials files with a role_arn).
# Loaded by shells/awsmfa.bash and printed by `awsmfa init bash`; it also works on its own:
#   source /path/to/awsmfa/completions/awsmfa.bash
# One awk process per TAB on a profile position, none elsewhere; Node never starts.

# Target profiles whose names start with $1, one a line: the profiles with a role_arn in
# $AWS_CONFIG_FILE (else ~/.aws/config) and $AWS_SHARED_CREDENTIALS_FILE (else ~/.aws/credentials),
# merged per key as the AWS SDK merges them (the credentials file wins). Parsed as the SDK's INI
# loader reads them: `[profile NAME]` and `[default]` in the config file, `[NAME]` in the
# credentials file (NAME made of letters, digits and _-@+.%:/), `;`/`#` comments, nested `key =`
# blocks. With $2 = fish, each line is NAME<TAB>ACCOUNT ROLE; with zsh, NAME:ACCOUNT ROLE (`:` in
# NAME as `\:`).
function __awsmfa_profiles {
  local __awsmfa_config=${AWS_CONFIG_FILE:-$HOME/.aws/config}
  local __awsmfa_credentials=${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}
  local -a __awsmfa_files=()
  # A literal ~/ means HOME, as the SDK reads it; ./ keeps a relative name from reading as an
  # awk assignment (NAME=VALUE).
  # shellcheck disable=SC2088
  [[ $__awsmfa_config == "~/"* ]] && __awsmfa_config=$HOME/${__awsmfa_config#"~/"}
  # shellcheck disable=SC2088
  [[ $__awsmfa_credentials == "~/"* ]] && __awsmfa_credentials=$HOME/${__awsmfa_credentials#"~/"}
  [[ $__awsmfa_config == /* ]] || __awsmfa_config=./$__awsmfa_config
  [[ $__awsmfa_credentials == /* ]] || __awsmfa_credentials=./$__awsmfa_credentials
  [[ -r $__awsmfa_config && ! -d $__awsmfa_config ]] && __awsmfa_files+=(kind=config "$__awsmfa_config")
  [[ -r $__awsmfa_credentials && ! -d $__awsmfa_credentials ]] && __awsmfa_files+=(kind=credentials section= "$__awsmfa_credentials")
  ((${#__awsmfa_files[@]} > 0)) || return 0
  AWSMFA_COMPLETE_PREFIX=${1-} AWSMFA_COMPLETE_FORMAT=${2-} LC_ALL=C awk '
    # generated from lib/shells/completion/profiles.awk by npm run gen:completions; do not edit
    # Run as: awk PROGRAM kind=config CONFIG kind=credentials section= CREDENTIALS (either file may be
    # left out; section= makes the lines before the first section of the second file belong to none).
    # Sets key and value from a line read as the SDK reads it (a comment, `;` or `#` at the start or
    # after a blank, cut; blanks trimmed); 0 for a line without `=` or starting with it. A section line
    # may also start with a byte order mark, which the SDK trims as a blank.
    function parse(   line, eq) {
      line = $0; sub(/(^|[ \t\r\f\v])[;#].*$/, "", line); sub(/^[ \t\r\f\v]+/, "", line); sub(/[ \t\r\f\v]+$/, "", line)
      eq = index(line, "=")
      if (eq < 2) return 0
      key = substr(line, 1, eq - 1); sub(/[ \t\r\f\v]+$/, "", key)
      value = substr(line, eq + 1); sub(/^[ \t\r\f\v]+/, "", value)
      return 1
    }
    # The description as the list command shows it (lib/text.ts printable): C0 controls, DEL and C1
    # controls (UTF-8 \302\200-\302\237) become \xHH, so no terminal escape reaches the screen.
    function printable(s,   out, c, i) {
      out = ""
      while (match(s, /[\001-\037\177]|\302[\200-\237]/)) {
        c = substr(s, RSTART + RLENGTH - 1, 1)
        if (!("A" in ord)) for (i = 1; i < 256; i++) ord[sprintf("%c", i)] = i
        out = out substr(s, 1, RSTART - 1) sprintf("\\x%02x", ord[c]); s = substr(s, RSTART + RLENGTH)
      }
      return out s
    }
    # Prints target p, whose role ARN is a (or, for a user session, whose MFA device is u), as fish or zsh wants it.
    function show(p, a, u,   part, r, j) {
      if (a == "") { split(u, part, ":"); r = printable(part[5] " (user session)") }
      else {
        split(a, part, ":"); r = a
        for (j = 0; j < 5; j++) sub(/^[^:]*:/, "", r)
        sub(/^.*\//, "", r); r = printable(part[5] " " r)
      }
      if (format == "zsh") { gsub(/:/, "\\:", p); print p ":" r }
      else print p "\t" r
    }
    BEGIN { prefix = ENVIRON["AWSMFA_COMPLETE_PREFIX"]; plen = length(prefix); format = ENVIRON["AWSMFA_COMPLETE_FORMAT"]; split("role_arn mfa_serial aws_access_key_id aws_secret_access_key", w, " "); for (k in w) want[w[k]] = 1 }
    /^([ \t\r\f\v]|\357\273\277)*\[/ {
      line = $0; sub(/(^|[ \t\r\f\v])[;#].*$/, "", line); sub(/^([ \t\r\f\v]|\357\273\277)+/, "", line); sub(/[ \t\r\f\v]+$/, "", line)
      if (line ~ /^\[.*\]$/) {
        line = substr(line, 2, length(line) - 2)
        # A __proto__ section makes the SDK drop the whole file.
        if (line == "__proto__" || line == "profile __proto__") broken[kind] = 1
        # The section as the SDK names it, kept only when it can be a profile offered as one word (of
        # letters, digits and _-@+.%:/): `profile NAME` (NAME optionally quoted) is profile.NAME; other
        # `PREFIX NAME` sections (sso-session, services, unknown ones) are not profiles; any other text
        # is the name as written. The config file holds only [default] and profile.NAME (named NAME).
        section = ""; nested = 0
        if (match(line, /^[A-Za-z0-9_-]+[ \t\r\f\v]/)) {
          if (substr(line, 1, RLENGTH - 1) == "profile") {
            name = substr(line, RLENGTH + 1)
            if (name ~ /^"[A-Za-z0-9_@+.%:\/-]+"$/ || name ~ /^\047[A-Za-z0-9_@+.%:\/-]+\047$/) name = substr(name, 2, length(name) - 2)
            if (name ~ /^[A-Za-z0-9_@+.%:\/-]+$/) section = "profile." name
          }
        } else if (line ~ /^[A-Za-z0-9_@+.%:\/-]+$/ && line !~ /^(sso-session|services)\./) {
          if (kind != "config" || line == "default" || (line ~ /^profile\./ && line != "profile.")) section = line
        }
        # In the config file, [profile default] with any key replaces [default]: every key line counts.
        every = (kind == "config" && section == "profile.default")
        next
      }
    }
    section == "" { next }
    # Three kinds of line matter: `key =` opening a nested block, the first unindented `key = value`
    # after one (closing it), and role_arn. A regex picks them; every other line costs one test.
    every || /=[ \t\r\f\v]*([ \t\r\f\v][;#].*)?$/ || (nested && /^[^ \t\r\f\v]/) || /^[ \t\r\f\v]*(role_arn|mfa_serial|aws_access_key_id|aws_secret_access_key)[ \t\r\f\v]*=/ {
      if (!parse()) next
      if (value == "") { nested = 1; next }
      if (nested && $0 !~ /^[ \t\r\f\v]/) nested = 0
      if (every) replaced = 1
      if (nested || (key != "role_arn" && key != "mfa_serial" && key != "aws_access_key_id" && key != "aws_secret_access_key")) next
      if (kind == "config") { if (!(section in cseen)) corder[cn++] = section; cseen[section] = 1; cval[section, key] = value }
      else { if (!(section in rseen)) rorder[rn++] = section; rseen[section] = 1; rval[section, key] = value }
    }
    # The SDK merges the files per key, the credentials file winning. A target names a role, or
    # (a user session, lib/profiles.ts targetKind) has mfa_serial and both keys.
    END {
    if (broken["config"]) cn = 0
    if (broken["credentials"]) { rn = 0; split("", rval); split("", rseen) }
      for (i = 0; i < cn; i++) {
        s = corder[i]
        if (s == "default") { if (replaced) continue; p = s }
        else p = substr(s, 9)
        if (substr(p, 1, plen) != prefix) continue
        if (rn) shown[p] = 1
        for (k in want) v[k] = ((p, k) in rval) ? rval[p, k] : ((s, k) in cval) ? cval[s, k] : ""
        if (v["role_arn"] == "" && (v["mfa_serial"] == "" || v["aws_access_key_id"] == "" || v["aws_secret_access_key"] == "")) continue
        if (format == "") print p
        else show(p, v["role_arn"], v["mfa_serial"])
      }
      for (i = 0; i < rn; i++) {
        p = rorder[i]
        if (substr(p, 1, plen) != prefix || (p in shown)) continue
        for (k in want) v[k] = ((p, k) in rval) ? rval[p, k] : ""
        if (v["role_arn"] == "" && (v["mfa_serial"] == "" || v["aws_access_key_id"] == "" || v["aws_secret_access_key"] == "")) continue
        if (format == "") print p
        else show(p, v["role_arn"], v["mfa_serial"])
      }
    }
    # end of generated lib/shells/completion/profiles.awk
  ' "${__awsmfa_files[@]}" 2>/dev/null
}

# generated from lib/command-line.ts by npm run gen:completions; do not edit
# The commands, in the order offered.
function __awsmfa_reply_commands {
  __awsmfa_reply "$1" use clear env exec console list doctor status agent init demo
}

# The options of command $2 ('': before the command).
function __awsmfa_reply_options {
  case $2 in
    '') __awsmfa_reply "$1" --help -h --version -V ;;
    use) __awsmfa_reply "$1" --token-code -t --duration -d --region --session-name --verbose -v --min-remaining --no-agent --help -h ;;
    clear) __awsmfa_reply "$1" --help -h ;;
    env) __awsmfa_reply "$1" --token-code -t --duration -d --region --session-name --verbose -v --min-remaining --no-agent --shell --json --help -h ;;
    exec) __awsmfa_reply "$1" --token-code -t --duration -d --region --session-name --verbose -v --min-remaining --no-agent --help -h -- ;;
    console) __awsmfa_reply "$1" --min-remaining --no-agent --url --destination --region --token-code -t --duration -d --session-name --verbose -v --help -h ;;
    list) __awsmfa_reply "$1" --json --help -h ;;
    doctor) __awsmfa_reply "$1" --online --help -h ;;
    status) __awsmfa_reply "$1" --verify --json --help -h ;;
    agent) __awsmfa_reply "$1" --verbose -v --help -h ;;
    init) __awsmfa_reply "$1" --help -h ;;
    demo) __awsmfa_reply "$1" --help -h ;;
  esac
}

# True when option $1 takes a value (the next word).
function __awsmfa_takes_value {
  case $1 in
    --token-code | -t | --duration | -d | --region | --session-name | --min-remaining | --shell | --destination) return 0 ;;
  esac
  return 1
}

# The values offered after option $2 (none: a value nobody can guess, a code or a name).
function __awsmfa_reply_values {
  case $2 in
    --duration | -d) __awsmfa_reply "$1" 12h 8h 4h 1h 45m 15m ;;
    --min-remaining) __awsmfa_reply "$1" 15m 30m 1h ;;
    --shell) __awsmfa_reply "$1" bash zsh sh fish powershell pwsh nu ;;
    --destination) __awsmfa_reply "$1" s3 ec2 iam cloudwatch lambda cloudformation rds ;;
  esac
}

# The words plain argument $3 (0: the first) of command $2 may be, $4 being the first; true
# when it is a target profile.
function __awsmfa_reply_argument {
  case $2:$3 in
    use:0 | env:0 | exec:0 | console:0 | doctor:0) return 0 ;;
    agent:0) __awsmfa_reply "$1" start stop status forget add ;;
    agent:1) [[ $4 == forget || $4 == add ]] && return 0 ;;
    agent:*) [[ $4 == add ]] && return 0 ;;
    init:0) __awsmfa_reply "$1" bash zsh fish powershell nu ;;
  esac
  return 1
}

# True when command $1 takes another program's command line after --.
function __awsmfa_takes_command_line {
  case $1 in
    exec) return 0 ;;
  esac
  return 1
}
# end of generated lib/command-line.ts

function _awsmfa_complete {
  local -a words=()
  local cword cur prev='' command='' word i positionals=0 dashdash='' line option='' breaks first=''
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
      [[ $word != *=* ]] && __awsmfa_takes_value "$word" && i=$((i + 1))
    elif [[ -z $command ]]; then
      command=$word
    else
      positionals=$((positionals + 1))
      ((positionals == 1)) && first=$word
    fi
  done

  if [[ -z $dashdash && $cur == --*=* ]]; then
    option=${cur%%=*}
    prev=$option
    cur=${cur#*=}
  fi

  if [[ -z $command ]]; then
    if [[ $cur == -* ]]; then
      __awsmfa_reply_options "$cur" ''
    else
      __awsmfa_reply_commands "$cur"
    fi
  elif [[ -z $dashdash ]] && __awsmfa_takes_value "$prev"; then
    __awsmfa_reply_values "$cur" "$prev"
  elif [[ -n $dashdash ]] && __awsmfa_takes_command_line "$command"; then
    # After `--`: a command, then its arguments.
    if ((positionals <= 1)); then
      __awsmfa_read_replies < <(builtin compgen -c -- "$cur")
    else
      __awsmfa_read_replies < <(builtin compgen -f -- "$cur")
    fi
  elif [[ $cur == -* ]]; then
    __awsmfa_reply_options "$cur" "$command"
  elif __awsmfa_reply_argument "$cur" "$command" "$positionals" "$first"; then
    __awsmfa_read_replies < <(__awsmfa_profiles "$cur")
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
