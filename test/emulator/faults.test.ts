// Injected faults seen through the real SDK, with its default retry where that is the point.
import t from 'tap'
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import { PU_ROLE, alice, client, emulator, isSdkError, rejectsWith } from './fixtures/helpers.js'

const assume = (code: string, name = 'faults'): AssumeRoleCommand =>
  new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: name, SerialNumber: alice.mfaSerial, TokenCode: code, DurationSeconds: 43200 })

t.test('throttled once: the default retry re-sends the same code and it is accepted', async (t) => {
  const emu = await emulator(t)
  const { sts, seen } = client(emu)
  const code = emu.totp(alice.mfaSerial)
  emu.inject('throttle')
  const out = await sts.send(assume(code))
  t.equal(out.$metadata.attempts, 2)
  t.match(out.Credentials?.AccessKeyId, /^ASIA/)
  t.same(seen.map((s) => s.status), [400, 200])
  t.same(emu.requests.map((r) => [r.action, r.params.TokenCode, r.status, r.errorCode]),
    [['AssumeRole', code, 400, 'Throttling'], ['AssumeRole', code, 200, undefined]])
})

t.test('throttled past the retries: the code is still unused afterwards', async (t) => {
  const emu = await emulator(t)
  const { sts, seen } = client(emu)
  const code = emu.totp(alice.mfaSerial)
  emu.inject('throttle', 3)
  const err = await rejectsWith(t, sts.send(assume(code)), seen, { name: 'Throttling', status: 400, message: 'Rate exceeded' })
  t.equal(err.$metadata.attempts, 3, 'SDK default: 3 attempts')
  const out = await sts.send(assume(code))
  t.equal(out.$metadata.attempts, 1)
  t.equal(emu.issued.length, 1)
})

t.test('http500', async (t) => {
  const emu = await emulator(t)
  const once = client(emu, undefined, { maxAttempts: 1 })
  emu.inject('http500')
  const err = await rejectsWith(t, once.sts.send(new GetCallerIdentityCommand({})), once.seen, {
    name: 'InternalFailure', status: 500,
    message: 'The request processing has failed because of an unknown error, exception or failure.',
  })
  t.equal(err.$fault, 'server', 'Type Receiver → a server fault')

  emu.inject('http500', 2)
  const retried = await client(emu).sts.send(assume(emu.totp(alice.mfaSerial)))
  t.equal(retried.$metadata.attempts, 3, 'inject(fault, 2) faults exactly two requests')
})

// SDK 3.1173 only warns when requestTimeout passes, unless throwOnRequestTimeout is set.
t.test('hang: a short requestTimeout gives up, a retry gets through', async (t) => {
  const emu = await emulator(t)
  emu.inject('hang')
  const { sts } = client(emu, undefined, { maxAttempts: 1, requestHandler: { requestTimeout: 500, throwOnRequestTimeout: true } })
  const started = Date.now()
  const err: unknown = await sts.send(new GetCallerIdentityCommand({})).then(() => undefined, (e: unknown) => e)
  t.ok(err instanceof Error, 'rejected')
  t.equal((err as Error).name, 'TimeoutError')
  t.ok(Date.now() - started < 3000, 'within the timeout, not hung')
  t.equal(emu.requests[0]?.status, 0, 'logged as never answered')

  emu.inject('hang')
  const code = emu.totp(alice.mfaSerial)
  const out = await client(emu, undefined, { requestHandler: { requestTimeout: 500, throwOnRequestTimeout: true } }).sts.send(assume(code))
  t.equal(out.$metadata.attempts, 2)
  t.equal(emu.requests.at(-2)?.params.TokenCode, code, 'the hung attempt carried the code, and did not spend it')
})

t.test('hang: an AbortSignal ends the call', async (t) => {
  const emu = await emulator(t)
  emu.inject('hang')
  const { sts } = client(emu, undefined, { maxAttempts: 1 })
  const err: unknown = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: AbortSignal.timeout(300) }).then(() => undefined, (e: unknown) => e)
  t.ok(err instanceof Error)
  t.equal((err as Error).name, 'AbortError')
})

t.test('close() ends hung connections', async (t) => {
  const emu = await emulator(t)
  emu.inject('hang')
  const pending = fetch(emu.url, { method: 'POST', body: 'Action=GetCallerIdentity&Version=2011-06-15' }).then(() => 'answered', () => 'ended')
  while (emu.requests.length === 0) await new Promise((r) => setTimeout(r, 10))
  const started = Date.now()
  await emu.close()
  t.ok(Date.now() - started < 2000, 'close() did not wait for the hung request')
  t.equal(await pending, 'ended')
})

t.test('malformed: a 200 with truncated XML is an error, not credentials', async (t) => {
  const emu = await emulator(t)
  const { sts, seen } = client(emu, undefined, { maxAttempts: 1 })
  const code = emu.totp(alice.mfaSerial)
  emu.inject('malformed')
  const err: unknown = await sts.send(assume(code)).then(() => undefined, (e: unknown) => e)
  t.ok(err instanceof Error, 'rejected')
  t.notOk(isSdkError(err) && err.name === 'AccessDenied')
  t.same(seen.map((s) => s.status), [200])
  t.equal(emu.issued.length, 0)
  const out = await sts.send(assume(code))
  t.match(out.Credentials?.AccessKeyId, /^ASIA/, 'the code was not spent by the malformed answer')
})

t.test('expired-session', async (t) => {
  const emu = await emulator(t)
  const { sts, seen } = client(emu, undefined, { maxAttempts: 1 })
  emu.inject('expired-session')
  await rejectsWith(t, sts.send(new GetCallerIdentityCommand({})), seen,
    { name: 'ExpiredToken', status: 403, message: 'The security token included in the request is expired' })
  t.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, '123456789012', 'only the next request')
})
