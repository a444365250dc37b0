/**
 * exec and env apply the same environment change (lib/session.ts environmentChange): after
 * `use prod` (eu-west-1), a profile without a region must not run with prod's region.
 */
import t from 'tap'
import { execa } from 'execa'
import { ALICE_MFA, NOMFA_ROLE, PROD_ROLE, makeWorld } from '../helpers/world.js'

const config = `[profile prod]
role_arn = ${PROD_ROLE}
source_profile = alice
mfa_serial = ${ALICE_MFA}
region = eu-west-1

[profile noregion]
role_arn = ${NOMFA_ROLE}
source_profile = alice
`

const PRINT_REGION = [process.execPath, '-e', 'console.log(JSON.stringify({ r: process.env.AWS_REGION ?? null, d: process.env.AWS_DEFAULT_REGION ?? null, k: process.env.AWS_ACCESS_KEY_ID ?? null }))']

t.test('after use prod, exec noregion runs without prod\'s region, as env noregion leaves the shell', async (t) => {
  const world = await makeWorld(t, { config: () => config })
  const held = await world.sessionEnv('prod')
  t.equal(held.AWS_REGION, 'eu-west-1', 'the terminal holds prod\'s region')

  const exec = await world.run(['exec', 'noregion', '--', ...PRINT_REGION], { env: held })
  t.equal(exec.exitCode, 0, exec.stderr)
  const seen = JSON.parse(exec.stdout) as { r: string | null; d: string | null; k: string | null }
  t.equal(seen.r, null, 'exec: AWS_REGION removed (failed before the fix: eu-west-1)')
  t.equal(seen.d, null, 'exec: AWS_DEFAULT_REGION removed')
  t.equal(seen.k, world.emulator.issued.at(-1)?.accessKeyId, 'exec: the new session\'s key')

  // The same change through env, evaluated by a real shell holding prod's session.
  const env = await world.run(['env', 'noregion', '--shell', 'sh'], { env: held })
  t.equal(env.exitCode, 0, env.stderr)
  const shell = await execa('sh', ['-c', 'eval "$1" && printf "%s|%s" "${AWS_REGION-unset}" "${AWS_DEFAULT_REGION-unset}"', 'sh', env.stdout], {
    env: { PATH: process.env.PATH, ...held },
    extendEnv: false,
  })
  t.equal(shell.stdout, 'unset|unset', 'env: both region variables removed')
})

/** What a real sh holds after evaluating `env`'s output on top of `held`: every AWS_ and AWSMFA_ variable. */
async function afterEnv(stdout: string, held: Record<string, string>): Promise<Record<string, string>> {
  const shell = await execa('sh', ['-c', 'eval "$1" && env', 'sh', stdout], { env: { ...held, PATH: process.env.PATH }, extendEnv: false })
  return awsVariables(shell.stdout.split('\n'))
}

function awsVariables(entries: readonly string[]): Record<string, string> {
  const seen: Record<string, string> = {}
  for (const entry of entries) {
    const eq = entry.indexOf('=')
    // awsmfa's own process sets the SDK's warning switch before anything runs; not part of the session.
    if (eq > 0 && /^AWS(MFA)?_/.test(entry.slice(0, eq)) && entry.slice(0, eq) !== 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED') seen[entry.slice(0, eq)] = entry.slice(eq + 1)
  }
  return seen
}

const PRINT_AWS = [process.execPath, '-e', 'for (const [k, v] of Object.entries(process.env)) if (/^AWS(MFA)?_/.test(k)) console.log(`${k}=${v}`)']
/** The names whose values are one session's own (the keys and their expiry); the rest must be equal between two sessions. */
const PER_SESSION = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWSMFA_EXPIRATION']
const shared = (vars: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(vars).filter(([k]) => !PER_SESSION.includes(k)))

t.test('exec\'s child holds exactly what env sets, region cleared, replaced and kept (one environment change)', async (t) => {
  const world = await makeWorld(t, {
    config: () => `${config}
[profile west]
role_arn = ${NOMFA_ROLE}
source_profile = alice
region = us-west-2
`,
  })
  // The terminal: the world's own variables (config paths, endpoint), prod's session, and stale profile variables.
  const held = { ...world.env(), ...(await world.sessionEnv('prod')), AWS_PROFILE: 'stale', AWS_SECURITY_TOKEN: 'old' }
  for (const [profile, args] of [['noregion', []], ['west', []], ['west', ['--region', 'ap-south-1']]] as const) {
    const env = await world.run(['env', profile, '--shell', 'sh', ...args], { env: held })
    t.equal(env.exitCode, 0, env.stderr)
    const viaEnv = await afterEnv(env.stdout, held)
    const exec = await world.run(['exec', profile, ...args, '--', ...PRINT_AWS], { env: held })
    t.equal(exec.exitCode, 0, exec.stderr)
    const viaExec = awsVariables(exec.stdout.split('\n'))
    t.same(shared(viaExec), shared(viaEnv), `${profile} ${args.join(' ')}: the same names and values as env leaves`)
    t.same(Object.keys(viaExec).sort(), Object.keys(viaEnv).sort(), `${profile} ${args.join(' ')}: the same names`)
    t.equal(viaExec.AWS_ACCESS_KEY_ID, world.emulator.issued.at(-1)?.accessKeyId, 'exec: its own new session')
  }

  // Reuse: exec prod in prod's terminal costs no STS call and applies env's change again, with --region.
  const calls = world.emulator.issued.length
  const reused = await world.run(['exec', 'prod', '--region', 'ap-south-1', '--', ...PRINT_AWS], { env: held })
  t.equal(reused.exitCode, 0, reused.stderr)
  t.equal(world.emulator.issued.length, calls, 'reused: no new session')
  const viaReuse = awsVariables(reused.stdout.split('\n'))
  const expected: Record<string, string> = { ...awsVariables(Object.entries(held).map(([k, v]) => `${k}=${v}`)), AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'ap-south-1' }
  delete expected.AWS_PROFILE
  delete expected.AWS_SECURITY_TOKEN
  t.same(viaReuse, expected, 'reused: the held session, its profile variables removed, the region replaced')
})
