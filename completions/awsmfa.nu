# Parts of this file are generated from lib/shells/completion/ by npm run gen:completions.
# nushell completion for awsmfa: commands, and after use/env/exec/console/doctor (and agent add/forget)
# the profiles that can be targets (profiles of the AWS config and credentials files with a role_arn),
# described by account and role. Loaded by shells/awsmfa.nu and printed by `awsmfa init nu` after the
# integration, whose `awsmfa` names __awsmfa_complete as the completer of its words. One awk process
# per TAB on a profile position; Node never starts.

# Target profiles as {value, description}: the profiles with a role_arn in $env.AWS_CONFIG_FILE (else
# ~/.aws/config) and $env.AWS_SHARED_CREDENTIALS_FILE (else ~/.aws/credentials), merged per key as the
# AWS SDK merges them (the credentials file wins). Parsed as the SDK's INI loader reads them, by the
# same awk program as the other shells' completions.
def __awsmfa_profiles [] {
    let program = '
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
    '
    # A literal ~/ means HOME, as the SDK reads it; ./ keeps a relative name from reading as an awk
    # assignment (NAME=VALUE).
    let file = {|name: string, fallback: string|
        let given = ($env | get -o $name | default '')
        let path = if ($given | is-empty) { $fallback } else { $given }
        let path = if ($path | str starts-with '~/') { $env.HOME | path join ($path | str substring 2..) } else { $path }
        if ($path | str starts-with '/') { $path } else { $"./($path)" }
    }
    let config = (do $file AWS_CONFIG_FILE $"($env.HOME)/.aws/config")
    let credentials = (do $file AWS_SHARED_CREDENTIALS_FILE $"($env.HOME)/.aws/credentials")
    let readable = {|path: string| ($path | path exists) and ($path | path type) != 'dir' }
    let files = (
        (if (do $readable $config) { [kind=config $config] } else { [] })
        | append (if (do $readable $credentials) { [kind=credentials section= $credentials] } else { [] })
    )
    if ($files | is-empty) { return [] }
    let found = (with-env {AWSMFA_COMPLETE_PREFIX: '', AWSMFA_COMPLETE_FORMAT: fish, LC_ALL: C} { ^awk $program ...$files | complete })
    $found.stdout | lines | where {|line| $line != '' } | each {|line|
        let parts = ($line | split row -n 2 (char tab))
        {value: ($parts | first), description: ($parts | get -o 1 | default '')}
    }
}

