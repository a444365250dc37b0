# fish completion for awsmfa: commands, options, --shell values, and after use/env/exec/doctor the
# profiles that can be targets (sections of the AWS config file with a role_arn), described by
# account and role. Loaded by shells/awsmfa.fish and printed by `awsmfa init fish`; it also works
# from a directory in $fish_complete_path. One awk process per profile list; Node never starts.

complete -c awsmfa -e

# Target profiles of $AWS_CONFIG_FILE (else ~/.aws/config) as `name<TAB>account role`. Parsed as
# the AWS SDK reads the file: `[profile NAME]` and `[default]` sections (NAME made of letters,
# digits and _-@+.%:/, optionally quoted), `;`/`#` comments, nested `key =` blocks.
function __awsmfa_profiles
    set -l file ~/.aws/config
    set -q AWS_CONFIG_FILE; and test -n "$AWS_CONFIG_FILE"; and set file $AWS_CONFIG_FILE
    string match -q '~/*' -- $file; and set file $HOME/(string sub -s 3 -- $file)
    test -r $file -a ! -d $file; or return 0
    AWSMFA_COMPLETE_PREFIX='' AWSMFA_COMPLETE_FORMAT=fish LC_ALL=C awk '
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
      }' $file 2>/dev/null
end

# True when the command line (up to the cursor) has a subcommand from $argv and no plain argument
# after it yet: the profile position.
function __awsmfa_wants_profile
    set -l words (builtin commandline -opc)
    set -l seen
    set -l plain 0
    set -l skip 0
    for word in $words[2..-1]
        if test $skip -eq 1
            set skip 0
        else if string match -qr -- '^(--shell|--token-code|-t|--duration|-d|--region|--session-name|--min-remaining)$' $word
            set skip 1
        else if string match -q -- '-*' $word
            continue
        else if test -z "$seen"
            set seen $word
        else
            set plain (builtin math $plain + 1)
        end
    end
    builtin contains -- "$seen" $argv; and test $plain -eq 0
end

# After `exec PROFILE … --`: complete the rest as a command line of its own.
function __awsmfa_complete_command
    set -l words (builtin commandline -opc)
    set -l at (builtin contains -i -- -- $words)
    set -l rest
    test $at -lt (builtin count $words); and set rest $words[(builtin math $at + 1)..-1]
    builtin complete -C (string join ' ' -- (string escape -- $rest) (builtin commandline -ct))
end

set -l __awsmfa_commands use clear env exec list doctor status init demo
set -l __awsmfa_session use env exec

complete -c awsmfa -f
complete -c awsmfa -n "not __fish_seen_subcommand_from $__awsmfa_commands" -s h -l help -d 'Show help'
complete -c awsmfa -n "not __fish_seen_subcommand_from $__awsmfa_commands" -s V -l version -d 'Show the version'
complete -c awsmfa -n "not __fish_seen_subcommand_from $__awsmfa_commands" -a use -d 'Start a session in this terminal (MFA)'
complete -c awsmfa -n "not __fish_seen_subcommand_from $__awsmfa_commands" -a clear -d 'Remove the session, restore what it replaced'
complete -c awsmfa -n "not __fish_seen_subcommand_from $__awsmfa_commands" -a env -d 'Print shell code that exports a session'
complete -c awsmfa -n "not __fish_seen_subcommand_from $__awsmfa_commands" -a exec -d 'Run one command with a session'
complete -c awsmfa -n "not __fish_seen_subcommand_from $__awsmfa_commands" -a list -d 'List the profiles that can be targets'
complete -c awsmfa -n "not __fish_seen_subcommand_from $__awsmfa_commands" -a doctor -d 'Check profiles, keys and the integration'
complete -c awsmfa -n "not __fish_seen_subcommand_from $__awsmfa_commands" -a status -d "Show this terminal's session"
complete -c awsmfa -n "not __fish_seen_subcommand_from $__awsmfa_commands" -a init -d 'Print the shell integration'
complete -c awsmfa -n "not __fish_seen_subcommand_from $__awsmfa_commands" -a demo -d 'See the flow against a local STS emulator'

complete -c awsmfa -n '__awsmfa_wants_profile use env exec doctor' -a '(__awsmfa_profiles)'

complete -c awsmfa -n "__fish_seen_subcommand_from $__awsmfa_session" -s t -l token-code -x -d 'The 6-digit MFA code'
complete -c awsmfa -n "__fish_seen_subcommand_from $__awsmfa_session" -s d -l duration -x -a '12h 8h 4h 1h 45m 15m' -d 'Session length'
complete -c awsmfa -n "__fish_seen_subcommand_from $__awsmfa_session" -l region -x -d 'Region for STS and AWS_REGION'
complete -c awsmfa -n "__fish_seen_subcommand_from $__awsmfa_session" -l session-name -x -d RoleSessionName
complete -c awsmfa -n "__fish_seen_subcommand_from $__awsmfa_session" -s v -l verbose -d 'Explain each step on stderr'
complete -c awsmfa -n '__fish_seen_subcommand_from env' -l shell -x -a 'bash zsh sh fish powershell pwsh' -d 'Syntax of the output'
complete -c awsmfa -n '__fish_seen_subcommand_from env' -l json -d 'Print credential_process JSON'
complete -c awsmfa -n '__fish_seen_subcommand_from exec' -l min-remaining -x -a '15m 30m 1h' -d "Reuse this terminal's session"
complete -c awsmfa -n '__fish_seen_subcommand_from exec; and contains -- -- (commandline -opc)' -a '(__awsmfa_complete_command)'
complete -c awsmfa -n '__fish_seen_subcommand_from list' -l json -d 'A JSON array for scripts'
complete -c awsmfa -n '__fish_seen_subcommand_from doctor' -l online -d 'Also call GetCallerIdentity'
complete -c awsmfa -n '__fish_seen_subcommand_from status' -l verify -d 'Call GetCallerIdentity with the session'
complete -c awsmfa -n '__fish_seen_subcommand_from status' -l json -d 'JSON output'
complete -c awsmfa -n '__fish_seen_subcommand_from init; and test (count (commandline -opc)) -eq 2' -a 'bash zsh fish powershell'
