/**
 * The demo in-process: its temp folder, files, emulator and every STS call go through Deps (real
 * files, the real emulator over real HTTP, the real SDK). The built CLI, offline: test/commands/demo.test.ts.
 */
import t from 'tap'
import { existsSync, statSync } from 'node:fs'
import { main } from '../../lib/cli.js'
import type { Deps } from '../../lib/deps.js'
import type { Emulator } from '../../lib/emulator/types.js'
import type { StsApi } from '../../lib/sts.js'
import { fakeDeps } from '../helpers/deps.js'

process.env.AWS_EC2_METADATA_DISABLED = 'true'
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

t.test('demo: the whole flow with its files, server and STS calls through Deps, all removed at the end', async (t) => {
  const base = fakeDeps({ env: { HOME: '/nonexistent' } })
  const dirs: string[] = []
  const removed: string[] = []
  const written: Array<{ path: string; mode: number }> = []
  const emulators: Emulator[] = []
  const calls: string[] = []
  const sts = await base.loadSts()
  const counting: StsApi = {
    assumeRole: (request) => (calls.push('AssumeRole'), sts.assumeRole(request)),
    getSessionToken: (request) => (calls.push(`GetSessionToken${request.serialNumber === undefined ? '' : ' with MFA'}`), sts.getSessionToken(request)),
    getCallerIdentity: (request) => (calls.push('GetCallerIdentity'), sts.getCallerIdentity(request)),
  }
  const deps: Deps = {
    ...base,
    makeTempDir: async (prefix) => {
      const dir = await base.makeTempDir(prefix)
      dirs.push(dir)
      return dir
    },
    writePrivateFile: async (path, text) => {
      await base.writePrivateFile(path, text)
      written.push({ path, mode: statSync(path).mode & 0o777 })
    },
    removeDir: async (path) => {
      removed.push(path)
      await base.removeDir(path)
    },
    startEmulator: async (options) => {
      const emulator = await base.startEmulator(options)
      emulators.push(emulator)
      return emulator
    },
    loadSts: async () => counting,
  }
  t.equal(await main(['demo'], deps), 0, base.out.stderr)
  t.equal(base.out.stderr, '', 'nothing on stderr: the demo is its output')
  const stdout = base.out.stdout
  t.match(stdout, /^1\. The MFA device shows \d{6}\.$/m)
  t.match(stdout, /^   arn:aws:sts::123456789034:assumed-role\/ServerworksRolePU\/awsmfa-alice$/m, 'the session works')
  t.match(stdout, /^   aws_session_token = IQoJ…\(\d+ characters, hidden here\)$/m, 'the GetSessionToken credentials, masked')
  t.match(stdout, /\(exit status 2; refused before any call to STS, so no MFA code was spent\)/)
  t.match(stdout, /^   me: user alice in 123456789012 \(MFA session, no role\) until \d\d:\d\d \(12h00m\)$/m)

  t.equal(dirs.length, 1, 'one temp folder, made through Deps')
  t.match(dirs[0], /awsmfa-demo-/)
  t.same(written.map((file) => file.path), [`${dirs[0]}/config`, `${dirs[0]}/credentials`], 'its two files, written through Deps')
  t.same(written.map((file) => file.mode), [0o600, 0o600], 'readable by their owner only')
  t.same(removed, dirs, 'removed through Deps')
  t.notOk(existsSync(dirs[0] ?? ''), 'and gone')
  t.equal(emulators.length, 1, 'the emulator was started through Deps')
  t.same(calls, ['GetSessionToken', 'AssumeRole', 'GetCallerIdentity', 'GetSessionToken with MFA'], 'every STS call through deps.loadSts, the first one without MFA')
  const [emulator] = emulators
  await t.rejects(fetch(`${emulator?.url ?? 'http://127.0.0.1:1'}/`), 'the emulator is closed at the end')
})
