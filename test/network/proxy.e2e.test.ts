/**
 * Behind a corporate proxy (SPEC §8), with real components only: Debian's tinyproxy, the
 * emulator behind the real STS hostname over TLS with a throwaway CA, in a network namespace
 * where only the proxy can resolve that name (test/network/rig.ts). Direct access must fail, and
 * the proxy's own log must show the CONNECT.
 */
import t from 'tap'
import { assertNoSecrets, makeWorld } from '../helpers/world.js'
import { makeRig, rigUnavailable } from './rig.js'

const unavailable = rigUnavailable()
if (unavailable !== undefined) {
  if (process.env.CI === 'true') t.fail(`the proxy rig cannot run: ${unavailable}`)
  else t.test('the proxy path', { skip: `the proxy rig cannot run: ${unavailable}` }, () => {})
} else {
  t.test('the proxy path', async (t) => {
    const world = await makeWorld(t)
    const rig = await makeRig(t, world)
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
      const result = await rig.run(['env', 'prod', '-t', world.code()], { AWS_CA_BUNDLE: rig.caPem })
      t.equal(result.exitCode, 1)
      t.equal(result.stdout, '')
      t.match(result.stderr, /^awsmfa: prod: could not reach STS at https:\/\/sts\.eu-west-1\.amazonaws\.com: the name sts\.eu-west-1\.amazonaws\.com does not resolve \((EAI_AGAIN|ENOTFOUND)\)\n  fix: .*HTTPS_PROXY=/)
      t.equal(rig.proxyLog(), before, 'the proxy saw nothing')
    })
  })
}
