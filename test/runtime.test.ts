/**
 * Every Node major that package.json's "engines" claims runs the built CLI end to end:
 * this machine's Node, plus 22 and 24 fetched by scripts/fetch-node.sh (run by .ci/run).
 */
import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { execa } from 'execa'
import { CLI, ROOT, makeWorld } from './helpers/world.js'

const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node

const runtimes: Array<{ major: number; node: string }> = [
  { major: Number(process.versions.node.split('.')[0]), node: process.execPath },
  { major: 22, node: join(ROOT, '.node-versions/22/bin/node') },
  { major: 24, node: join(ROOT, '.node-versions/24/bin/node') },
]

t.test('engines names exactly the majors tested here', async (t) => {
  t.equal(engines, '^20.19.0 || >=22.12.0')
  t.same([...new Set(runtimes.map((r) => r.major))].sort(), [20, 22, 24])
})

for (const runtime of runtimes) {
  t.test(`Node ${runtime.major}: version, and a session evaluated by bash`, async (t) => {
    if (!existsSync(runtime.node)) {
      t.fail(`${runtime.node} is missing: run scripts/fetch-node.sh (.ci/run does)`)
      return
    }
    const version = await execa(runtime.node, ['--version'])
    t.match(version.stdout, new RegExp(`^v${runtime.major}\\.`))
    const world = await makeWorld(t)
    const run = async (args: string[]) =>
      execa(runtime.node, [CLI, ...args], { env: world.env(), extendEnv: false, reject: false, stdin: 'ignore', detached: true })
    const ver = await run(['--version'])
    t.equal(ver.exitCode, 0)
    t.equal(ver.stderr, '', 'no runtime warning on stderr')
    const env = await run(['env', 'prod', '-t', world.code(), '--shell', 'bash'])
    t.equal(env.exitCode, 0, env.stderr)
    t.match(env.stderr, /^prod: ServerworksRolePU in 123456789034 until \d\d:\d\d \(12h00m\)$/, 'only the summary line: no SDK warnings')
    const bash = await execa('bash', ['-c', `eval "$1"; printf %s "$AWS_ACCESS_KEY_ID"`, 'bash', env.stdout])
    t.equal(bash.stdout, world.emulator.issued[0]?.accessKeyId)
  })
}
