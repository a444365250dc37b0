/**
 * Behind a corporate proxy (SPEC §8), with real components only: Debian's tinyproxy, the
 * emulator behind the real STS hostname over TLS with a throwaway CA, in a network namespace
 * where only the proxy can resolve that name (test/network/rig.ts). Direct access must fail, and
 * the proxy's own log must show the CONNECT.
 */
import t from 'tap'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CLI, NOMFA_ROLE, assertNoSecrets, defaultConfig, makeWorld } from '../helpers/world.js'
import { AWS_CLI, makeRig, rigUnavailable } from './rig.js'
import { missing } from '../helpers/missing.js'

const unavailable = rigUnavailable()
if (unavailable !== undefined) {
  t.test('the proxy path', async (t) => missing(t, `the proxy rig cannot run: ${unavailable}`))
} else {
  t.test('the proxy path', async (t) => {
    // Profiles without mfa_serial (a role that trusts alice without MFA) for every run but the
    // first: the proxy path does not depend on MFA, and single-use codes would make the test wait.
    const noMfa = (name: string, extra: string, roleArn = NOMFA_ROLE): string => `[profile ${name}]\nrole_arn = ${roleArn}\nsource_profile = alice\n${extra}\n`
    const world = await makeWorld(t, {
      config: () => [
        defaultConfig(),
        noMfa('corpnet', 'region = eu-west-1'),
        noMfa('fips', 'region = us-east-1\nuse_fips_endpoint = true'),
        noMfa('plain', 'region = eu-west-1'),
        noMfa('china', 'region = cn-north-1', 'arn:aws-cn:iam::123456789034:role/NoMfaTrust'),
      ].join('\n'),
    })
    const rig = await makeRig(t, world)
    world.writeConfig(`${readFileSync(world.configPath, 'utf8')}\n${noMfa('corp', `region = eu-west-1\nca_bundle = ${rig.caPem}`)}`)
    const connects = (log: string, host = 'sts.eu-west-1.amazonaws.com'): number => log.split('\n').filter((line) => line.includes(`CONNECT ${host}:443`)).length
    const proxy = `http://127.0.0.1:${rig.proxyPort}`

    t.test('HTTPS_PROXY and AWS_CA_BUNDLE: the call goes through the proxy, and --verbose says so', async (t) => {
      const before = connects(rig.proxyLog())
      const calls = world.emulator.requests.length
      const result = await rig.run(['env', 'prod', '-t', world.code(), '--verbose'], { HTTPS_PROXY: proxy, AWS_CA_BUNDLE: rig.caPem })
      t.equal(result.exitCode, 0, result.stderr)
      t.match(result.stdout, /AWS_SESSION_TOKEN=/)
      t.match(result.stderr, /STS endpoint https:\/\/sts\.eu-west-1\.amazonaws\.com \(from the SDK's endpoint rules for eu-west-1\)/)
      t.match(result.stderr, new RegExp(`through the proxy http://127\\.0\\.0\\.1:${rig.proxyPort} \\(from HTTPS_PROXY\\)`))
      t.match(result.stderr, /trusting only the CA bundle .*ca\.pem \(from AWS_CA_BUNDLE, 1 certificate\)/)
      t.equal(connects(rig.proxyLog()), before + 1, 'the proxy log shows one more CONNECT sts.eu-west-1.amazonaws.com:443')
      t.equal(world.emulator.requests.slice(calls).filter((r) => r.action === 'AssumeRole').length, 1, 'STS got the AssumeRole')
      assertNoSecrets(t, result.stderr, [world.alice.secretAccessKey, ...world.emulator.issued.flatMap((c) => [c.secretAccessKey, c.sessionToken])])
    })

    t.test('without a proxy the name does not resolve: the fix names HTTPS_PROXY', async (t) => {
      const before = rig.proxyLog()
      const result = await rig.run(['env', 'corpnet'], { AWS_CA_BUNDLE: rig.caPem })
      t.equal(result.exitCode, 1)
      t.equal(result.stdout, '')
      t.match(result.stderr, /^awsmfa: corpnet: could not reach STS at https:\/\/sts\.eu-west-1\.amazonaws\.com: the name sts\.eu-west-1\.amazonaws\.com does not resolve \((EAI_AGAIN|ENOTFOUND)\)\n  fix: .*HTTPS_PROXY=/)
      t.equal(rig.proxyLog(), before, 'the proxy saw nothing')
    })

    t.test('lowercase https_proxy, and ca_bundle from the target profile', async (t) => {
      const before = connects(rig.proxyLog())
      const result = await rig.run(['env', 'corp', '--verbose'], { https_proxy: proxy })
      t.equal(result.exitCode, 0, result.stderr)
      t.match(result.stderr, /\(from https_proxy\)/)
      t.match(result.stderr, /trusting only the CA bundle .*ca\.pem \(from ca_bundle in \[profile corp\], 1 certificate\)/)
      t.equal(connects(rig.proxyLog()), before + 1, 'CONNECT in the proxy log')
    })

    t.test('NO_PROXY exact, .suffix and * send the call direct, and --verbose says NO_PROXY matched', async (t) => {
      for (const [variable, value] of [['NO_PROXY', 'sts.eu-west-1.amazonaws.com'], ['no_proxy', '.amazonaws.com'], ['NO_PROXY', '*']] as const) {
        const before = rig.proxyLog()
        const result = await rig.run(['env', 'corpnet', '--verbose'], { HTTPS_PROXY: proxy, AWS_CA_BUNDLE: rig.caPem, [variable]: value })
        t.equal(result.exitCode, 1, `${variable}=${value}`)
        t.equal(result.stdout, '')
        t.match(result.stderr, `awsmfa: no proxy: ${variable}=${value} matches sts.eu-west-1.amazonaws.com, so the connection is direct`)
        t.match(result.stderr, new RegExp(`does not resolve \\((EAI_AGAIN|ENOTFOUND)\\) \\(${variable} sends it direct\\)\n  fix: remove sts\\.eu-west-1\\.amazonaws\\.com from ${variable}`))
        t.equal(rig.proxyLog(), before, 'the proxy saw nothing')
      }
      // A NO_PROXY entry for another host leaves the proxy in use.
      const result = await rig.run(['env', 'corpnet'], { HTTPS_PROXY: proxy, AWS_CA_BUNDLE: rig.caPem, NO_PROXY: 'localhost,.internal.example,amazonaws.com' })
      t.equal(result.exitCode, 0, `an unrelated NO_PROXY keeps the proxy: ${result.stderr}`)
    })

    t.test('a CA that did not sign the certificate, or none: the layer and the fix are named', async (t) => {
      const wrong = await rig.run(['env', 'corpnet'], { HTTPS_PROXY: proxy, AWS_CA_BUNDLE: rig.wrongCaPem })
      t.equal(wrong.exitCode, 1)
      t.equal(wrong.stdout, '')
      t.match(wrong.stderr, new RegExp(`^awsmfa: corpnet: the TLS certificate of sts\\.eu-west-1\\.amazonaws\\.com is not trusted \\((UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY), through the proxy http://127\\.0\\.0\\.1:${rig.proxyPort}\\); checked against the CA bundle .*wrong-ca\\.pem \\(AWS_CA_BUNDLE\\)\n  fix: put the CA`))
      const none = await rig.run(['env', 'corpnet'], { HTTPS_PROXY: proxy })
      t.equal(none.exitCode, 1)
      t.match(none.stderr, /is not trusted \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY).*checked against the default CA roots\n  fix: behind a TLS-inspecting proxy, set AWS_CA_BUNDLE=/)
      // NODE_EXTRA_CA_CERTS still adds to a bundle that replaces the roots.
      const extra = await rig.run(['env', 'corpnet'], { HTTPS_PROXY: proxy, AWS_CA_BUNDLE: rig.wrongCaPem, NODE_EXTRA_CA_CERTS: rig.caPem })
      t.equal(extra.exitCode, 0, `NODE_EXTRA_CA_CERTS adds to AWS_CA_BUNDLE: ${extra.stderr}`)
    })

    t.test('an unreadable or non-PEM bundle is a configuration error before the code is asked for', async (t) => {
      const notPem = join(world.scratch, 'not.pem')
      writeFileSync(notPem, 'this is not a certificate\n')
      const broken = join(world.scratch, 'broken.pem')
      writeFileSync(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')
      const cases: [string, RegExp][] = [
        [join(world.scratch, 'missing.pem'), /the CA bundle .*missing\.pem \(AWS_CA_BUNDLE\) cannot be read \(ENOENT\)/],
        [notPem, /the CA bundle .*not\.pem \(AWS_CA_BUNDLE\) holds no PEM certificate/],
        [broken, /the CA bundle .*broken\.pem \(AWS_CA_BUNDLE\) holds a certificate that is not valid PEM \(number 1\)/],
      ]
      for (const [bundle, message] of cases) {
        // No -t and no terminal: had it got as far as the code, it would say so instead.
        const result = await rig.run(['env', 'prod'], { HTTPS_PROXY: proxy, AWS_CA_BUNDLE: bundle })
        t.equal(result.exitCode, 2)
        t.equal(result.stdout, '')
        t.match(result.stderr, message)
        t.match(result.stderr, /fix: point AWS_CA_BUNDLE at a readable PEM file/)
        t.notMatch(result.stderr, /MFA code|terminal/i, 'the code was never asked for')
      }
    })

    t.test('BasicAuth: credentials from the URL (percent-decoded), 407 without or with wrong ones; the password never shows', async (t) => {
      const authProxy = `http://bob:%73ecret9@127.0.0.1:${rig.authProxyPort}`
      const before = connects(rig.authProxyLog())
      const ok = await rig.run(['env', 'corpnet', '--verbose'], { HTTPS_PROXY: authProxy, AWS_CA_BUNDLE: rig.caPem })
      t.equal(ok.exitCode, 0, ok.stderr)
      t.match(ok.stderr, `through the proxy http://bob:***@127.0.0.1:${rig.authProxyPort} (from HTTPS_PROXY)`)
      t.equal(connects(rig.authProxyLog()), before + 1)
      t.notMatch(ok.stderr, /secret9|%73ecret9/, 'no password in --verbose')

      const anonymous = await rig.run(['env', 'corpnet'], { HTTPS_PROXY: `http://127.0.0.1:${rig.authProxyPort}`, AWS_CA_BUNDLE: rig.caPem })
      t.equal(anonymous.exitCode, 1)
      t.equal(anonymous.stdout, '')
      t.match(anonymous.stderr, `awsmfa: corpnet: the proxy http://127.0.0.1:${rig.authProxyPort} asks for a user name and password (HTTP 407 Proxy Authentication Required); nothing reached STS\n  fix: check HTTPS_PROXY`)

      const wrong = await rig.run(['env', 'corpnet'], { HTTPS_PROXY: `http://bob:wrong-pass@127.0.0.1:${rig.authProxyPort}`, AWS_CA_BUNDLE: rig.caPem })
      t.equal(wrong.exitCode, 1)
      t.match(wrong.stderr, `the proxy http://bob:***@127.0.0.1:${rig.authProxyPort} refused its user name or password (HTTP `)
      t.notMatch(wrong.stderr, /wrong-pass/, 'no password in the error')

      const beforeDoctor = connects(rig.authProxyLog())
      const doctor = await rig.run(['doctor', 'corpnet', '--online'], { HTTPS_PROXY: authProxy, AWS_CA_BUNDLE: rig.caPem })
      t.match(doctor.stdout, `through the proxy http://bob:***@127.0.0.1:${rig.authProxyPort} (from HTTPS_PROXY)`)
      t.match(doctor.stdout, /STS endpoint https:\/\/sts\.eu-west-1\.amazonaws\.com/)
      t.match(doctor.stdout, /trusting only the CA bundle .*ca\.pem \(from AWS_CA_BUNDLE/)
      t.match(doctor.stdout, `(GetCallerIdentity at https://sts.eu-west-1.amazonaws.com through the proxy http://bob:***@127.0.0.1:${rig.authProxyPort})`)
      t.notMatch(doctor.stdout + doctor.stderr, /secret9/, 'no password in doctor')
      t.equal(connects(rig.authProxyLog()), beforeDoctor + 1, 'doctor --online went through the proxy too')
    })

    t.test('a proxy that closes the connection, and one that is not there, are named', async (t) => {
      const closing = await rig.run(['env', 'corpnet'], { HTTPS_PROXY: `http://127.0.0.1:${rig.closingProxyPort}`, AWS_CA_BUNDLE: rig.caPem })
      t.equal(closing.exitCode, 1)
      t.equal(closing.stdout, '')
      t.match(closing.stderr, `awsmfa: corpnet: the proxy http://127.0.0.1:${rig.closingProxyPort} closed the connection to sts.eu-west-1.amazonaws.com before STS answered`)
      t.match(closing.stderr, /fix: check HTTPS_PROXY/)
      const dead = await rig.run(['env', 'corpnet'], { HTTPS_PROXY: `http://alice:pw123@127.0.0.1:${rig.deadPort}`, AWS_CA_BUNDLE: rig.caPem })
      t.equal(dead.exitCode, 1)
      t.match(dead.stderr, `awsmfa: corpnet: could not connect to the proxy http://alice:***@127.0.0.1:${rig.deadPort} (ECONNREFUSED); nothing reached STS\n  fix: check HTTPS_PROXY`)
      t.notMatch(dead.stderr, /pw123/)
      // tinyproxy allows CONNECT to port 443 only (ConnectPort 443): another port is refused with 403.
      const port = await rig.run(['env', 'corpnet'], { HTTPS_PROXY: proxy, AWS_CA_BUNDLE: rig.caPem, AWS_ENDPOINT_URL_STS: 'https://sts.eu-west-1.amazonaws.com:8443' })
      t.equal(port.exitCode, 1)
      t.match(port.stderr, `awsmfa: corpnet: the proxy http://127.0.0.1:${rig.proxyPort} refused the tunnel to sts.eu-west-1.amazonaws.com (HTTP 403); nothing reached STS\n  fix: check HTTPS_PROXY`)
    })

    t.test('status --verify takes the same path', async (t) => {
      const before = connects(rig.proxyLog())
      const script = `out="$("$0" "$1" env corpnet --shell bash)" || exit 9; eval "$out"; exec "$0" "$1" status --verify`
      const result = await rig.exec('/bin/bash', ['-c', script, process.execPath, CLI], { ...world.env(), AWS_ENDPOINT_URL_STS: undefined, HTTPS_PROXY: proxy, AWS_CA_BUNDLE: rig.caPem })
      t.equal(result.exitCode, 0, result.stderr)
      t.match(result.stdout, /verified\s+AWS knows these keys as arn:aws:sts::123456789034:assumed-role\/NoMfaTrust\//)
      t.equal(connects(rig.proxyLog()), before + 2, 'env and status --verify both CONNECTed through the proxy')
    })

    t.test('the AWS CLI v2 through the same rig is the control', async (t) => {
      if (!existsSync(AWS_CLI)) return missing(t, `${AWS_CLI} is not installed (apt-get install -y awscli)`)
      const env = { ...world.env(), AWS_ENDPOINT_URL_STS: undefined, AWS_PROFILE: 'alice', AWS_REGION: 'eu-west-1', AWS_CA_BUNDLE: rig.caPem }
      const before = connects(rig.proxyLog())
      const through = await rig.exec(AWS_CLI, ['sts', 'get-caller-identity', '--output', 'json'], { ...env, HTTPS_PROXY: proxy })
      t.equal(through.exitCode, 0, through.stderr)
      t.match(JSON.parse(through.stdout), { Arn: 'arn:aws:iam::123456789012:user/alice' })
      t.equal(connects(rig.proxyLog()), before + 1, 'the AWS CLI CONNECTs through the same proxy')
      const direct = await rig.exec(AWS_CLI, ['sts', 'get-caller-identity', '--cli-connect-timeout', '3'], env)
      t.not(direct.exitCode, 0, 'and fails without it, as awsmfa does')
      t.match(direct.stderr, /Could not connect to the endpoint URL|Name or service not known|Temporary failure in name resolution/)
    })

    t.test('FIPS (the target profile\'s own, never AWS_PROFILE\'s) and the cn partition reach their own hosts', async (t) => {
      const env = { HTTPS_PROXY: proxy, AWS_CA_BUNDLE: rig.caPem }
      const fips = await rig.run(['env', 'fips', '--verbose'], env)
      t.equal(fips.exitCode, 0, fips.stderr)
      t.match(fips.stderr, /STS endpoint https:\/\/sts-fips\.us-east-1\.amazonaws\.com \(from the SDK's endpoint rules for us-east-1, FIPS \(profile\)\)/)
      t.equal(connects(rig.proxyLog(), 'sts-fips.us-east-1.amazonaws.com'), 1, 'the call went to the FIPS host')
      // AWS_PROFILE names the FIPS profile; the target 'plain' must not pick it up.
      const plain = await rig.run(['env', 'plain', '--verbose'], { ...env, AWS_PROFILE: 'fips' })
      t.equal(plain.exitCode, 0, plain.stderr)
      t.match(plain.stderr, /STS endpoint https:\/\/sts\.eu-west-1\.amazonaws\.com \(from the SDK's endpoint rules for eu-west-1\)/)
      t.equal(connects(rig.proxyLog(), 'sts-fips.us-east-1.amazonaws.com'), 1, 'no second call to the FIPS host')
      const china = await rig.run(['env', 'china', '--verbose'], env)
      t.match(china.stderr, /STS endpoint https:\/\/sts\.cn-north-1\.amazonaws\.com\.cn \(from the SDK's endpoint rules for cn-north-1\)/)
      t.equal(connects(rig.proxyLog(), 'sts.cn-north-1.amazonaws.com.cn'), 1, 'the call went to the cn host')
      t.match(china.stderr, /at https:\/\/sts\.cn-north-1\.amazonaws\.com\.cn/, 'and the error names it')
    })
  })
}
