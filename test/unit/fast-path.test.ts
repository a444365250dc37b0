/**
 * The env fast path (lib/fast-path.ts) parses argv without yargs; it must agree with yargs on
 * every command line it accepts, and decline the rest. scripts/fast-path-parity.mjs bundles both
 * with envCommand stubbed and compares the options each hands over.
 */
import t from 'tap'
import { execa } from 'execa'
import { ROOT } from '../helpers/world.js'
import { parseEnvArgs } from '../../lib/fast-path.js'

t.test('the fast path and yargs agree on every listed command line', async (t) => {
  const result = await execa(process.execPath, ['scripts/fast-path-parity.mjs'], { cwd: ROOT, reject: false })
  t.equal(result.exitCode, 0, `${result.stdout}\n${result.stderr}`)
})

t.test('anything unusual is left to yargs', async (t) => {
  t.same(parseEnvArgs(['env', 'prod', '-t', '123456', '--shell=fish']), { profile: 'prod', tokenCode: '123456', shell: 'fish' })
  for (const argv of [
    ['env', 'prod', '--unknown'],
    ['env', 'prod', 'extra'],
    ['env', 'prod', '--help'],
    ['env', 'prod', '-t'],
    ['env', 'prod', '-t', '1', '-t', '2'],
    ['env'],
    ['exec', 'prod'],
  ]) {
    t.equal(parseEnvArgs(argv), undefined, argv.join(' '))
  }
})
