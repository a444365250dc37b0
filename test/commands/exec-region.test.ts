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
