#!/usr/bin/env bash
# TAB latency of the bash completion (completions/awsmfa.bash) with 1,000 and 10,000 target
# profiles: calls the completion function as bash does on TAB (COMP_WORDS/COMP_CWORD/COMP_LINE
# set), many times, and prints milliseconds per TAB. Target: <= 20 ms per TAB at 1,000 profiles.
#
#   bench/completion.sh [ITERATIONS]      (default 200)
#
# Each config also holds source profiles (no role_arn), an [sso-session] and comments, and a
# credentials file beside it holds the source profiles' keys, so the parser reads both files and
# does the work real files ask for.
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-200}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=completions/awsmfa.bash
source completions/awsmfa.bash

make_config() { # N FILE
  awk -v n="$1" 'BEGIN {
    print "[default]\nregion = us-east-1\n\n[sso-session corp]\nsso_region = us-east-1\n"
    for (i = 1; i <= n; i++) {
      printf "# team %d\n[profile team-%05d]\nrole_arn = arn:aws:iam::%012d:role/Admin%d\n", i, i, 100000000000 + i, i
      printf "source_profile = user-%d\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\nregion = eu-west-1\nduration_seconds = 43200\n\n", i % 10
      if (i % 10 == 0) printf "[profile user-%d]\nregion = eu-central-1\ns3 =\n  max_concurrent_requests = 20\n\n", i / 10
    }
  }' >"$2"
}

make_credentials() { # FILE: the keys of the ten source profiles
  awk 'BEGIN {
    for (i = 0; i < 10; i++) printf "[user-%d]\naws_access_key_id = AKIA%016d\naws_secret_access_key = %040d\n\n", i, i, i
  }' >"$1"
}

now_us() { # microseconds, from bash's own clock
  local t=${EPOCHREALTIME/./}
  printf '%s' "${t/,/}"
}

# One case: COMP_LINE typed so far; prints the average milliseconds per TAB and the reply count.
bench() { # LABEL LINE
  local label=$1 line=$2 i start end
  COMP_LINE=$line
  COMP_POINT=${#line}
  read -r -a COMP_WORDS <<<"$line"
  [[ $line == *' ' ]] && COMP_WORDS+=('')
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _awsmfa_complete # warm the page cache
  start=$(now_us)
  for ((i = 0; i < iterations; i++)); do
    COMPREPLY=()
    _awsmfa_complete
  done
  end=$(now_us)
  awk -v us="$((end - start))" -v n="$iterations" -v label="$label" -v replies="${#COMPREPLY[@]}" \
    'BEGIN { printf "  %-34s %7.2f ms per TAB  (%d candidates)\n", label, us / n / 1000, replies }'
}

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
printf 'machine: %s CPU(s), %s; load average %s\n' "$(nproc 2>/dev/null || echo '?')" "${cpu:-unknown CPU}" "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
printf 'bash %s, awk: %s, %s iterations per case\n' "$BASH_VERSION" "$(readlink -f "$(command -v awk)")" "$iterations"
make_credentials "$tmp/credentials"
export AWS_SHARED_CREDENTIALS_FILE=$tmp/credentials
for n in 1000 10000; do
  make_config "$n" "$tmp/config-$n"
  export AWS_CONFIG_FILE=$tmp/config-$n
  printf '%d target profiles (%d + %d lines):\n' "$n" "$(wc -l <"$AWS_CONFIG_FILE")" "$(wc -l <"$AWS_SHARED_CREDENTIALS_FILE")"
  bench 'awsmfa use <TAB> (all)' 'awsmfa use '
  bench 'awsmfa use team-0042<TAB> (prefix)' 'awsmfa use team-0042'
  bench 'awsmfa env --shell <TAB> (no awk)' 'awsmfa env --shell '
done
