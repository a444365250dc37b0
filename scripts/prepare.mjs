#!/usr/bin/env node
// npm's `prepare`: builds dist/ when awsmfa is installed from a git URL or a folder, or after
// `npm install` in a checkout. From git, npm has installed the devDependencies (the build tools)
// first; `npm install -g ./checkout` links the folder and runs `prepare` without installing
// anything, so the build tools are installed here first when they are missing (from the lock file,
// scripts off: nothing runs but this build).
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
process.chdir(root)

function buildToolsInstalled() {
  try {
    const require = createRequire(new URL('../package.json', import.meta.url))
    for (const name of ['esbuild', 'yargs', '@aws-sdk/client-sts']) require.resolve(name)
    return true
  } catch {
    return false
  }
}

/** Runs one step; false (with the exit code set and one line on stderr) when it failed. */
function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { stdio: 'inherit', env })
  if (result.status === 0) return true
  process.stderr.write(`awsmfa prepare: ${[command, ...args].join(' ')} failed\n`)
  process.exitCode = result.status ?? 1
  return false
}

let ready = true
if (!buildToolsInstalled()) {
  process.stderr.write('awsmfa prepare: installing the build tools into this checkout (npm ci), then building dist/\n')
  // npm hands its own settings to scripts as npm_config_*; a global install's must not make this
  // a global install too.
  const env = { ...process.env }
  for (const name of Object.keys(env)) {
    if (/^npm_config_(global|prefix|location|only|omit|production|include)$/i.test(name)) delete env[name]
  }
  const npm = process.env.npm_execpath
  const [command, prefixArgs] = npm ? [process.execPath, [npm]] : ['npm', []]
  ready = run(command, [...prefixArgs, 'ci', '--ignore-scripts', '--include=dev', '--no-audit', '--no-fund', '--location=project'], env)
}
if (ready) run(process.execPath, ['scripts/build.mjs'])
