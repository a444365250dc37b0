/**
 * The standalone executable (npm run build:standalone): built once here into a temp folder, then
 * the e2e smoke set runs against it on a PATH where no `node` is found — the user without Node.
 */
import t from 'tap'
import { execa } from 'execa'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from '../helpers/world.js'
import { pathWithoutNode, smokeSet } from '../helpers/smoke.js'
import { tempDir } from '../integration/common.js'

// One build (about a minute on a loaded machine) and a dozen real shells.
t.setTimeout(900_000)

t.test('npm run build:standalone → the smoke set with no node on PATH', async (t) => {
  const out = tempDir(t, 'awsmfa-standalone-')
  const built = await execa(process.execPath, [join(ROOT, 'scripts/build-standalone.mjs'), '--out', out], { cwd: ROOT, reject: false, timeout: 600_000 })
  t.equal(built.exitCode, 0, built.stderr.slice(-3000))
  const executable = join(out, 'awsmfa')
  t.ok(existsSync(executable), 'dist/standalone/awsmfa is built')
  t.match(built.stdout, /^built .*awsmfa \(\d+\.\d MB; Node /m, 'and its size reported')
  t.comment(`standalone size: ${(statSync(executable).size / 1024 / 1024).toFixed(1)} MB`)

  const noNode = pathWithoutNode(tempDir(t, 'awsmfa-path-'))
  const pwshDir = join(process.env.HOME ?? '/root', '.dotnet/tools')
  const path = [out, noNode, ...(existsSync(join(pwshDir, 'pwsh')) ? [pwshDir] : [])].join(':')
  const node = await execa('sh', ['-c', 'command -v node || command -v nodejs'], { env: { PATH: path }, extendEnv: false, reject: false })
  t.not(node.exitCode, 0, `no node on this PATH (${node.stdout})`)

  // Not a script for some Node: a native executable.
  t.equal(readFileSync(executable).subarray(0, 4).toString('latin1'), '\x7fELF', 'an ELF executable, not a script')

  await smokeSet(t, path, 'standalone')

  t.test('init reads the shipped files from the executable\'s assets', async (t) => {
    const init = await execa(executable, ['init', 'bash'], { env: { PATH: path }, extendEnv: false, reject: false, stripFinalNewline: false })
    t.equal(init.exitCode, 0, init.stderr)
    t.equal(init.stdout, readFileSync(join(ROOT, 'shells/awsmfa.bash'), 'utf8') + readFileSync(join(ROOT, 'completions/awsmfa.bash'), 'utf8'))
    // PowerShell: the text goes to a file in the user's cache, so `awsmfa` is a script and $? tells the truth.
    const home = tempDir(t, 'awsmfa-standalone-home-')
    const ps = await execa(executable, ['init', 'powershell'], { env: { PATH: path, HOME: home }, extendEnv: false, reject: false })
    t.equal(ps.exitCode, 0, ps.stderr)
    t.equal(ps.stderr, '')
    const file = /^if \(Test-Path -LiteralPath '([^']+)'\) \{ \. '\1' \}$/.exec(ps.stdout)?.[1] ?? ''
    t.ok(file.startsWith(join(home, '.cache', 'awsmfa', 'awsmfa-')), `init powershell dot-sources a file in ~/.cache/awsmfa: ${ps.stdout}`)
    t.equal(existsSync(file) ? readFileSync(file, 'utf8') : '', readFileSync(join(ROOT, 'shells/awsmfa.ps1'), 'utf8') + readFileSync(join(ROOT, 'completions/awsmfa.ps1'), 'utf8'), 'holding the integration, then the completion')
  })

  t.test('a refused command line: awsmfa\'s message, exit 2, empty stdout', async (t) => {
    const bad = await execa(executable, ['env'], { env: { PATH: path }, extendEnv: false, reject: false })
    t.equal(bad.exitCode, 2)
    t.equal(bad.stdout, '')
    t.match(bad.stderr, /^awsmfa: env needs <profile>: awsmfa env <profile>\n {2}fix: /)
  })
})
