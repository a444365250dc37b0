/**
 * Test data stays out of what ships: `awsmfa demo` bundles the STS emulator into dist/, and the
 * shell-hostile secret the tests hand it (test/helpers/hostile-keys.ts) must not come along.
 * Reads the dist/ that `npm run build` wrote, as every test that drives the CLI does.
 */
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from '../helpers/world.js'
import { HOSTILE_MARKER, HOSTILE_SECRET } from '../helpers/hostile-keys.js'

const DIST = join(ROOT, 'dist')
const bundled = readdirSync(DIST, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.mjs'))
  .map((name) => ({ name, text: readFileSync(join(DIST, name), 'utf8') }))

t.test('the marker names the hostile secret', async (t) => {
  t.ok(HOSTILE_SECRET.startsWith(HOSTILE_MARKER), 'so finding the marker means finding the test data')
})

t.test('the scan reads the bundle and the chunk holding the emulator', async (t) => {
  t.ok(bundled.some((f) => f.name === 'awsmfa.mjs'), 'dist/awsmfa.mjs')
  // The emulator's federation sign-in page: only the emulator's chunk carries it.
  t.ok(bundled.some((f) => f.text.includes('signed-in')), 'the emulator is bundled (for awsmfa demo) and scanned')
})

t.test('no file in dist/ holds the hostile test data', async (t) => {
  t.same(bundled.filter((f) => f.text.includes(HOSTILE_MARKER) || f.text.includes('touch CANARY')).map((f) => f.name), [])
})
