/**
 * The end-to-end smoke set, run against an INSTALLED awsmfa (the packed tarball under a prefix,
 * a clone installed with npm, the standalone binary): whatever `awsmfa` the given PATH finds.
 * --version, --help, list, env evaluated by bash, and for each shell the integration from
 * `awsmfa init <shell>` loaded in that real shell, then `awsmfa use prod` through it.
 */
import type { Test } from 'tap'
import { execa } from 'execa'
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { INTEGRATED_SHELLS } from '../../lib/shells/index.js'
import { requireRow, sessionOf, shellRow } from './shell-table.js'
import { ROOT, makeWorld } from './world.js'

type Tap = Test

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version

/**
 * A directory of links to every program in /usr/bin and /bin except Node's own (node, npm, npx,
 * corepack): a stock PATH on which `node` is not found, for the standalone binary.
 */
export function pathWithoutNode(dir: string): string {
  const bin = join(dir, 'no-node-bin')
  mkdirSync(bin, { recursive: true })
  for (const source of ['/usr/local/bin', '/usr/bin', '/bin']) {
    let names: string[]
    try {
      names = readdirSync(source)
    } catch {
      continue
    }
    for (const name of names) {
      if (/^(node|nodejs|npm|npx|corepack)$/.test(name)) continue
      try {
        symlinkSync(join(source, name), join(bin, name))
      } catch {
        // Already linked from an earlier directory on the list: PATH order keeps the first.
      }
    }
  }
  return bin
}

/** Runs the smoke set with `path` as PATH (it must find the awsmfa under test first); `only`: the shells to load the integration in (default all). */
export async function smokeSet(t: Tap, path: string, label: string, only?: readonly string[]): Promise<void> {
  const which = await execa('sh', ['-c', 'command -v awsmfa'], { env: { PATH: path }, extendEnv: false, reject: false })
  t.ok(which.exitCode === 0 && which.stdout !== '', `${label}: awsmfa is on PATH (${which.stdout})`)

  await t.test(`${label}: --version, --help and list`, async (t) => {
    const world = await makeWorld(t)
    const run = async (args: string[]) =>
      execa('awsmfa', args, { env: { ...world.env(), PATH: path }, extendEnv: false, reject: false, stdin: 'ignore', detached: true })
    const version = await run(['--version'])
    t.equal(version.exitCode, 0, version.stderr)
    t.equal(version.stdout, VERSION)
    t.equal(version.stderr, '', 'no warning on stderr')
    const help = await run(['--help'])
    t.equal(help.exitCode, 0, help.stderr)
    for (const command of ['env', 'exec', 'list', 'doctor', 'status', 'init', 'demo', 'use', 'clear']) {
      t.match(help.stdout, new RegExp(`^ {2}awsmfa ${command}\\b`, 'm'), `--help lists ${command}`)
    }
    const list = await run(['list', '--json'])
    t.equal(list.exitCode, 0, list.stderr)
    const profiles = (JSON.parse(list.stdout) as Array<{ profile: string }>).map((p) => p.profile)
    t.ok(profiles.includes('prod') && profiles.includes('readonly'), `list: ${profiles.join(', ')}`)
  })

  await t.test(`${label}: env against the emulator, evaluated by bash`, async (t) => {
    const world = await makeWorld(t)
    const env = await execa('awsmfa', ['env', 'prod', '-t', world.code(), '--shell', 'bash'], {
      env: { ...world.env(), PATH: path }, extendEnv: false, reject: false, stdin: 'ignore', detached: true,
    })
    t.equal(env.exitCode, 0, env.stderr)
    t.match(env.stderr, /^prod: ServerworksRolePU in 123456789034 until \d\d:\d\d \(12h00m\)$/)
    const bash = await execa('bash', ['--norc', '-c', `eval "$1"; printf %s "$AWS_ACCESS_KEY_ID"`, 'bash', env.stdout], { env: { PATH: path }, extendEnv: false })
    t.equal(bash.stdout, world.emulator.issued[0]?.accessKeyId, 'the session from the emulator is exported')
  })

  // The shells whose documented rc line loads the integration through the CLI (`awsmfa init`): the
  // installed program prints it. (nushell's line sources the shipped file: no CLI in it.)
  const throughInit = INTEGRATED_SHELLS.filter((shell) => shell.install?.line.includes('awsmfa init') === true)
  for (const shell of throughInit.filter((shell) => only === undefined || only.includes(shell.name))) {
    const row = shellRow(shell.name)
    await t.test(`${label}: ${shell.install?.line} in real ${row.label}, then awsmfa use prod`, async (t) => {
      const binary = requireRow(t, row)
      if (binary === undefined) return
      const session = sessionOf(row)
      const world = await makeWorld(t)
      const script = [shell.install?.line ?? '', `awsmfa use prod -t ${world.code()}`, session.show('K', 'AWS_ACCESS_KEY_ID')].join('\n')
      const result = await execa(binary, row.command(script), {
        env: { ...world.env(), PATH: path, TERM: 'dumb' }, extendEnv: false, reject: false, stdin: 'ignore', cwd: world.scratch, timeout: 120_000,
      })
      t.equal(result.exitCode, 0, result.stderr)
      const issued = world.emulator.issued[0]?.accessKeyId
      t.ok(issued !== undefined, 'the integration called the installed awsmfa, which made the AssumeRole')
      t.equal(result.stdout, `K=${issued}`, `${row.label} holds the session`)
    })
  }
}

/** Every file under `dir`, relative, sorted (for listing an installed package). */
export function filesUnder(dir: string, prefix = ''): string[] {
  const out: string[] = []
  for (const name of readdirSync(join(dir, prefix))) {
    const rel = prefix === '' ? name : `${prefix}/${name}`
    if (statSync(join(dir, rel)).isDirectory()) out.push(...filesUnder(dir, rel))
    else out.push(rel)
  }
  return out.sort()
}
