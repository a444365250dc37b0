#!/usr/bin/env bash
# Development set-up on a fresh Debian/Ubuntu machine: the shells and tools the tests drive
# (apt-get, when missing), the npm packages, and the Node 22/24 binaries the runtime test uses.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for tool in zsh fish dash shellcheck tmux; do
  command -v "$tool" >/dev/null 2>&1 || need+=("$tool")
done
# The AWS CLI v2 from Debian (/usr/bin/aws); an `aws` elsewhere on PATH may be v1.
[ -x /usr/bin/aws ] || need+=(awscli)
# localedef's charmaps, for the multi-byte locale test (Big5, GBK, GB18030, Shift_JIS).
[ -d /usr/share/i18n/charmaps ] || need+=(locales)
if [ "${#need[@]}" -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# PowerShell where it can be had (a dotnet global tool); the tests say which path ran.
if ! command -v pwsh >/dev/null 2>&1 && [ ! -x "$HOME/.dotnet/tools/pwsh" ] && command -v dotnet >/dev/null 2>&1; then
  if dotnet tool install --global PowerShell >/dev/null 2>&1; then
    echo "setup: installed pwsh in ~/.dotnet/tools"
  else
    echo "setup: pwsh cannot be installed here; PowerShell is checked by exact strings"
  fi
fi

echo "setup: node $(node --version)"
npm ci --no-audit --no-fund 2>&1 | grep -v 'Unknown user config' || true
[ -d node_modules/yargs ] || { echo "setup: npm ci failed" >&2; exit 1; }
sh scripts/fetch-node.sh 2>&1 | grep -v 'Unknown user config' || true
echo "setup: done; run the tests with: npm test"
