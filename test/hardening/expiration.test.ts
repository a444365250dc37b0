/**
 * AWSMFA_EXPIRATION is read in one place (lib/session.ts heldSession) and every reader — status,
 * status --json, doctor, exec's reuse — refuses a value no session can have, instead of printing
 * NaN-NaN-NaN, "Invalid time value" or "until NaN", or reusing a session that "never ends".
 */
import t from 'tap'
import { makeWorld } from '../helpers/world.js'

const FAR = '99999999999999'
const TOO_LONG = '1234567890123456789'
const noNaN = /NaN|Invalid time value|unexpected failure/

t.test('status, status --json and doctor refuse an expiry beyond any session, with the fix', async (t) => {
  const world = await makeWorld(t)
  const session = await world.sessionEnv('prod')
  const ahead37h = String(Math.floor(Date.now() / 1000) + 37 * 3600)
  for (const value of [FAR, TOO_LONG, ahead37h]) {
    const env = { ...session, AWSMFA_EXPIRATION: value }
    for (const args of [['status'], ['status', '--json']]) {
      const result = await world.run(args, { env })
      t.equal(result.exitCode, 1, `${args.join(' ')} with ${value}: exit 1`)
      t.equal(result.stdout, '', 'stdout is empty')
      t.notMatch(result.stderr, noNaN, 'no NaN, no crash (failed before the fix)')
      t.match(result.stderr, value.length > 15
        ? /^awsmfa: this terminal holds only part of the session for 'prod': AWSMFA_EXPIRATION '\d+' is not a time \(Unix seconds\)\n  fix: eval "\$\(awsmfa env prod\)" for a new session\n$/
        : /^awsmfa: this terminal holds only part of the session for 'prod': AWSMFA_EXPIRATION \d+ lies more than 36 h ahead, further than any AWS session lasts\n  fix: /)
    }
    const doctor = await world.run(['doctor'], { env: { ...env, AWSMFA_SHELL: 'bash' } })
    t.equal(doctor.exitCode, 1, 'doctor: a finding, exit 1')
    t.notMatch(doctor.stdout + doctor.stderr, noNaN, 'doctor: no "until NaN" (failed before the fix)')
    t.match(doctor.stdout, /✗ this terminal holds part of the session awsmfa made for 'prod': AWSMFA_EXPIRATION/)
  }
})

t.test('exec does not reuse a session whose expiry is beyond any session: it asks AWS again', async (t) => {
  const world = await makeWorld(t)
  const session = await world.sessionEnv('prod')
  const before = world.emulator.issued.length
  const result = await world.run(['exec', 'prod', '-t', world.code(), '--', process.execPath, '-e', 'console.log(process.env.AWSMFA_EXPIRATION)'], {
    env: { ...session, AWSMFA_EXPIRATION: FAR },
  })
  t.equal(result.exitCode, 0, result.stderr)
  t.equal(world.emulator.issued.length, before + 1, 'a new session was made (before the fix the far expiry was reused)')
  t.equal(result.stdout.trim(), String(Math.floor(world.emulator.issued.at(-1)!.expiration.getTime() / 1000)), 'the child holds the new expiry')
})
