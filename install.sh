#!/bin/sh
# awsmfa installer: builds the checkout it lives in, links `awsmfa` onto PATH, and adds one marked
# line per installed shell that loads the integration (awsmfa use/clear, awsmfa_prompt, completion)
# from this checkout's shells/ folder. Safe to run again; --uninstall takes back what it added.
# It knows no shell: which shells, their start-up files and every line written there come from the
# built CLI (awsmfa's shell registry, lib/shells/), so adding a shell there needs no change here.
set -eu

MARK='# added by awsmfa install.sh'
# The marker's tail records what else the line's addition did, so --uninstall can undo it exactly.
CREATED='; it also created this file'
NEWLINE='; it also ended the line above'

root=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd -P)
target=$root/dist/awsmfa.mjs

# The built CLI, which answers install.sh's questions (lib/commands/startup.ts).
awsmfa() { node "$target" "$@"; }

usage() {
  cat <<'EOF'
usage: ./install.sh [--prefix DIR] [--no-modify-rc] [--uninstall]

Installs awsmfa from this checkout: checks Node (>= 20.19 or >= 22.12), installs the npm
dependencies and builds dist/ when needed, links DIR/bin/awsmfa (default DIR: ~/.local), and adds
one line marked "# added by awsmfa install.sh" to the start-up file of each shell it finds.
Each line loads shells/awsmfa.<shell> from this checkout, which starts no Node.

  --prefix DIR     link DIR/bin/awsmfa instead of ~/.local/bin/awsmfa
  --no-modify-rc   change no start-up file; print the lines to add by hand
  --uninstall      remove the link and the marked lines (and files this script created)
  -h, --help       show this help
Running it again changes nothing more.
EOF
  if [ -n "${HOME:-}" ] && shells=$(awsmfa install-shells 2>/dev/null); then
    printf '\nThe shells and their start-up files here:\n'
    for shell in $shells; do
      printf '  %-11s %s\n' "$shell" "$(awsmfa init "$shell" --print-rc-file)"
    done
  else
    printf '\nWhich shells and start-up files: awsmfa names them once dist/ is built (npm run build).\n'
  fi
}

say() { printf 'awsmfa install: %s\n' "$*"; }
warn() { printf 'awsmfa install: warning: %s\n' "$*" >&2; }
die() {
  printf 'awsmfa install: %s\n' "$1" >&2
  [ $# -lt 2 ] || printf '  fix: %s\n' "$2" >&2
  exit 1
}

prefix=''
modify_rc=1
uninstall=0
while [ $# -gt 0 ]; do
  case $1 in
    --prefix)
      if [ $# -lt 2 ] || [ -z "$2" ]; then die '--prefix needs a directory' './install.sh --prefix /usr/local'; fi
      prefix=$2
      shift 2
      ;;
    --prefix=*)
      prefix=${1#--prefix=}
      [ -n "$prefix" ] || die '--prefix needs a directory' './install.sh --prefix /usr/local'
      shift
      ;;
    --no-modify-rc)
      modify_rc=0
      shift
      ;;
    --uninstall)
      uninstall=1
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "unknown option: $1" 'see ./install.sh --help' ;;
  esac
done

[ -n "${HOME:-}" ] || die 'HOME is not set' 'run it from a login session, or set HOME'
if [ ! -f "$root/package.json" ] || [ ! -d "$root/shells" ]; then
  die "$root does not look like an awsmfa checkout" 'run install.sh from the folder it came in'
