/**
 * Profile names are looked up in a Map (lib/profiles.ts SharedConfig.profiles), never in a plain
 * object: `toString`, `constructor`, `__proto__` and friends are names like any other.
 */
import t from 'tap'
import { ALICE_MFA, NOMFA_ROLE, PROD_ROLE, makeWorld } from '../helpers/world.js'

const NAMES = ['toString', 'constructor', '__proto__', 'isPrototypeOf']

t.test('env, exec and doctor with a prototype name that is no profile: "no profile named"', async (t) => {
  const world = await makeWorld(t)
  for (const name of NAMES) {
    for (const args of [['env', name], ['exec', name, '--', 'true']]) {
      const result = await world.run(args)
      t.equal(result.exitCode, 2, `${args.join(' ')}: exit 2`)
      t.equal(result.stdout, '', 'stdout is empty')
      // Before the fix: "has no role_arn, so there is no role to assume".
      t.match(result.stderr, new RegExp(`^awsmfa: ${name}: no profile named '${name}' in `), `${args.join(' ')}: no profile named '${name}'`)
    }
    const doctor = await world.run(['doctor', name])
    t.equal(doctor.exitCode, 2, `doctor ${name}: exit 2`)
    t.match(doctor.stderr, new RegExp(`no profile named '${name}'`))
  }
  t.equal(world.emulator.requests.length, 0, 'no call to STS')
})

t.test('a prototype name as source_profile or AWS_PROFILE is a missing profile, not a function', async (t) => {
  const world = await makeWorld(t, {
    config: () => `[profile prod]\nrole_arn = ${PROD_ROLE}\nsource_profile = toString\nmfa_serial = ${ALICE_MFA}\n`,
  })
  const env = await world.run(['env', 'prod', '-t', '123456'])
  t.equal(env.exitCode, 2)
  t.match(env.stderr, /^awsmfa: prod: names source_profile 'toString', which is not in /, 'source_profile = toString is missing (failed before the fix)')

  world.writeConfig(`[profile prod]\nrole_arn = ${PROD_ROLE}\nsource_profile = alice\nmfa_serial = ${ALICE_MFA}\n`)
  const doctor = await world.run(['doctor'], { env: { AWS_PROFILE: 'constructor', AWSMFA_SHELL: 'bash' } })
  t.equal(doctor.exitCode, 1)
  t.match(doctor.stdout, /AWS_PROFILE names 'constructor', which is in neither /, 'AWS_PROFILE=constructor is not a profile that exists (failed before the fix)')
})

t.test('a profile really named toString works like any other', async (t) => {
  const world = await makeWorld(t, { config: () => `[profile toString]\nrole_arn = ${NOMFA_ROLE}\nsource_profile = alice\n` })
  const result = await world.run(['env', 'toString', '--json'])
  t.equal(result.exitCode, 0, result.stderr)
  t.match(result.stdout, /"AccessKeyId":"ASIA/)
  const list = await world.run(['list', '--json'])
  t.match(JSON.parse(list.stdout), [{ profile: 'toString' }])
})
