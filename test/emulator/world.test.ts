// The demo world's shapes, and XML escaping that every client decodes back byte-exact.
import t from 'tap'
import { demoWorld } from '../../lib/emulator/index.js'
import { HOSTILE_SECRET, HOSTILE_TOKEN } from '../helpers/hostile-keys.js'
import { escapeXml, errorBody } from '../../lib/emulator/xml.js'

t.test('demoWorld: alice, her MFA device, and two roles in another account', async (t) => {
  const { users, roles } = demoWorld()
  t.equal(users.length, 1)
  const alice = users[0]
  t.equal(alice?.userName, 'alice')
  t.equal(alice?.accountId, '123456789012')
  t.match(alice?.accessKeyId, /^AKIA[A-Z0-9]{16}$/)
  t.equal(alice?.secretAccessKey.length, 40)
  t.equal(alice?.mfaSerial, 'arn:aws:iam::123456789012:mfa/alice')
  t.match(alice?.mfaSecret, /^[A-Z2-7]{16,}$/)
  t.same(roles, [
    { arn: 'arn:aws:iam::123456789034:role/ServerworksRolePU', maxSessionDuration: 43200, trustedPrincipals: ['arn:aws:iam::123456789012:user/alice'], requireMfa: true },
    { arn: 'arn:aws:iam::123456789034:role/ReadOnly', maxSessionDuration: 3600, trustedPrincipals: ['arn:aws:iam::123456789012:root'], requireMfa: true },
  ])
  t.same(demoWorld(), demoWorld(), 'fixed, so docs and demos can quote it')
})

t.test('hostile strings carry every ingredient the brief names', async (t) => {
  for (const value of [HOSTILE_SECRET, HOSTILE_TOKEN]) {
    for (const part of ['$(touch CANARY)', '`', "'", '"', '\\', ';', '&', '|', '<', '>', '\n', '%', "'\\''", '‘', '’']) {
      t.ok(value.includes(part), `${JSON.stringify(part)} in ${JSON.stringify(value.slice(0, 12))}…`)
    }
    t.match(value, /[^\x00-\x7f]/, 'non-ASCII')
    t.notOk(value.includes('\0'), 'no NUL: no shell can hold one')
  }
})

t.test('escapeXml', async (t) => {
  t.equal(escapeXml(`a&b<c>d"e'f`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f')
  t.equal(escapeXml('x\ny\rz\t'), 'x&#10;y&#13;z&#9;', 'control characters as references: a raw CR would become LF')
  t.equal(escapeXml('café ☃ 🔐 ‘’'), 'café ☃ 🔐 ‘’', 'non-ASCII stays raw UTF-8')
})

t.test('error body shape', async (t) => {
  t.equal(errorBody(400, 'Throttling', 'Rate exceeded', 'id-1'),
    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n' +
    '  <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>\n' +
    '  <RequestId>id-1</RequestId>\n</ErrorResponse>\n')
  t.match(errorBody(500, 'InternalFailure', 'x', 'id'), '<Type>Receiver</Type>')
})
