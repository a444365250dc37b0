// hostile: HOSTILE_KEYS — shell-hostile secrets and tokens that the SDK must decode byte-exact.
import t from 'tap'
import { AssumeRoleCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts'
import { HOSTILE_KEYS, HOSTILE_SECRET, HOSTILE_TOKEN } from '../helpers/hostile-keys.js'
import { escapeXml } from '../../lib/emulator/xml.js'
import { PU_ROLE, alice, client, emulator, presignedUrl } from './fixtures/helpers.js'

t.test('AssumeRole: the SDK decodes the hostile secret and token byte-exact', async (t) => {
  const emu = await emulator(t, { hostile: HOSTILE_KEYS })
  const { sts } = client(emu, undefined, { maxAttempts: 1 })
  const out = await sts.send(new AssumeRoleCommand({
    RoleArn: PU_ROLE, RoleSessionName: 'hostile', SerialNumber: alice.mfaSerial, TokenCode: emu.totp(alice.mfaSerial), DurationSeconds: 43200,
  }))
  t.match(out.Credentials?.AccessKeyId, /^ASIA[A-Z2-7]{16}$/, 'the key id stays well-formed')
  t.equal(out.Credentials?.SecretAccessKey, HOSTILE_SECRET)
  t.equal(out.Credentials?.SessionToken, HOSTILE_TOKEN)
  t.same(Buffer.from(out.Credentials?.SecretAccessKey ?? ''), Buffer.from(HOSTILE_SECRET), 'same UTF-8 bytes')
  t.equal(emu.issued[0]?.secretAccessKey, HOSTILE_SECRET)
  t.equal(emu.issued[0]?.sessionToken, HOSTILE_TOKEN)
})

t.test('GetSessionToken: the same through the chained path', async (t) => {
  const emu = await emulator(t, { hostile: HOSTILE_KEYS })
  const out = await client(emu, undefined, { maxAttempts: 1 }).sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }))
  t.equal(out.Credentials?.SecretAccessKey, HOSTILE_SECRET)
  t.equal(out.Credentials?.SessionToken, HOSTILE_TOKEN)
})

t.test('on the wire: escaped XML, references for control characters, raw UTF-8', async (t) => {
  const emu = await emulator(t, { hostile: HOSTILE_KEYS })
  const res = await fetch(await presignedUrl(emu, { Action: 'GetSessionToken', Version: '2011-06-15', DurationSeconds: '900' }))
  const xml = await res.text()
  t.equal(res.status, 200)
  t.ok(xml.includes(`<SecretAccessKey>${escapeXml(HOSTILE_SECRET)}</SecretAccessKey>`))
  t.ok(xml.includes(`<SessionToken>${escapeXml(HOSTILE_TOKEN)}</SessionToken>`))
  t.match(xml, '&#10;', 'the newline travels as a character reference')
  t.match(xml, '‘quoted’', 'typographic quotes raw')
  for (const tag of ['SecretAccessKey', 'SessionToken']) {
    const inner = xml.split(`<${tag}>`)[1]?.split(`</${tag}>`)[0] ?? ''
    t.notMatch(inner, /[<>"'\n]/, `${tag}: no raw markup, quote or newline inside the element`)
  }
})
