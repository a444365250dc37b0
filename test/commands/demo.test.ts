/**
 * `awsmfa demo`: end to end with the built CLI, offline (in a network namespace with only
 * loopback when the system allows one), with a temp HOME and TMPDIR that must end as they began;
 * and in-process, that a failure or Ctrl-C half-way still removes the temp directory.
 */
import t from 'tap'
import { execa } from 'execa'
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { demoCommand } from '../../lib/commands/demo.js'
import { demoWorld } from '../../lib/emulator/index.js'
import type { StsApi } from '../../lib/sts.js'
import { realSts } from '../../lib/sts-client.js'
import { CLI, makeWorld } from '../helpers/world.js'
import { fakeDeps } from '../helpers/deps.js'

// In-process runs load the SDK without realDeps, which is what quiets its Node-version notice.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

/** Whether this system lets an unprivileged user make a network namespace with only loopback. */
async function canIsolateNetwork(): Promise<boolean> {
  const probe = await execa('unshare', ['-rn', 'sh', '-c', 'ip link set lo up'], { reject: false })
  return probe.exitCode === 0
}

t.test('demo: the whole flow, offline, leaving HOME and TMPDIR as they were', async (t) => {
  const world = await makeWorld(t)
  const tmp = join(world.scratch, 'tmp')
  mkdirSync(tmp)
  const before = world.snapshotHome()
  const env = { ...world.env(), TMPDIR: tmp, AWS_CONFIG_FILE: undefined, AWS_SHARED_CREDENTIALS_FILE: undefined, AWS_ENDPOINT_URL_STS: undefined }
  let result: { exitCode?: number | undefined; stdout: unknown; stderr: unknown }
  if (await canIsolateNetwork()) {
    // Only 127.0.0.1 exists in here: any other connection would fail the demo.
    const command = `ip link set lo up && exec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} demo`
    result = await execa('unshare', ['-rn', 'sh', '-c', command], { env, extendEnv: false, reject: false, timeout: 60_000 })
    t.comment('ran in a network namespace with loopback only')
  } else {
    t.comment('no unprivileged network namespace here: ran with the normal network')
    result = await world.run(['demo'], { env })
  }
  const stdout = String(result.stdout)
  t.equal(result.exitCode, 0, String(result.stderr))
  t.equal(String(result.stderr), '', 'nothing on stderr: the demo is its output')

  const shown = /^1\. The MFA device shows (\d{6})\.$/m.exec(stdout)?.[1]
  t.ok(shown, 'the virtual device\'s code is shown')
  t.match(stdout, new RegExp(`^   MFA code for prod \\(arn:aws:iam::123456789012:mfa/alice\\): ${shown ?? 'x'}$`, 'm'), 'the prompt, with that code typed')
  t.match(stdout, /^   prod: ServerworksRolePU in 123456789034 until \d\d:\d\d \(12h00m\)$/m, 'the stderr summary line')
  t.match(stdout, /^   \\?export AWS_ACCESS_KEY_ID='ASIA[A-Z0-9]{16}';$/m, 'the export lines')
  t.match(stdout, /^   \\?export AWS_SECRET_ACCESS_KEY='…\(40 characters, hidden here\)';$/m, 'the secret masked')
  t.match(stdout, /^   \\?export AWS_SESSION_TOKEN='IQoJ…\(\d+ characters, hidden here\)';$/m, 'the token masked')
  t.match(stdout, /^   \\?export AWSMFA_PROFILE='prod';$/m)
  t.match(stdout, /^   \[prod 12h00m\] \$ aws sts get-caller-identity --query Arn$/m, 'the prompt segment')
  t.match(stdout, /^   arn:aws:sts::123456789034:assumed-role\/ServerworksRolePU\/awsmfa-alice$/m, 'the session works')
  t.match(stdout, /awsmfa: chained: gets its keys from profile 'sessiontoken', which holds temporary credentials \(a session token\)/, 'the chained variant fails')
  t.match(stdout, /fix: point source_profile at the IAM user's long-term keys/)
  t.match(stdout, /\(exit status 2; refused before any call to STS, so no MFA code was spent\)/)
  t.match(stdout, /^   aws_session_token = IQoJ…\(\d+ characters, hidden here\)$/m, 'the GetSessionToken credentials, masked')
  t.match(stdout, /^   http:\/\/127\.0\.0\.1:\d+\/federation\?Action=login&Issuer=awsmfa&Destination=https%3A%2F%2Fconsole\.aws\.amazon\.com%2Fconsole%2Fhome%3Fregion%3Deu-west-1&SigninToken=emu-signin-…\(\d+ characters, hidden here\)$/m, 'the console URL printed, its token hidden')
  t.match(stdout, /^   prod: sign-in URL for the console as ServerworksRolePU in 123456789034 for 1[12]h\d\dm/m)
  t.match(stdout, /^   me: user alice in 123456789012 \(MFA session, no role\) until \d\d:\d\d \(12h00m\)$/m, 'the user session')

  t.notOk(stdout.includes(demoWorld().users[0]?.secretAccessKey ?? 'unset'), 'alice\'s secret is not printed')
  t.notMatch(stdout, /SECRET_ACCESS_KEY='[^…]/, 'no secret value printed')
  t.notOk(stdout.includes('\u001b'), 'no colour when piped')

  t.same(world.snapshotHome(), before, 'HOME holds the same files, byte for byte')
  t.same(readdirSync(tmp), [], 'the temp directory is gone')
})

t.test('demo: a failure half-way still removes the temp directory', async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'awsmfa-demo-test-'))
  const saved = process.env.TMPDIR
  process.env.TMPDIR = tmp
  t.teardown(() => {
    if (saved === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = saved
    rmSync(tmp, { recursive: true, force: true })
  })
  const failing: StsApi = {
    assumeRole: (request) => realSts.assumeRole(request),
    getSessionToken: (request) => realSts.getSessionToken(request),
    getCallerIdentity: async () => {
      t.equal(readdirSync(tmp).length, 1, 'the temp directory exists while the demo runs')
      throw new Error('the network fell over')
    },
  }
  const deps = { ...fakeDeps({ env: { HOME: '/nonexistent' } }), loadSts: async () => failing }
  await t.rejects(demoCommand(deps), /the network fell over/)
  t.same(readdirSync(tmp), [], 'removed after the failure')
})

t.test('demo: Ctrl-C half-way ends with 130 and removes the temp directory', async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'awsmfa-demo-test-'))
  const saved = process.env.TMPDIR
  process.env.TMPDIR = tmp
  t.teardown(() => {
    if (saved === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = saved
    rmSync(tmp, { recursive: true, force: true })
  })
  const base = fakeDeps({ env: { HOME: '/nonexistent' } })
  const interrupting: StsApi = {
    assumeRole: async (request) => {
      base.interrupt()
      return realSts.assumeRole(request)
    },
    getSessionToken: (request) => realSts.getSessionToken(request),
    getCallerIdentity: (request) => realSts.getCallerIdentity(request),
  }
  await t.rejects(demoCommand({ ...base, loadSts: async () => interrupting }), { exitCode: 130, message: /demo interrupted; its temporary files were removed/ })
  t.same(readdirSync(tmp), [], 'removed after the interruption')
})
