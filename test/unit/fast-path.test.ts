/**
 * The env fast path (lib/fast-path.ts) parses argv without yargs; it must agree with yargs on
 * every command line it accepts, and decline the rest. scripts/fast-path-parity.mjs bundles both
 * with envCommand stubbed and compares the options each hands over.
 */
import t from 'tap'
import { execa } from 'execa'
import { ROOT } from '../helpers/world.js'
import { parseEnvArgs, parseStartupArgs } from '../../lib/fast-path.js'

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

t.test("install.sh's questions: one --print-… after a shell name; anything else is yargs'", async (t) => {
  t.same(parseStartupArgs(['init', 'pwsh', '--print-rc-line']), { shell: 'pwsh', query: { print: 'rc-line' } })
  t.same(parseStartupArgs(['init', 'bash', '--print-path-line', '/a b']), { shell: 'bash', query: { print: 'path-line', dir: '/a b' } })
  t.same(parseStartupArgs(['init', 'fish', '--print-path-line=/a=b']), { shell: 'fish', query: { print: 'path-line', dir: '/a=b' } })
  for (const argv of [
    ['init', 'bash'],
    ['init', 'bash', '--print-rc-line', '--print-rc-file'],
    ['init', 'bash', '--print-path-line'],
    ['init', 'bash', '--print-path-line', '-x'],
    ['init', 'tcsh', '--print-program'],
    ['install-shells'],
  ]) {
    t.equal(parseStartupArgs(argv), undefined, argv.join(' '))
  }
})
