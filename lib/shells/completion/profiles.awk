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
