#!/usr/bin/env bash
# Development set-up on a fresh Debian/Ubuntu machine: the shells and tools the tests drive
# (apt-get, when missing), the npm packages, and the Node 22/24 binaries the runtime test uses.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for tool in zsh fish dash shellcheck tmux tinyproxy hyperfine; do
  command -v "$tool" >/dev/null 2>&1 || need+=("$tool")
done
# A real browser for the console sign-in page test, and ip/nsenter for the tests' own network namespaces.
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
# openssl makes the proxy tests' throwaway CA (test/network/rig.ts).
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# The AWS CLI v2 from Debian (/usr/bin/aws); an `aws` elsewhere on PATH may be v1.
[ -x /usr/bin/aws ] || need+=(awscli)
# localedef's charmaps, for the multi-byte locale test (Big5, GBK, GB18030, Shift_JIS).
[ -d /usr/share/i18n/charmaps ] || need+=(locales)
# GNU time, for the bench's peak-RSS rows.
[ -x /usr/bin/time ] || need+=(time)
if [ "${#need[@]}" -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# PowerShell 7.6.9 as a dotnet global tool. The version is pinned: the NuGet copy reachable here
# serves 7.6.9 only, and without --version dotnet asks for the newest (7.7.0) and fails.
PWSH_VERSION=7.6.9
if ! command -v pwsh >/dev/null 2>&1 && [ ! -x "$HOME/.dotnet/tools/pwsh" ]; then
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "setup: dotnet is missing, so pwsh $PWSH_VERSION cannot be installed" >&2
    exit 1
  fi
  dotnet tool install --global PowerShell --version "$PWSH_VERSION"
  echo "setup: installed pwsh $PWSH_VERSION in ~/.dotnet/tools"
fi

# nushell from the npm registry's `nushell` package, pinned, into .tools/ (git-ignored). The tests and
# .ci/run use the platform binary it wraps, linked as .tools/bin/nu: the package's own `nu` is a Node
# script that spawns that binary, so every nu would start a Node first and an interactive nu in tmux
# would sit behind a Node parent.
NU_VERSION=0.115.1
if [ "$(.tools/bin/nu --version 2>/dev/null)" != "$NU_VERSION" ]; then
  npm install --prefix .tools --no-save --no-audit --no-fund "nushell@$NU_VERSION" 2>&1 | grep -v 'Unknown user config\|EBADENGINE' || true
  nu_platform=$(node -p 'process.platform + "-" + process.arch')
  mkdir -p .tools/bin
  ln -sf "../node_modules/@nushell/$nu_platform/bin/nu" .tools/bin/nu
  [ "$(.tools/bin/nu --version 2>/dev/null)" = "$NU_VERSION" ] || { echo "setup: nushell $NU_VERSION did not install into .tools/" >&2; exit 1; }
  echo "setup: installed nu $NU_VERSION in .tools/bin"
fi

echo "setup: node $(node --version)"
npm ci --no-audit --no-fund 2>&1 | grep -v 'Unknown user config' || true
[ -d node_modules/yargs ] || { echo "setup: npm ci failed" >&2; exit 1; }
sh scripts/fetch-node.sh 2>&1 | grep -v 'Unknown user config' || true
echo "setup: done; run the tests with: npm test"
