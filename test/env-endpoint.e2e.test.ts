/**
 * The MFA-carrying AssumeRole goes only where THIS profile's settings say: a `[default]` or
 * `$AWS_PROFILE` profile's endpoint_url must not capture it. Run inside a network namespace with
 * loopback only, so the regional endpoint the call should use is unreachable and nothing leaves
 * the machine; a listener on 127.0.0.1 records whether the call was diverted to it.
 */
import t from 'tap'
import { execa } from 'execa'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ALICE_MFA, CLI, PROD_ROLE, makeWorld } from './helpers/world.js'

const LISTENER = `require('node:net').createServer((s) => { require('node:fs').writeFileSync(process.argv[2], 'hit'); s.destroy() }).listen(47123, '127.0.0.1', () => console.log('up'))`

t.test('endpoint_url of [default] or $AWS_PROFILE never receives another profile\'s call', async (t) => {
  const probe = await execa('unshare', ['-rn', 'sh', '-c', 'ip link set lo up'], { reject: false })
  t.equal(probe.exitCode, 0, 'unshare -rn makes a loopback-only network namespace here')
  if (probe.exitCode !== 0) return

  const world = await makeWorld(t)
  world.writeConfig(`[default]
endpoint_url = http://127.0.0.1:47123

[profile elsewhere]
endpoint_url = http://127.0.0.1:47123

[profile prod]
role_arn = ${PROD_ROLE}
source_profile = alice
mfa_serial = ${ALICE_MFA}
region = eu-west-1
`)
  const hit = join(world.scratch, 'hit')
  const listener = join(world.scratch, 'listener.cjs')
  writeFileSync(listener, LISTENER)
  const node = JSON.stringify(process.execPath)
  const script = [
    'ip link set lo up',
    `${node} ${JSON.stringify(listener)} ${JSON.stringify(hit)} > "$SCRATCH/up" 2>/dev/null & listener=$!`,
    'while [ ! -s "$SCRATCH/up" ]; do sleep 0.05; done',
    `${node} ${JSON.stringify(CLI)} env prod -t 123456; echo "rc=$?" >&2`,
    'kill "$listener"; rm -f "$SCRATCH/up"',
  ].join('\n')
  for (const awsProfile of [undefined, 'elsewhere']) {
    const result = await execa('unshare', ['-rn', 'sh', '-c', script], {
      env: { ...world.env(), AWS_ENDPOINT_URL_STS: undefined, AWS_PROFILE: awsProfile, SCRATCH: world.scratch, AWSMFA_STS_TIMEOUT: '5' },
      extendEnv: false,
      reject: false,
      timeout: 60_000,
    })
    t.equal(result.stdout, '', 'stdout is empty')
    t.match(result.stderr, /could not reach STS at https:\/\/sts\.eu-west-1\.amazonaws\.com/, 'the call went to the regional endpoint')
    t.match(result.stderr, /rc=1/)
    t.notOk(existsSync(hit), `nothing reached the other profile's endpoint_url (AWS_PROFILE=${awsProfile ?? 'unset'})`)
  }
})
