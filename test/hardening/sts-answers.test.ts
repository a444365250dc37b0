/**
 * STS answers no real STS gives, produced by the emulator over real HTTP (lib/emulator/hostile.ts)
 * and read by the real SDK inside the built CLI: each is refused with exit 1, empty stdout and one
 * short message naming the profile, the cause and the fix; server text is cut and masked.
 */
import t from 'tap'
import type { HostileFault } from '../../lib/emulator/types.js'
import { ALICE_MFA, defaultConfig, defaultCredentials, makeWorld } from '../helpers/world.js'

// Faults answer before the emulator checks anything, so this code is never spent; it must
// still never reach stderr.
const CODE = '493817'

const REFUSED: Array<{ fault: HostileFault; cause: RegExp }> = [
  { fault: 'expired-answer', cause: /answered with a session that expired at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, before it arrived\n  fix: check this computer's clock/ },
  { fault: 'far-expiration', cause: /answered with a session that ends at 20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ, more than 36 h from now; no AWS session lasts that long\n  fix: check this computer's clock/ },
  { fault: 'long-term-key', cause: /answered with the long-term access key 'AKIA\w{16}' as the session's key; an AWS session's key starts with ASIA\n  fix: check the endpoint/ },
  { fault: 'huge-token', cause: /answered with a session token of 10485760 bytes, more than the 65536 awsmfa accepts; exported, it would make every later command in this terminal fail \("Argument list too long"\)\n  fix: / },
  { fault: 'huge-secret', cause: /answered with a secret key of 1048576 bytes; an AWS secret key is 40 characters \(awsmfa accepts up to 1024\)\n  fix: / },
  { fault: 'other-account', cause: /answered for arn:aws:sts::999999999999:assumed-role\/ServerworksRolePU\/awsmfa-alice, not for the role asked for \(arn:aws:iam::123456789034:role\/ServerworksRolePU\)\n  fix: / },
  { fault: 'no-assumed-role', cause: /answered without the assumed role \(AssumedRoleUser\.Arn\)\n  fix: / },
  { fault: 'huge-error', cause: /AWS refused the request: 1 validation error detected: x{200,}…\n  fix: / },
  { fault: 'redirect', cause: /answered with a redirect \(HTTP 307 Temporary Redirect\) to https:\/\/sts\.eu-west-1\.amazonaws\.com\/; STS never redirects, and awsmfa does not follow one with the MFA code\n  fix: set the endpoint to the right address yourself/ },
  { fault: 'not-found', cause: /answered HTTP 404 \(Not Found\), which is not an STS answer\n  fix: check the endpoint/ },
  { fault: 'echo', cause: /the call to STS at http:\/\/127\.0\.0\.1:\d+ failed: InvalidRequest: Bad request: Action=AssumeRole&.*&TokenCode=\*{6} Authorization: AWS4-HMAC-SHA256 / },
]

t.test('every answer that cannot be a session, or is no STS answer, is refused plainly', async (t) => {
  const world = await makeWorld(t)
  for (const { fault, cause } of REFUSED) {
    for (const debug of fault === 'echo' ? ['0', '1'] : ['0']) {
      world.emulator.inject(fault)
      const before = world.emulator.requests.length
      const result = await world.run(['env', 'prod', '-t', CODE], { env: { AWSMFA_DEBUG: debug } })
      t.equal(world.emulator.requests.length, before + 1, `${fault}: answered over HTTP, not retried`)
      t.equal(result.exitCode, 1, `${fault}: exit 1 (exit 0 and exported before the fix, or "Unknown: Unknown")`)
      t.equal(result.stdout, '', `${fault}: stdout is empty`)
      t.notOk(result.stderr.includes(CODE), `${fault}${debug === '1' ? ' with AWSMFA_DEBUG=1' : ''}: the MFA code never reaches stderr`)
      if (fault !== 'huge-error') t.notMatch(result.stderr, /[A-Za-z0-9+/]{200,}/, `${fault}: no key or token on stderr`)
      if (debug === '1') continue
      t.match(result.stderr, new RegExp(`^awsmfa: prod: (STS at http://127\\.0\\.0\\.1:\\d+ )?${cause.source}`), `${fault}: names the profile, the cause and the fix`)
      t.ok(result.stderr.length < 800, `${fault}: a short message (${result.stderr.length} characters; the 5 MB error was printed whole before)`)
      t.notMatch(result.stderr, /\n\s+at /, `${fault}: no stack trace`)
    }
  }
})

t.test('exec refuses a bad answer too: the command never runs', async (t) => {
  const world = await makeWorld(t)
  for (const fault of ['huge-token', 'expired-answer'] as const) {
    world.emulator.inject(fault)
    const result = await world.run(['exec', 'prod', '-t', CODE, '--', process.execPath, '-e', 'console.log("ran")'])
    t.equal(result.exitCode, 1, `${fault}: exit 1`)
    t.equal(result.stdout, '', `${fault}: the child never ran`)
    t.match(result.stderr, /^awsmfa: prod: STS at http:\/\/127\.0\.0\.1:\d+ answered with /)
  }
})

t.test('a good answer: the success line names the account and role STS answered', async (t) => {
  const world = await makeWorld(t)
  const result = await world.run(['env', 'prod', '-t', world.code()])
  t.equal(result.exitCode, 0, result.stderr)
  const assumed = world.emulator.issued.at(-1)?.arn ?? ''
  t.match(assumed, /^arn:aws:sts::123456789034:assumed-role\/ServerworksRolePU\/awsmfa-alice$/)
  t.match(result.stderr, /^prod: ServerworksRolePU in 123456789034 until \d\d:\d\d \((12h00m|11h59m)\)\n$/)
})

/** `me`: a user session (mfa_serial and the IAM user's own keys, no role_arn): one GetSessionToken. */
const USER_REFUSED: Array<{ fault: HostileFault; cause: RegExp }> = REFUSED.filter(({ fault }) =>
  ['expired-answer', 'far-expiration', 'long-term-key', 'huge-token', 'huge-secret'].includes(fault))

t.test("a user session's GetSessionToken answer is held to the same credential rule", async (t) => {
  const world = await makeWorld(t, {
    config: () => `${defaultConfig()}\n[profile me]\nmfa_serial = ${ALICE_MFA}\nregion = eu-west-1\n`,
    credentials: (alice) => `${defaultCredentials(alice)}\n[me]\naws_access_key_id = ${alice.accessKeyId}\naws_secret_access_key = ${alice.secretAccessKey}\n`,
  })
  t.equal(USER_REFUSED.length, 5)
  for (const { fault, cause } of USER_REFUSED) {
    world.emulator.inject(fault)
    const before = world.emulator.requests.length
    const result = await world.run(['env', 'me', '-t', CODE])
    t.same(world.emulator.requests.slice(before).map((r) => r.action), ['GetSessionToken'], `${fault}: one GetSessionToken, answered over HTTP`)
    t.equal(result.exitCode, 1, `${fault}: exit 1 (exit 0 and exported before the fix)`)
    t.equal(result.stdout, '', `${fault}: stdout is empty`)
    t.notOk(result.stderr.includes(CODE), `${fault}: the MFA code never reaches stderr`)
    t.notMatch(result.stderr, /[A-Za-z0-9+/]{200,}/, `${fault}: no key or token on stderr`)
    t.match(result.stderr, new RegExp(`^awsmfa: me: STS at http://127\\.0\\.0\\.1:\\d+ ${cause.source}`), `${fault}: names the profile, the cause and the fix`)
    t.equal(result.stderr.trimEnd().split('\n').length, 2, `${fault}: one message (cause and fix)`)
  }
  // A server that echoes the request, with stack traces on: the code in the echo is masked on this path too.
  world.emulator.inject('echo')
  const echoed = await world.run(['env', 'me', '-t', CODE], { env: { AWSMFA_DEBUG: '1' } })
  t.equal(echoed.exitCode, 1, 'echo: exit 1')
  t.equal(echoed.stdout, '', 'echo: stdout is empty')
  t.notOk(echoed.stderr.includes(CODE), 'echo with AWSMFA_DEBUG=1: the MFA code never reaches stderr (the stack was written raw before)')
  // The same emulator, no fault: the user session still goes through.
  const good = await world.run(['env', 'me', '-t', world.code()])
  t.equal(good.exitCode, 0, good.stderr)
  t.match(good.stderr, /^me: user alice in 123456789012 \(MFA session, no role\) until /)
})
