# Parts of this file are generated from lib/shells/completion/ by npm run gen:completions.
# fish completion for awsmfa: commands, options, --shell values, and after use/env/exec/doctor the
# profiles that can be targets (profiles of the AWS config and credentials files with a role_arn),
# described by account and role. Loaded by shells/awsmfa.fish and printed by `awsmfa init fish`; it
# also works from a directory in $fish_complete_path. One awk process per profile list; Node never
# starts.

complete -c awsmfa -e

# Target profiles as `name<TAB>account role`: the profiles with a role_arn in $AWS_CONFIG_FILE
# (else ~/.aws/config) and $AWS_SHARED_CREDENTIALS_FILE (else ~/.aws/credentials), merged per key as
# the AWS SDK merges them (the credentials file wins). Parsed as the SDK's INI loader reads them:
# `[profile NAME]` and `[default]` in the config file, `[NAME]` in the credentials file (NAME made of
# letters, digits and _-@+.%:/), `;`/`#` comments, nested `key =` blocks.
function __awsmfa_profiles
    set -l config ~/.aws/config
    set -q AWS_CONFIG_FILE; and test -n "$AWS_CONFIG_FILE"; and set config $AWS_CONFIG_FILE
    set -l credentials ~/.aws/credentials
    set -q AWS_SHARED_CREDENTIALS_FILE; and test -n "$AWS_SHARED_CREDENTIALS_FILE"; and set credentials $AWS_SHARED_CREDENTIALS_FILE
    set -l files
    # A literal ~/ means HOME, as the SDK reads it; ./ keeps a relative name from reading as an
    # awk assignment (NAME=VALUE).
    string match -q '~/*' -- $config; and set config $HOME/(string sub -s 3 -- $config)
    string match -q '~/*' -- $credentials; and set credentials $HOME/(string sub -s 3 -- $credentials)
    string match -q '/*' -- $config; or set config ./$config
    string match -q '/*' -- $credentials; or set credentials ./$credentials
    test -r $config -a ! -d $config; and set -a files kind=config $config
    test -r $credentials -a ! -d $credentials; and set -a files kind=credentials section= $credentials
    set -q files[1]; or return 0
    AWSMFA_COMPLETE_PREFIX='' AWSMFA_COMPLETE_FORMAT=fish LC_ALL=C awk '
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
    ' $files 2>/dev/null
end

# True when the command line (up to the cursor) has a subcommand from $argv and no plain argument
# after it yet: the position of its first argument.
function __awsmfa_first_argument
    set -l words (builtin commandline -opc)
    set -l seen
    set -l plain 0
    set -l skip 0
    for word in $words[2..-1]
        if test $skip -eq 1
            set skip 0
        else if __awsmfa_takes_value $word
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

complete -c awsmfa -f

# generated from lib/command-line.ts by npm run gen:completions; do not edit
function __awsmfa_takes_value
    builtin contains -- $argv[1] --token-code -t --duration -d --region --session-name --min-remaining --shell --destination
end

