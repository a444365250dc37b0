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

# The subcommands, as `awsmfa --help` lists them.
const __awsmfa_commands = [
    [value description];
    [use 'Start a session in this terminal (MFA)']
    [clear 'Remove the session, restore what it replaced']
    [env 'Print shell code that exports a session']
    [exec 'Run one command with a session']
    [console 'Sign in to the AWS console with the session']
    [list 'List the profiles that can be targets']
    [doctor 'Check profiles, keys and the integration']
    [status "Show this terminal's session"]
    [agent 'Hold sessions in memory for every terminal']
    [init 'Print the shell integration']
    [demo 'See the flow against a local STS emulator']
]

# The options of use/env/exec/console that take a value: the word after one is not the profile.
const __awsmfa_value_options = [-t --token-code -d --duration --region --session-name --shell --min-remaining --destination]

# The completer of `awsmfa`'s words; `context` is the command line up to the cursor.
def __awsmfa_complete [context: string] {
    let words = ($context | split row -r '\s+')
    # The last word is the one being completed ('' after a blank).
    let before = ($words | skip 1 | drop 1)
    if ($before | is-empty) { return $__awsmfa_commands }
    let command = ($before | first)
    let rest = ($before | skip 1)
    let wants = if $command in [use env exec console doctor] {
        mut plain = 0
        mut skip = false
        for word in $rest {
            if $skip { $skip = false } else if $word in $__awsmfa_value_options { $skip = true } else if not ($word | str starts-with '-') { $plain += 1 }
        }
        $plain == 0 and not $skip
    } else if $command == agent {
        ($rest | length) == 1 and ($rest | first) in [add forget]
    } else { false }
    if $wants { __awsmfa_profiles } else if $command == agent and ($rest | is-empty) { [start stop status forget add] } else { [] }
}