fi
case $prefix in
  '') prefix=$HOME/.local ;;
  /*) ;;
  *) prefix=$(pwd -P)/$prefix ;;
esac
bindir=$prefix/bin
link=$bindir/awsmfa

REBUILD="rebuild it: (cd $root && npm run build), then run ./install.sh again"

# The shells install.sh sets up, one name a line.
startup_shells() {
  awsmfa install-shells || die 'awsmfa cannot list its shells (see its message above)' "$REBUILD"
}

# Asks the CLI about shell $1 and sets program (its executable), rc_file, rc_line (loads the
# integration when the file is there) and path_line (puts $bindir on PATH unless it is on it),
# each line without the marker and quoted by awsmfa for that shell.
ask_shell() {
  program=$(awsmfa init "$1" --print-program) || cannot_ask "$1"
  rc_file=$(awsmfa init "$1" --print-rc-file) || cannot_ask "$1"
  rc_line=$(awsmfa init "$1" --print-rc-line) || cannot_ask "$1"
  path_line=$(awsmfa init "$1" --print-path-line "$bindir") || cannot_ask "$1"
}
cannot_ask() { die "awsmfa cannot say what to write for $1 (see its message above)" "$REBUILD"; }

# True when $rc_file should carry $path_line: $bindir is not on PATH, or it is only because that
# file's marked line put it there (a later run from a new terminal keeps it).
wants_path_line() {
  case ":${PATH:-}:" in
    *":$bindir:"*) [ -f "$rc_file" ] && LC_ALL=C grep -qxF "$path_line  $MARK" "$rc_file" ;;
    *) return 0 ;;
  esac
}

# Drops the last byte of file $1.
cut_last_byte() {
  size=$(wc -c <"$1")
  head -c "$((size - 1))" "$1" >"$1.cut"
  mv "$1.cut" "$1"
}

# Removes the marked line from $1, undoing what its marker says; prints what it did. Every other
# byte stays: LC_ALL=C, because in a UTF-8 locale grep drops (or calls binary) lines that are not
# valid UTF-8, such as a Latin-1 or Shift_JIS comment.
remove_line() {
  rc=$1
  [ -f "$rc" ] && LC_ALL=C grep -qF "$MARK" "$rc" || return 1
  created=0
  ended=0
  last=0
  unterminated=0
  LC_ALL=C grep -F "$MARK" "$rc" | LC_ALL=C grep -qF "$MARK$CREATED" && created=1
  LC_ALL=C grep -F "$MARK" "$rc" | LC_ALL=C grep -qF "$MARK$NEWLINE" && ended=1
  tail -n 1 "$rc" | LC_ALL=C grep -qF "$MARK" && last=1
  [ -z "$(tail -c 1 "$rc")" ] || unterminated=1
  tmp=$(mktemp "${TMPDIR:-/tmp}/awsmfa-install.XXXXXX")
  LC_ALL=C grep -vF "$MARK" "$rc" >"$tmp" || true
  # grep ends every line it prints: a last line of the user's that had no newline gets none.
  if [ "$unterminated" = 1 ] && [ "$last" = 0 ] && [ -s "$tmp" ]; then cut_last_byte "$tmp"; fi
  # The line above had no newline until this script added one: take that newline back (only when
  # the marked line is still the last; a line added after it since keeps the one before it).
  if [ "$ended" = 1 ] && [ "$last" = 1 ] && [ -s "$tmp" ]; then cut_last_byte "$tmp"; fi
  if [ "$created" = 1 ] && [ ! -s "$tmp" ]; then
    rm -f "$tmp" "$rc"
    printf 'removed %s (it created it)' "$rc"
  else
    # cat > keeps the file's owner, mode and links.
    cat "$tmp" >"$rc"
    rm -f "$tmp"
    printf 'removed its line from %s' "$rc"
  fi
}

# Adds (or updates) the marked block for the shell ask_shell asked about (the PATH line when
# wanted, then the line that loads the integration); prints what it did.
add_line() {
  rc=$rc_file
  line=$rc_line
  pline=''
  ! wants_path_line || pline=$path_line
  what='a line'
  [ -z "$pline" ] || what="lines (awsmfa, and $bindir on PATH)"
  if [ -f "$rc" ] && LC_ALL=C grep -qF "$MARK" "$rc"; then
    marks=$(LC_ALL=C grep -cF "$MARK" "$rc")
    if LC_ALL=C grep -F "$MARK" "$rc" | LC_ALL=C grep -qF "$line  $MARK" &&
      if [ -n "$pline" ]; then [ "$marks" = 2 ] && LC_ALL=C grep -qxF "$pline  $MARK" "$rc"; else [ "$marks" = 1 ]; fi; then
      printf '%s already loads awsmfa' "$rc"
      return 0
    fi
    # A block from an older location of this checkout, or another prefix: replace it.
    remove_line "$rc" >/dev/null
    write_block "$rc" "$pline" "$line"
    printf 'updated the %s in %s' "$what" "$rc"
    return 0
  fi
  write_block "$rc" "$pline" "$line"
  printf 'added %s to %s' "$what" "$rc"
}

# Appends the marked block to $1: the PATH line $2 (when not empty), then the line $3. The last
# marker's tail records what the addition did to the file, for --uninstall.
write_block() {
  rc=$1
  tail=''
  if [ ! -e "$rc" ]; then
    mkdir -p "$(dirname -- "$rc")"
    tail=$CREATED
    : >"$rc"
  elif [ -s "$rc" ] && [ "$(tail -c 1 "$rc" | od -An -c | tr -d ' ')" != '\n' ]; then
    tail=$NEWLINE
    printf '\n' >>"$rc"
  fi
  [ -z "$2" ] || printf '%s  %s\n' "$2" "$MARK" >>"$rc"
  printf '%s  %s%s\n' "$3" "$MARK" "$tail" >>"$rc"
}

# Node: engines in package.json say ^20.19.0 || >=22.12.0.
check_node() {
  command -v node >/dev/null 2>&1 || die 'Node.js is not installed (awsmfa needs Node >= 20.19 or >= 22.12)' 'install it from https://nodejs.org or your package manager, then run ./install.sh again'
  version=$(node -p 'process.versions.node' 2>/dev/null) || die 'node does not run' 'check your Node.js installation: node --version'
  major=${version%%.*}
  minor=${version#*.}
  minor=${minor%%.*}
  if [ "$major" -lt 20 ] || [ "$major" = 21 ] || { [ "$major" = 20 ] && [ "$minor" -lt 19 ]; } || { [ "$major" = 22 ] && [ "$minor" -lt 12 ]; }; then
    die "Node $version is too old (awsmfa needs Node >= 20.19 or >= 22.12)" 'install a current Node.js (22 or 24), then run ./install.sh again'
  fi
  say "node $version"
}

# Builds dist/ when it is missing, or (with $1 = stale) older than a source; installs the
# dependencies only to build.
build_dist() {
  stale=$(cd "$root" && if [ ! -f dist/awsmfa.mjs ]; then echo missing; elif [ "$1" = stale ]; then find lib scripts package.json package-lock.json -newer dist/awsmfa.mjs -type f 2>/dev/null | head -n 1; fi)
  if [ -z "$stale" ]; then
    say 'dist/awsmfa.mjs is up to date; nothing to build'
    return 0
  fi
  command -v npm >/dev/null 2>&1 || die 'npm is not installed' 'install npm (it comes with Node.js), then run ./install.sh again'
  if (cd "$root" && npm ls --depth=0 >/dev/null 2>&1); then
    say 'npm dependencies are already installed'
  elif [ -f "$root/package-lock.json" ]; then
    say 'installing npm dependencies (npm ci)'
    (cd "$root" && npm ci --no-audit --no-fund) || die 'npm ci failed' 'see the npm output above'
  else
    say 'installing npm dependencies (npm install)'
    (cd "$root" && npm install --no-audit --no-fund) || die 'npm install failed' 'see the npm output above'
  fi
  say 'building dist/awsmfa.mjs'
  (cd "$root" && npm run --silent build) || die 'the build failed' 'see the output above'
}

# Both directions need the CLI: it names the shells and their start-up files.
check_node
if [ "$uninstall" = 1 ]; then
  # Nothing to install: build only when there is no CLI at all.
  build_dist missing
  shells=$(startup_shells)
  if [ -L "$link" ] && [ "$(readlink "$link")" = "$target" ]; then
    rm -f "$link"
    say "removed the link $link"
  elif [ -e "$link" ] || [ -L "$link" ]; then
    warn "$link is not a link to this checkout; left it alone"
  else
    say "no link at $link"
  fi
  for shell in $shells; do
    ask_shell "$shell"
    if [ "$modify_rc" = 1 ] && did=$(remove_line "$rc_file"); then
      say "$shell: $did"
    fi
  done
  say 'done. Open a new terminal: the current ones keep the functions until they exit.'
  exit 0
fi
build_dist stale
shells=$(startup_shells)

mkdir -p "$bindir"
if [ -L "$link" ] && [ "$(readlink "$link")" = "$target" ]; then
  say "$link already links to $target"
elif [ -e "$link" ] && [ ! -L "$link" ]; then
  die "$link exists and is not a link" "remove it, or choose another place with --prefix DIR"
else
  ln -sf "$target" "$link"
  say "linked $link -> $target"
fi
case ":${PATH:-}:" in
  *":$bindir:"*) ;;
  *)
    if [ "$modify_rc" = 1 ]; then
      say "$bindir is not on PATH: the marked lines below put it there in new terminals"
    else
      warn "$bindir is not on PATH; add it in your shell's start-up file (the PATH lines below)"
    fi
    ;;
esac

for shell in $shells; do
  ask_shell "$shell"
  command -v "$program" >/dev/null 2>&1 || continue
  if [ "$modify_rc" = 1 ]; then
    say "$shell: $(add_line)"
  else
    ! wants_path_line || say "$shell: and this one before it, for PATH: $path_line"
    say "$shell: add this line to $rc_file: $rc_line"
  fi
done

say 'done. Open a new terminal, then: awsmfa use PROFILE   (awsmfa list shows the profiles)'