complete -c awsmfa -n "not __fish_seen_subcommand_from use clear env exec console list doctor status agent init demo" -l help -s h -d 'Show help'
complete -c awsmfa -n "not __fish_seen_subcommand_from use clear env exec console list doctor status agent init demo" -l version -s V -d 'Show the version'
complete -c awsmfa -n "not __fish_seen_subcommand_from use clear env exec console list doctor status agent init demo" -a use -d 'Start a session in this terminal (asks for the MFA code)'
complete -c awsmfa -n "not __fish_seen_subcommand_from use clear env exec console list doctor status agent init demo" -a clear -d 'Remove the session from this terminal, restore what it replaced'
complete -c awsmfa -n "not __fish_seen_subcommand_from use clear env exec console list doctor status agent init demo" -a env -d 'Print shell code that exports a session'
complete -c awsmfa -n "not __fish_seen_subcommand_from use clear env exec console list doctor status agent init demo" -a exec -d 'Run one command with a session in its environment'
complete -c awsmfa -n "not __fish_seen_subcommand_from use clear env exec console list doctor status agent init demo" -a console -d 'Sign in to the AWS console in the browser with the session'
complete -c awsmfa -n "not __fish_seen_subcommand_from use clear env exec console list doctor status agent init demo" -a list -d 'List the profiles that can be targets'
complete -c awsmfa -n "not __fish_seen_subcommand_from use clear env exec console list doctor status agent init demo" -a doctor -d 'Check profiles, keys and the shell integration'
complete -c awsmfa -n "not __fish_seen_subcommand_from use clear env exec console list doctor status agent init demo" -a status -d 'Show this terminal\'s session'
complete -c awsmfa -n "not __fish_seen_subcommand_from use clear env exec console list doctor status agent init demo" -a agent -d 'Hold sessions in memory so one code serves every terminal'
complete -c awsmfa -n "not __fish_seen_subcommand_from use clear env exec console list doctor status agent init demo" -a init -d 'Print the shell integration'
complete -c awsmfa -n "not __fish_seen_subcommand_from use clear env exec console list doctor status agent init demo" -a demo -d 'See the whole flow against a local STS emulator'
complete -c awsmfa -n '__awsmfa_first_argument use env exec console doctor' -a '(__awsmfa_profiles)'
complete -c awsmfa -n '__awsmfa_first_argument agent' -a 'start stop status forget add' -d Action
complete -c awsmfa -n '__fish_seen_subcommand_from agent; and __fish_seen_subcommand_from forget add' -a '(__awsmfa_profiles)'
complete -c awsmfa -n '__awsmfa_first_argument init' -a 'bash zsh fish powershell nu' -d Shell
complete -c awsmfa -n '__fish_seen_subcommand_from exec; and contains -- -- (commandline -opc)' -a '(__awsmfa_complete_command)'
complete -c awsmfa -n '__fish_seen_subcommand_from use env exec console' -l token-code -s t -x -d 'The 6-digit MFA code'
complete -c awsmfa -n '__fish_seen_subcommand_from use env exec console' -l duration -s d -x -a '12h 8h 4h 1h 45m 15m' -d 'Session length (12h, 45m, 3600)'
complete -c awsmfa -n '__fish_seen_subcommand_from use env exec' -l region -x -d 'Region for STS and AWS_REGION'
complete -c awsmfa -n '__fish_seen_subcommand_from use env exec console' -l session-name -x -d RoleSessionName
complete -c awsmfa -n '__fish_seen_subcommand_from use env exec console agent' -l verbose -s v -d 'Explain each step on stderr'
complete -c awsmfa -n '__fish_seen_subcommand_from use env exec console' -l min-remaining -x -a '15m 30m 1h' -d 'Reuse a session only with this much left'
complete -c awsmfa -n '__fish_seen_subcommand_from use env exec console' -l no-agent -d 'Neither ask a running agent nor hand it the session'
complete -c awsmfa -n '__fish_seen_subcommand_from use clear env exec console list doctor status agent init demo' -l help -s h -d 'Show help'
complete -c awsmfa -n '__fish_seen_subcommand_from env' -l shell -x -a 'bash zsh sh fish powershell pwsh nu' -d 'Syntax of the output'
complete -c awsmfa -n '__fish_seen_subcommand_from env' -l json -d 'Print credential_process JSON'
complete -c awsmfa -n '__fish_seen_subcommand_from console' -l url -d 'Print the sign-in URL instead of opening a browser'
complete -c awsmfa -n '__fish_seen_subcommand_from console' -l destination -x -a 's3 ec2 iam cloudwatch lambda cloudformation rds' -d 'The console page'
complete -c awsmfa -n '__fish_seen_subcommand_from console' -l region -x -d 'The console\'s region'
complete -c awsmfa -n '__fish_seen_subcommand_from list' -l json -d 'A JSON array for scripts'
complete -c awsmfa -n '__fish_seen_subcommand_from doctor' -l online -d 'Also call GetCallerIdentity with the source keys'
complete -c awsmfa -n '__fish_seen_subcommand_from status' -l verify -d 'Call GetCallerIdentity with the session'
complete -c awsmfa -n '__fish_seen_subcommand_from status' -l json -d 'JSON output'
# end of generated lib/command-line.ts
