#!/usr/bin/env node
// Checks that lib/fast-path.ts's `env` parser agrees with yargs (lib/cli.ts) on every command line
// it accepts: for each argv below, both must hand envCommand the same options, or the fast path
// must decline (and yargs decides). Run: node scripts/fast-path-parity.mjs (exit 1 on a mismatch).
//
// It bundles lib/cli.ts and lib/fast-path.ts with lib/commands/env.ts replaced by a stub that
// records its options, so no STS call, profile or terminal is involved.
import { build } from 'esbuild'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const ROOT = resolve(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'awsmfa-parity-'))
try {
  const entry = join(dir, 'harness.ts')
  writeFileSync(entry, `
export { main } from ${JSON.stringify(join(ROOT, 'lib/cli.ts'))}
export { parseEnvArgs, parseStartupArgs } from ${JSON.stringify(join(ROOT, 'lib/fast-path.ts'))}
`)
  const stub = {
    name: 'stub-env',
    setup(b) {
      b.onResolve({ filter: /commands\/env\.js$/ }, () => ({ path: 'env-stub', namespace: 'stub' }))
      b.onResolve({ filter: /commands\/startup\.js$/ }, () => ({ path: 'startup-stub', namespace: 'stub' }))
      b.onLoad({ filter: /^env-stub$/, namespace: 'stub' }, () => ({
        contents: 'export async function envCommand(options) { globalThis.__envOptions = options; return 0 }',
        loader: 'js',
      }))
      b.onLoad({ filter: /^startup-stub$/, namespace: 'stub' }, () => ({
        contents: 'export async function startupCommand(options) { globalThis.__envOptions = options; return 0 }\nexport async function installShellsCommand() { return 0 }',
        loader: 'js',
      }))
    },
  }
  const out = join(dir, 'harness.mjs')
  await build({ entryPoints: [entry], outfile: out, bundle: true, format: 'esm', platform: 'node', target: 'node20', plugins: [stub], logLevel: 'warning',
    banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" } })
  const { main, parseEnvArgs, parseStartupArgs } = await import(pathToFileURL(out).href)

  const sink = { write() {}, isTTY: false }
  const deps = { env: {}, stdout: sink, stderr: sink }
  /** What yargs hands envCommand, in the fast path's shape (undefined members dropped). */
  async function viaYargs(argv) {
    globalThis.__envOptions = undefined
    const code = await main(argv, deps)
    const o = globalThis.__envOptions
    if (o === undefined) return { code }
    const shaped = {}
    for (const [k, v] of Object.entries(o)) {
      if (v === undefined || v === false) continue
      shaped[k] = v
    }
    return shaped
  }
  const shape = (o) => {
    const shaped = {}
    for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== false) shaped[k] = v
    return shaped
  }

  const cases = [
    ['env', 'prod'],
    ['env', 'prod', '--token-code', '123456'],
    ['env', 'prod', '--token-code', '012345'],
    ['env', 'prod', '-t', '000123'],
    ['env', 'prod', '--token-code=123456'],
    ['env', '-t', '123456', 'prod'],
    ['env', 'prod', '-t', '123456', '-d', '12h', '--region', 'eu-west-1', '--session-name', 'me@x', '--shell', 'fish', '-v'],
    ['env', 'prod', '--json', '--verbose', '--duration=3600', '--region=us-east-1', '--session-name=a.b', '--shell=pwsh'],
    ['env', 'prod', '-d', '900'],
    ['env', 'prod', '-d', '1h30m'],
    ['env', 'my-prod.profile_1', '-t', '111111'],
    ['env', 'prod', '--shell', 'bash', '--json'],
    ['env', 'Prod', '--region', 'ap-southeast-2'],
    ['env', 'prod', '--token-code', 'abcdef'],
    ['env', 'prod', '--token-code', '12345 '],
    ['env', 'prod', '--duration', '1e3'],
    ['env', 'prod', '--duration', '0x10'],
    ['env', 'prod', '--region', 'true'],
    ['env', 'prod', '--region', 'null'],
    ['env', 'true'],
    ['env', 'prod', '-t', '123456', '--session-name', 'x=y,z'],
    ['env', 'prod', '--shell', 'zsh'],
    ['env', 'préprod', '-t', '123456'],
    ['env', 'a b', '-t', '123456'],
    ['env', 'prod', '--region', '=eu'],
    ['env', 'prod', '--session-name', 'a=b'],
    ['env', 'prod', '--no-agent'],
    ['env', 'prod', '--min-remaining', '1h', '--json'],
    ['env', 'prod', '--min-remaining=900', '--no-agent', '-t', '123456'],
    // Declined by the fast path: yargs decides (help, errors, and forms it reads its own way).
    ['env'],
    ['env', 'prod', 'extra'],
    ['env', 'prod', '--help'],
    ['env', 'prod', '-h'],
    ['env', 'prod', '--version'],
    ['env', 'prod', '--tokenCode', '123456'],
    ['env', 'prod', '-t123456'],
    ['env', 'prod', '-t=123456'],
    ['env', 'prod', '-vt', '123456'],
    ['env', 'prod', '--no-json'],
    ['env', 'prod', '--json=false'],
    ['env', 'prod', '--json', 'false'],
    ['env', 'prod', '-t', '1', '-t', '2'],
    ['env', 'prod', '--unknown'],
    ['env', 'prod', '--', 'x'],
    ['env', '0123'],
    ['env', '123456789012-admin'],
    ['env', 'prod', '--region'],
    ['env', 'prod', '--region', ''],
    ['env', 'prod', '--region', '-x'],
    ['env', '--profile', 'prod'],
    ['env', 'prod', '--duration', '-5'],
    ['env', 'prod', '--duration', '.5'],
    ['env', 'prod', '--agent'],
    ['env', 'prod', '--no-agent', '--no-agent'],
    ['env', 'prod', '--agent=false'],
  ]
  // install.sh's questions (lib/commands/startup.ts): the fast path hands startupCommand what yargs does.
  const startupCases = [
    ['init', 'bash', '--print-program'],
    ['init', 'zsh', '--print-rc-file'],
    ['init', 'fish', '--print-rc-line'],
    ['init', 'pwsh', '--print-rc-line'],
    ['init', 'powershell', '--print-path-line', '/home/me/.local/bin'],
    ['init', 'bash', '--print-path-line=/a b/it\'s ’bin’'],
    ['init', 'bash', '--print-path-line', '/a=b'],
    ['init', 'fish', '--print-path-line=/x=y'],
    // Declined: yargs decides.
    ['init', 'bash', '--print-rc-line', '--print-rc-file'],
    ['init', 'bash', '--print-path-line'],
    ['init', 'bash', '--print-path-line', ''],
    ['init', 'bash', '--print-path-line', '-x'],
    ['init', 'bash', '--print-path-line='],
    ['init', 'bash', '--print-rc-line', 'extra'],
    ['init', 'bash', '--print-rc-line=true'],
    ['init', 'bash', '--no-print-rc-line'],
    ['init', '--print-rc-line', 'bash'],
    ['init', 'tcsh', '--print-rc-line'],
  ]
  for (const argv of startupCases) cases.push(argv)
  /** JSON with every object's keys sorted, at every depth (startupCommand's query is nested). */
  const canonical = (value) => JSON.stringify(value, (_key, v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1))) : v))
  const parse = (argv) => parseEnvArgs(argv) ?? parseStartupArgs(argv)
  let failures = 0
  let fast = 0
  for (const argv of cases) {
    const mine = parse(argv)
    if (mine === undefined) continue
    fast++
    const theirs = await viaYargs(argv)
    const a = canonical(shape(mine))
    const b = canonical(theirs)
    if (a !== b) {
      failures++
      process.stderr.write(`MISMATCH ${JSON.stringify(argv)}\n  fast path: ${a}\n  yargs:     ${b}\n`)
    }
  }
  process.stdout.write(`fast-path parity: ${cases.length} command lines, ${fast} taken by the fast path, ${failures} disagreements\n`)
  process.exitCode = failures === 0 ? 0 : 1
} finally {
  rmSync(dir, { recursive: true, force: true })
}