# generated from lib/command-line.ts by npm run gen:completions; do not edit
# The word lists of the command line (lib/command-line.ts): the commands; each command's options
# ("": before one); the options that take the next word, and the values offered after them; the
# commands whose first plain argument is a target profile; the words of a first argument; "COMMAND
# WORD" after which one or any number of profiles follow.
const __awsmfa_commands = [[value description]; ["use" "start a session in this terminal (asks for the MFA code)"] ["clear" "remove the session from this terminal, restore what it replaced"] ["env" "print shell code that exports a session"] ["exec" "run one command with a session in its environment"] ["console" "sign in to the AWS console in the browser with the session"] ["list" "list the profiles that can be targets"] ["doctor" "check profiles, keys and the shell integration"] ["status" "show this terminal's session"] ["agent" "hold sessions in memory so one code serves every terminal"] ["init" "print the shell integration"] ["demo" "see the whole flow against a local STS emulator"]]
const __awsmfa_options = {"": [[value description]; ["--help" "show help"] ["-h" "show help"] ["--version" "show the version"] ["-V" "show the version"]], "use": [[value description]; ["--token-code" "the 6-digit MFA code"] ["-t" "the 6-digit MFA code"] ["--duration" "session length (12h, 45m, 3600)"] ["-d" "session length (12h, 45m, 3600)"] ["--region" "region for STS and AWS_REGION"] ["--session-name" "RoleSessionName"] ["--verbose" "explain each step on stderr"] ["-v" "explain each step on stderr"] ["--min-remaining" "reuse a session only with this much left"] ["--no-agent" "neither ask a running agent nor hand it the session"] ["--help" "show help"] ["-h" "show help"]], "clear": [[value description]; ["--help" "show help"] ["-h" "show help"]], "env": [[value description]; ["--token-code" "the 6-digit MFA code"] ["-t" "the 6-digit MFA code"] ["--duration" "session length (12h, 45m, 3600)"] ["-d" "session length (12h, 45m, 3600)"] ["--region" "region for STS and AWS_REGION"] ["--session-name" "RoleSessionName"] ["--verbose" "explain each step on stderr"] ["-v" "explain each step on stderr"] ["--min-remaining" "reuse a session only with this much left"] ["--no-agent" "neither ask a running agent nor hand it the session"] ["--shell" "syntax of the output"] ["--json" "print credential_process JSON"] ["--help" "show help"] ["-h" "show help"]], "exec": [[value description]; ["--token-code" "the 6-digit MFA code"] ["-t" "the 6-digit MFA code"] ["--duration" "session length (12h, 45m, 3600)"] ["-d" "session length (12h, 45m, 3600)"] ["--region" "region for STS and AWS_REGION"] ["--session-name" "RoleSessionName"] ["--verbose" "explain each step on stderr"] ["-v" "explain each step on stderr"] ["--min-remaining" "reuse a session only with this much left"] ["--no-agent" "neither ask a running agent nor hand it the session"] ["--help" "show help"] ["-h" "show help"] ["--" "the command line follows"]], "console": [[value description]; ["--min-remaining" "reuse a session only with this much left"] ["--no-agent" "neither ask a running agent nor hand it the session"] ["--url" "print the sign-in URL instead of opening a browser"] ["--destination" "the console page"] ["--region" "the console's region"] ["--token-code" "the 6-digit MFA code"] ["-t" "the 6-digit MFA code"] ["--duration" "session length (12h, 45m, 3600)"] ["-d" "session length (12h, 45m, 3600)"] ["--session-name" "RoleSessionName"] ["--verbose" "explain each step on stderr"] ["-v" "explain each step on stderr"] ["--help" "show help"] ["-h" "show help"]], "list": [[value description]; ["--json" "a JSON array for scripts"] ["--help" "show help"] ["-h" "show help"]], "doctor": [[value description]; ["--online" "also call GetCallerIdentity with the source keys"] ["--help" "show help"] ["-h" "show help"]], "status": [[value description]; ["--verify" "call GetCallerIdentity with the session"] ["--json" "JSON output"] ["--help" "show help"] ["-h" "show help"]], "agent": [[value description]; ["--verbose" "explain each step on stderr"] ["-v" "explain each step on stderr"] ["--help" "show help"] ["-h" "show help"]], "init": [[value description]; ["--help" "show help"] ["-h" "show help"]], "demo": [[value description]; ["--help" "show help"] ["-h" "show help"]]}
const __awsmfa_value_options = ["--token-code" "-t" "--duration" "-d" "--region" "--session-name" "--min-remaining" "--shell" "--destination"]
const __awsmfa_values = {"--duration": ["12h" "8h" "4h" "1h" "45m" "15m"], "-d": ["12h" "8h" "4h" "1h" "45m" "15m"], "--min-remaining": ["15m" "30m" "1h"], "--shell": ["bash" "zsh" "sh" "fish" "powershell" "pwsh" "nu"], "--destination": ["s3" "ec2" "iam" "cloudwatch" "lambda" "cloudformation" "rds"]}
const __awsmfa_profile_first = ["use" "env" "exec" "console" "doctor"]
const __awsmfa_words = {"agent": ["start" "stop" "status" "forget" "add"], "init": ["bash" "zsh" "fish" "powershell" "nu"]}
const __awsmfa_profiles_after_one = ["agent forget"]
const __awsmfa_profiles_after_many = ["agent add"]
# end of generated lib/command-line.ts

# The completer of `awsmfa`'s words; `context` is the command line up to the cursor. It reads the
# words before the cursor as the CLI does (an option that takes a value takes the next word; after
# `--`, another program's words), and offers what fits where the cursor is. nushell filters by
# what is typed; null after `--` lets nushell complete the other program's words (file names).
def __awsmfa_complete [context: string] {
    let words = ($context | split row -r '\s+')
    let current = ($words | last)
    let before = ($words | skip 1 | drop 1)
    mut command = ''
    mut positionals = 0
    mut first = ''
    mut dashdash = false
    mut value_next = false
    for word in $before {
        if $value_next {
            $value_next = false
        } else if $dashdash {
            $positionals += 1
        } else if $word == '--' {
            $dashdash = true
        } else if ($word | str starts-with '-') {
            $value_next = ($word in $__awsmfa_value_options)
        } else if $command == '' {
            $command = $word
        } else {
            $positionals += 1
            if $positionals == 1 { $first = $word }
        }
    }
    if $command == '' {
        return (if ($current | str starts-with '-') { $__awsmfa_options | get '' } else { $__awsmfa_commands })
    }
    if $value_next {
        # No values for one nobody can guess (a code, a region, a name).
        return ($__awsmfa_values | get -o ($before | last) | default [])
    }
    if $dashdash { return null }
    if ($current | str starts-with '-') {
        return ($__awsmfa_options | get -o $command | default [[value description]; ['--help' 'show help']])
    }
    let after = $"($command) ($first)"
    let agent_profiles = ($after in $__awsmfa_profiles_after_many) or ($after in $__awsmfa_profiles_after_one and $positionals == 1)
    if $positionals == 0 and $command in $__awsmfa_words { return ($__awsmfa_words | get $command) }
    if $positionals > 0 and not $agent_profiles { return [] }
    if ($command in $__awsmfa_profile_first) or $agent_profiles { __awsmfa_profiles } else { [] }
}
