/**
 * The npm package as a user gets it: `npm pack` on a copy of the checkout (its prepack builds and
 * prunes dist/), then `npm install -g --prefix TMP` of that tarball with npm offline (the package
 * has no dependencies, so nothing else is fetched), `npx --package <tgz>`, and `npm install -g` of
 * an unbuilt clone (prepare installs the build tools from npm's cache and builds). Each installed
 * copy runs the e2e smoke set (test/helpers/smoke.ts) from its own folder, far from this
 * checkout's node_modules.
 */
import t from 'tap'
import { execa } from 'execa'
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { ROOT } from '../helpers/world.js'
import { filesUnder, smokeSet } from '../helpers/smoke.js'
import { tempDir } from '../integration/common.js'
import { requireShell } from '../helpers/shells.js'

// npm installs and a dozen real shells: longer than the default on a loaded machine.
t.setTimeout(900_000)

const SYSTEM_PATH = `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`
const SHIPPED_FILES = ['shells', 'completions'].flatMap((dir) => readdirSync(join(ROOT, dir)).map((name) => `${dir}/${name}`))

/** This machine's npm settings (registry, CA file) as a user's would be, whatever HOME the test uses. */
const USER_NPMRC = join(process.env.HOME ?? '/root', '.npmrc')
const NPM_SETTINGS: Record<string, string> = {
  ...(existsSync(USER_NPMRC) ? { npm_config_userconfig: USER_NPMRC } : {}),
  ...(process.env.NODE_EXTRA_CA_CERTS === undefined ? {} : { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS }),
}

/** npm with its cache shared (offline works) and its logs and config kept out of the way. */
function npm(args: string[], options: { cwd: string; home: string; path?: string }) {
  return execa('npm', args, {
    cwd: options.cwd,
    env: {
      ...NPM_SETTINGS,
      PATH: options.path ?? SYSTEM_PATH,
      HOME: options.home,
      npm_config_cache: process.env.npm_config_cache ?? join(process.env.HOME ?? '/root', '.npm'),
      npm_config_update_notifier: 'false',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    },
    extendEnv: false,
    reject: false,
    timeout: 300_000,
  })
}

/** A checkout as git has it (no dist/, no node_modules), in its own temp folder. */
function freshClone(t: { teardown(fn: () => unknown): void }): string {
  const dir = tempDir(t, 'awsmfa-clone-')
  for (const entry of ['lib', 'scripts', 'shells', 'completions', 'package.json', 'package-lock.json', 'tsconfig.json', 'install.sh', 'README.md', 'LICENSE']) {
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true })
  }
  return dir
}

