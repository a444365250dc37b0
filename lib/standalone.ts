/**
 * The entry of the standalone executable (Node's single-executable applications; built by
 * scripts/build-standalone.mjs into one CommonJS file). The same program as lib/bin.ts, with two
 * differences:
 * - shells/ and completions/ come from the executable's own assets, not from a package folder;
 * - when the start-up snapshot is built, the modules of the env path (the STS client and the SDK
 *   behind it) are loaded then, so every run starts with them already compiled and initialised.
 *   node:http/https are not loaded at that time (a snapshot cannot hold their handles): the bundle
 *   reaches them through lazy getters (see the build script).
 */
import { startupSnapshot } from 'node:v8'
import type { Deps } from './deps.js'
import { fastPath } from './fast-path.js'
import { realDeps } from './real-deps.js'

function standaloneDeps(): Deps {
  const deps = realDeps()
  // Loaded at run time, not into the snapshot (node:sea is not verified for snapshots); a dynamic
  // import() has no loader in a deserialised snapshot, so the built-in is fetched directly.
  const { getAsset, isSea } = process.getBuiltinModule('node:sea')
  if (!isSea()) return deps
  return { ...deps, readShipped: async (file: string) => getAsset(file, 'utf8') }
}

async function run(): Promise<void> {
  const argv = process.argv.slice(2)
  const deps = standaloneDeps()
  // Set the exit code and let Node drain stdout: process.exit() can cut piped output short.
  process.exitCode = (await fastPath(argv, deps)) ?? (await import('./cli.js').then(({ main }) => main(argv, deps)))
}

if (startupSnapshot.isBuildingSnapshot()) {
  startupSnapshot.setDeserializeMainFunction(() => void run())
  // Loaded now, into the snapshot: what `env` needs (yargs is skipped by the fast path anyway).
  void import('./commands/env.js')
  void import('./sts-client.js')
} else {
  void run()
}
