/**
 * The env command in-process: Deps supply a scripted terminal and capture output; the STS call
 * is the real SDK over HTTP to the emulator.
 */
import t from 'tap'
import { main } from '../../lib/cli.js'
import { fakeDeps } from '../helpers/deps.js'
import { ALICE_MFA, PROD_ROLE, makeWorld } from '../helpers/world.js'

process.env.AWS_EC2_METADATA_DISABLED = 'true'
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

t.test('the prompt names the profile and device, re-asks on malformed input, and the code is never echoed to stderr', async (t) => {
  const world = await makeWorld(t)
  const code = world.code()
  const deps = fakeDeps({ env: world.env(), typed: ['12 34', 'abcdef', ` ${code} `] })
  const exit = await main(['env', 'prod'], deps)
  t.equal(exit, 0, deps.out.stderr)
  t.same(deps.prompts, [
    'MFA code for prod (arn:aws:iam::123456789012:mfa/alice): ',
    'That is not a 6-digit code. MFA code for prod (arn:aws:iam::123456789012:mfa/alice): ',
    'That is not a 6-digit code. MFA code for prod (arn:aws:iam::123456789012:mfa/alice): ',
  ])
  t.equal(world.emulator.requests.length, 1)
  t.equal(world.emulator.requests[0]?.params.TokenCode, code)
  t.notOk(deps.out.stderr.includes(code), 'the code is not on stderr')
  t.match(deps.out.stdout, /AWS_SESSION_TOKEN/)
})

t.test('three malformed answers end with a clear error and no call', async (t) => {
  const world = await makeWorld(t)
  const deps = fakeDeps({ env: world.env(), typed: ['1', '2', '3'] })
  const exit = await main(['env', 'prod'], deps)
  t.equal(exit, 2)
  t.equal(deps.out.stdout, '')
  t.match(deps.out.stderr, /awsmfa: prod: no 6-digit MFA code after 3 tries/)
  t.equal(world.emulator.requests.length, 0)
})

t.test('Ctrl-C at the prompt: exit 130, nothing on stdout, no call', async (t) => {
  const world = await makeWorld(t)
  let interrupt = (): void => {}
  const deps = fakeDeps({ env: world.env(), typed: [], onIdle: () => setImmediate(() => interrupt()) })
  interrupt = deps.interrupt
  const exit = await main(['env', 'prod'], deps)
  t.equal(exit, 130)
  t.equal(deps.out.stdout, '')
  t.match(deps.out.stderr, /awsmfa: prod: interrupted at the MFA prompt; nothing was changed/)
  t.equal(world.emulator.requests.length, 0)
})

t.test('stdout on a terminal: the code is still printed, plus a hint on stderr', async (t) => {
  const world = await makeWorld(t)
  const deps = fakeDeps({ env: world.env(), stdoutIsTTY: true })
  const exit = await main(['env', 'prod', '-t', world.code()], deps)
  t.equal(exit, 0)
  t.match(deps.out.stdout, /AWS_ACCESS_KEY_ID=/)
  t.match(deps.out.stderr, /only take effect when the shell runs them: eval "\$\(awsmfa env prod\)", or awsmfa use prod/)

  const piped = fakeDeps({ env: world.env(), stdoutIsTTY: false })
  await main(['env', 'prod', '-t', world.code()], piped)
  t.notMatch(piped.out.stderr, /take effect/, 'no hint when piped')
})

t.test('help and version go to stdout and change nothing', async (t) => {
  const deps = fakeDeps({ env: {} })
  t.equal(await main(['--version'], deps), 0)
  t.match(deps.out.stdout, /^\d+\.\d+\.\d+\n$/)
  const help = fakeDeps({ env: {} })
  t.equal(await main(['env', '--help'], help), 0)
  t.match(help.out.stdout, /--token-code/)
  t.equal(help.out.stderr, '')
})

t.test('mfa_process: its stderr reaches a person at a terminal, and is captured otherwise', async (t) => {
  const world = await makeWorld(t)
  world.writeConfig(`[profile prod]\nrole_arn = ${PROD_ROLE}\nsource_profile = alice\nmfa_serial = ${ALICE_MFA}\nmfa_process = ykman oath accounts code -s aws\n`)
  for (const stderrIsTTY of [true, false]) {
    const seen: Array<boolean | undefined> = []
    const code = world.code()
    const deps = fakeDeps({
      env: world.env(),
      stderrIsTTY,
      runCommand: async (_line, options) => {
        seen.push(options.showStderr)
        return { exitCode: 0, stdout: `${code}\n`, stderr: '', timedOut: false, failedToStart: false }
      },
    })
    t.equal(await main(['env', 'prod'], deps), 0, deps.out.stderr)
    t.same(seen, [stderrIsTTY], `showStderr follows stderr being a terminal (${stderrIsTTY})`)
  }
})