/** The chunk files the bundle can load: every relative import from dist/awsmfa.mjs on. */
function reachableChunks(distDir: string): Set<string> {
  const seen = new Set<string>()
  const visit = (file: string): void => {
    const text = readFileSync(join(distDir, file), 'utf8')
    for (const m of text.matchAll(/(?:from\s*|import\s*\(\s*)["'](\.\.?\/[^"']+\.mjs)["']/g)) {
      const target = join(dirname(file), m[1] ?? '').replace(/^\.\//, '')
      if (!seen.has(target)) {
        seen.add(target)
        visit(target)
      }
    }
  }
  visit('awsmfa.mjs')
  return seen
}

t.test('package.json: no runtime dependencies, a files whitelist, prepare and prepack', async (t) => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown> & { scripts: Record<string, string> }
  t.same(pkg.dependencies ?? {}, {}, 'dependencies is empty: esbuild bundles everything')
  t.same(pkg.files, ['dist/awsmfa.mjs', 'dist/chunks/', 'shells/', 'completions/'])
  t.match(pkg.scripts.prepare ?? '', /prepare\.mjs/)
  t.match(pkg.scripts.prepack ?? '', /build\.mjs --prune/)
  t.ok(existsSync(join(ROOT, 'LICENSE')), 'a LICENSE file')
})

t.test('npm pack → npm install -g --prefix (offline) → the smoke set against the installed copy', async (t) => {
  await requireShell(t, 'npm')
  const work = tempDir(t, 'awsmfa-pack-')
  const home = tempDir(t, 'awsmfa-npm-home-')
  const clone = freshClone(t)
  // The build tools, as `npm ci` would have installed them.
  cpSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), { recursive: true, verbatimSymlinks: true })
  // A chunk an earlier build left behind: prepack's --prune must keep it out of the package.
  mkdirSync(join(clone, 'dist/chunks'), { recursive: true })
  writeFileSync(join(clone, 'dist/chunks/chunk-STALE000.mjs'), 'export {}\n')

  const pack = await npm(['pack', '--json', '--pack-destination', work], { cwd: clone, home })
  t.equal(pack.exitCode, 0, pack.stderr)
  const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>
  const packed = (info?.files ?? []).map((f) => f.path).sort()
  const chunks = packed.filter((p) => p.startsWith('dist/chunks/'))
  t.same(packed.filter((p) => !p.startsWith('dist/chunks/')), ['LICENSE', 'README.md', ...SHIPPED_FILES, 'dist/awsmfa.mjs', 'package.json'].sort(), 'exactly the bundle, shells/, completions/, README, LICENSE')
  t.notOk(chunks.includes('dist/chunks/chunk-STALE000.mjs'), 'a chunk left by an earlier build is not packed')
  const loaded = [...reachableChunks(join(clone, 'dist'))].map((p) => `dist/${p}`)
  t.ok(loaded.length > 10, `the bundle loads ${loaded.length} chunks`)
  t.same(loaded.filter((p) => !chunks.includes(p)), [], 'every chunk the bundle can load is packed')
  const tarball = join(work, info?.filename ?? 'missing.tgz')

  const prefix = join(work, 'prefix')
  const install = await npm(['install', '-g', '--prefix', prefix, '--offline', tarball], { cwd: work, home })
  t.equal(install.exitCode, 0, install.stderr)
  t.match(install.stdout, /added 1 package/, 'one package, no dependencies')
  const installed = join(prefix, 'lib/node_modules/awsmfa')
  t.notOk(existsSync(join(installed, 'node_modules')), 'no node_modules inside the installed package')
  t.equal(realpathSync(join(prefix, 'bin/awsmfa')), join(realpathSync(installed), 'dist/awsmfa.mjs'))
  t.same(filesUnder(installed).filter((f) => !f.startsWith('dist/chunks/')), ['LICENSE', 'README.md', ...SHIPPED_FILES, 'dist/awsmfa.mjs', 'package.json'].sort())

  await smokeSet(t, `${join(prefix, 'bin')}:${SYSTEM_PATH}`, 'npm install -g <tgz>')

  t.test('init prints the files from the installed package', async (t) => {
    const init = await execa(join(prefix, 'bin/awsmfa'), ['init', 'zsh'], { reject: false, stdin: 'ignore', stripFinalNewline: false })
    t.equal(init.stdout, readFileSync(join(installed, 'shells/awsmfa.zsh'), 'utf8') + readFileSync(join(installed, 'completions/_awsmfa'), 'utf8'))
  })

  t.test('npx --package <tgz> awsmfa (offline)', async (t) => {
    const npxHome = tempDir(t, 'awsmfa-npx-home-')
    const run = async (args: string[]) =>
      execa('npx', ['--yes', '--offline', '--package', tarball, 'awsmfa', ...args], {
        cwd: npxHome,
        env: { ...NPM_SETTINGS, PATH: SYSTEM_PATH, HOME: npxHome, npm_config_cache: join(npxHome, 'cache'), npm_config_update_notifier: 'false' },
        extendEnv: false, reject: false, stdin: 'ignore', stripFinalNewline: false, timeout: 300_000,
      })
    const version = await run(['--version'])
    t.equal(version.exitCode, 0, version.stderr)
    t.equal(version.stdout, `${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`)
    const init = await run(['init', 'fish'])
    t.equal(init.exitCode, 0, init.stderr)
    t.equal(init.stdout, readFileSync(join(ROOT, 'shells/awsmfa.fish'), 'utf8') + readFileSync(join(ROOT, 'completions/awsmfa.fish'), 'utf8'))
  })
})

t.test('npm install -g of an unbuilt clone: prepare installs the build tools and builds', async (t) => {
  await requireShell(t, 'npm')
  const clone = freshClone(t)
  const home = tempDir(t, 'awsmfa-npm-home-')
  const prefix = join(tempDir(t, 'awsmfa-prefix-'), 'p')
  const install = await npm(['install', '-g', '--prefix', prefix, '--prefer-offline', clone], { cwd: home, home })
  t.equal(install.exitCode, 0, `${install.stdout}\n${install.stderr}`)
  t.ok(existsSync(join(clone, 'dist/awsmfa.mjs')), 'prepare built dist/ in the clone')
  t.equal(realpathSync(join(prefix, 'bin/awsmfa')), join(realpathSync(clone), 'dist/awsmfa.mjs'), 'the command links into the clone')
  // The same bundle as the tarball's: the integration in one shell is enough here.
  await smokeSet(t, `${join(prefix, 'bin')}:${SYSTEM_PATH}`, 'npm install -g <clone>', ['bash'])
})
