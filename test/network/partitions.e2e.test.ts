/**
 * Partitions and endpoints through the built CLI: role_arn, mfa_serial and region in different
 * partitions (or in one that does not exist) are a list/doctor verdict and an env refusal (exit
 * 2) before the code is asked for; the endpoint --verbose names is the SDK's, for gov and
 * dual-stack too. The calls that do start run in a loopback-only namespace (unshare -rn).
 */
import t from 'tap'
import { execa } from 'execa'
import { CLI, defaultConfig, defaultCredentials, makeWorld } from '../helpers/world.js'
import { missing } from '../helpers/missing.js'

const role = (p: string): string => `arn:${p}:iam::123456789034:role/Admin`
const mfa = (p: string): string => `arn:${p}:iam::123456789012:mfa/alice`
const profile = (name: string, roleArn: string, serial: string, region: string): string =>
  `[profile ${name}]\nrole_arn = ${roleArn}\nsource_profile = alice\nmfa_serial = ${serial}\nregion = ${region}\n`

const CASES = [
  { name: 'cn-in-us', config: profile('cn-in-us', role('aws-cn'), mfa('aws-cn'), 'us-east-1'), verdict: 'partition mismatch', message: /role_arn aws-cn, mfa_serial aws-cn, region aws/ },
  { name: 'mixed', config: profile('mixed', role('aws'), mfa('aws-us-gov'), 'us-east-1'), verdict: 'partition mismatch', message: /role_arn aws, mfa_serial aws-us-gov, region aws/ },
  { name: 'us-in-cn', config: profile('us-in-cn', role('aws'), mfa('aws'), 'cn-north-1'), verdict: 'partition mismatch', message: /region aws-cn/ },
  { name: 'typo', config: profile('typo', role('aws-cm'), mfa('aws'), 'us-east-1'), verdict: 'unknown partition aws-cm', message: /names the partition 'aws-cm', which is not an AWS partition/ },
]

t.test('each partition mismatch: list and doctor say so, env refuses before the code', async (t) => {
  const world = await makeWorld(t, { config: () => [defaultConfig(), ...CASES.map((c) => c.config), profile('gov', role('aws-us-gov'), mfa('aws-us-gov'), 'us-gov-west-1')].join('\n') })
  const list = await world.run(['list', '--json'])
  t.equal(list.exitCode, 0, list.stderr)
  const rows = JSON.parse(list.stdout) as { profile: string; verdict: string }[]
  for (const c of CASES) t.equal(rows.find((r) => r.profile === c.name)?.verdict, c.verdict, `list: ${c.name}`)
  t.match(rows.find((r) => r.profile === 'gov')?.verdict, /^ok/, 'one partition throughout is fine')
  for (const c of CASES) {
    const doctor = await world.run(['doctor', c.name])
    t.equal(doctor.exitCode, 1)
    t.match(doctor.stdout, c.message, `doctor: ${c.name}`)
    // No -t and no terminal: had env got as far as the code, it would say so instead.
    const env = await world.run(['env', c.name])
    t.equal(env.exitCode, 2, `env ${c.name}`)
    t.equal(env.stdout, '')
    t.match(env.stderr, new RegExp(`^awsmfa: ${c.name}: `))
    t.match(env.stderr, c.message)
    t.notMatch(env.stderr, /terminal|MFA code for/, 'the code was never asked for')
  }
})

t.test('a user session (mfa_serial, own keys, no role_arn) gets the same partition rule: list, doctor, and env before the code', async (t) => {
  const world = await makeWorld(t, {
    config: () => `${defaultConfig()}\n[profile me-cn]\nmfa_serial = ${mfa('aws-cn')}\nregion = eu-west-1\n\n[profile me-cn-ok]\nmfa_serial = ${mfa('aws-cn')}\nregion = cn-north-1\n`,
    credentials: (alice) => `${defaultCredentials(alice)}\n${['me-cn', 'me-cn-ok'].map((n) => `[${n}]\naws_access_key_id = ${alice.accessKeyId}\naws_secret_access_key = ${alice.secretAccessKey}\n`).join('\n')}`,
  })
  const list = await world.run(['list', '--json'])
  t.equal(list.exitCode, 0, list.stderr)
  const rows = JSON.parse(list.stdout) as { profile: string; verdict: string }[]
  t.equal(rows.find((r) => r.profile === 'me-cn')?.verdict, 'partition mismatch', 'list: me-cn')
  t.match(rows.find((r) => r.profile === 'me-cn-ok')?.verdict, /^ok .*\(user session\)$/, 'device and region in aws-cn are fine')
  const message = /mfa_serial and region must be in one AWS partition, but they are not \(mfa_serial aws-cn, region aws\)/
  const doctor = await world.run(['doctor', 'me-cn'])
  t.equal(doctor.exitCode, 1)
  t.match(doctor.stdout, message, 'doctor: me-cn')
  // No -t and no terminal: had env got as far as the code, it would say so instead.
  const env = await world.run(['env', 'me-cn'])
  t.equal(env.exitCode, 2, 'env me-cn: exit 2 (before the fix: it asked for the code)')
  t.equal(env.stdout, '')
  t.match(env.stderr, /^awsmfa: me-cn: mfa_serial and region must be in one AWS partition/)
  t.match(env.stderr, /\n  fix: set region to a region of aws-cn \(e\.g\. region = cn-north-1, or --region\)\n$/)
  t.notMatch(env.stderr, /terminal|MFA code for/, 'the code was never asked for')
  t.equal(world.emulator.requests.length, 0, 'no call was made')
})

t.test('--verbose and the error name the host the SDK calls: gov, dual-stack, FIPS from the environment', async (t) => {
  const probe = await execa('unshare', ['-rn', 'true'], { reject: false })
  if (probe.exitCode !== 0) {
    missing(t, 'unshare -rn is not permitted here (the test makes a network namespace)')
    return
  }
  const world = await makeWorld(t, {
    config: () => [
      defaultConfig(),
      profile('gov', role('aws-us-gov'), mfa('aws-us-gov'), 'us-gov-west-1'),
      `${profile('dual', role('aws'), mfa('aws'), 'eu-west-1')}use_dualstack_endpoint = true\n`,
    ].join('\n'),
  })
  const cases: [string, Record<string, string>, string][] = [
    ['gov', {}, 'https://sts.us-gov-west-1.amazonaws.com'],
    ['dual', {}, 'https://sts.eu-west-1.api.aws'],
    ['prod', { AWS_USE_FIPS_ENDPOINT: 'true' }, 'https://sts-fips.eu-west-1.amazonaws.com'],
  ]
  for (const [name, env, host] of cases) {
    const result = await execa('unshare', ['-rn', 'sh', '-c', `ip link set lo up 2>/dev/null; exec "$0" "$@"`, process.execPath, CLI, 'env', name, '-t', '123456', '--verbose'], {
      env: { ...world.env(), AWS_ENDPOINT_URL_STS: undefined, AWSMFA_STS_TIMEOUT: '5', ...env },
      extendEnv: false,
      reject: false,
    })
    t.equal(result.exitCode, 1, name)
    t.equal(result.stdout, '')
    t.match(result.stderr, `awsmfa: STS endpoint ${host} (from the SDK's endpoint rules`, `--verbose: ${name}`)
    t.match(result.stderr, `awsmfa: ${name}: could not reach STS at ${host}`, `the error: ${name}`)
  }
})
