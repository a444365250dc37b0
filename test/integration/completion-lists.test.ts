/**
 * The completion scripts offer exactly the command line yargs takes: every command `awsmfa --help`
 * lists, every option each `awsmfa CMD --help` lists (a boolean on by default as --no-NAME), the
 * choices of a positional (hidden ones left out), and nothing else. yargs' side is read from the
 * built CLI's help; the scripts' side from the shipped bash and fish files themselves (their
 * generated functions and `complete` lines) and from the lists every writer is given.
 */
import t from 'tap'
import { execa } from 'execa'
import { join } from 'node:path'
import { COMMANDS } from '../../lib/command-line.js'
import { completionLists, valueOptions } from '../../lib/shells/completion/lists.js'
import { requireRow, shellRow } from '../helpers/shell-table.js'
import { CLI, FILES, ROOT, shQuote } from './common.js'

interface HelpOption {
  readonly spellings: string[]
  readonly type: 'string' | 'boolean' | 'other'
}

async function help(args: string[]): Promise<string> {
  const result = await execa(process.execPath, [CLI, ...args, '--help'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent', NO_COLOR: '1' }, extendEnv: false })
  return String(result.stdout)
}

/** The options of one --help text (hidden ones are not in it), with the type yargs shows. */
function helpOptions(text: string): HelpOption[] {
  const section = /\nOptions:\n([\s\S]*?)(?:\n\n|$)/.exec(text)?.[1] ?? ''
  const options: HelpOption[] = []
  for (const line of section.split('\n')) {
    const entry = /^ {2}(?:(-\w), )?(--[\w-]+)|^ {6}(--[\w-]+)/.exec(line)
    if (entry !== null) options.push({ spellings: [entry[2] ?? entry[3] ?? '', ...(entry[1] === undefined ? [] : [entry[1]])], type: 'other' })
    const type = /\[(string|boolean)\]/.exec(line)?.[1]
    const last = options.at(-1)
    if (type !== undefined && last !== undefined && last.type === 'other') options[options.length - 1] = { ...last, type: type as 'string' | 'boolean' }
  }
  return options
}

/** What completion must offer for a yargs option: its spellings, or only --no-NAME for a boolean on by default. */
function offered(command: string, option: HelpOption): string[] {
  const name = (option.spellings[0] ?? '').slice(2)
  return COMMANDS.find((c) => c.name === command)?.options[name]?.negated === true ? [`--no-${name}`] : option.spellings
}

const sorted = (words: readonly string[]): string[] => [...words].sort()

t.test('the generated lists hold every command and option yargs takes, and nothing else', async (t) => {
  const top = await help([])
  const commands = [...top.matchAll(/^ {2}awsmfa (\S+)/gm)].map((m) => m[1] ?? '')
  const lists = completionLists()
  t.same(sorted(lists.commands.map((c) => c.name)), sorted(commands), 'the commands --help lists')
  t.same(sorted(lists.topOptions.flatMap((o) => o.spellings)), sorted(helpOptions(top).flatMap((o) => o.spellings)), 'before a command: --help, --version')
  const values = new Set(valueOptions(lists))
  for (const name of commands) {
    const text = await help([name])
    const yargs = helpOptions(text).filter((o) => !o.spellings.includes('--version'))
    const listed = lists.commands.find((c) => c.name === name)
    t.same(sorted(listed?.options.flatMap((o) => o.spellings) ?? []), sorted(yargs.flatMap((o) => offered(name, o))), `${name}: the options its --help lists`)
    for (const option of yargs) {
      for (const spelling of option.spellings) t.equal(values.has(spelling), option.type === 'string', `${name} ${spelling}: takes a value exactly when yargs says [string]`)
    }
    const choices = /\[choices: ([^\]]*)\]/.exec(text)?.[1]?.split(', ').map((c) => JSON.parse(c) as string)
    if (choices !== undefined && listed?.first !== undefined && 'words' in listed.first) {
      t.same(listed.first.every, choices, `${name}: the choices yargs accepts`)
      t.same(listed.first.words, choices.filter((c) => c !== 'serve'), `${name}: offered, all but the hidden serve`)
    }
  }
  t.ok(lists.commands.some((c) => c.name === 'agent' && c.first !== undefined && 'every' in c.first && c.first.every.includes('serve')), 'sanity: serve is a choice, only hidden')
})

t.test('the shipped bash and fish scripts offer those lists', async (t) => {
  const bash = requireRow(t, shellRow('bash'))
  if (bash === undefined) return
  const fish = requireRow(t, shellRow('fish'))
  if (fish === undefined) return
  const lists = completionLists()
  const names = lists.commands.map((c) => c.name)
  const script = [
    `source ${shQuote(join(ROOT, FILES.bash.completion))}`,
    'COMPREPLY=(); __awsmfa_reply_commands ""; printf "%s " "${COMPREPLY[@]}"; echo',
    'for c in "" "$@"; do COMPREPLY=(); __awsmfa_reply_options "" "$c"; printf "%s " "${COMPREPLY[@]}"; echo; done',
  ].join('\n')
  const out = (await execa(bash, ['--norc', '--noprofile', '-c', script, 'bash', ...names])).stdout.split('\n').map((l) => l.trim().split(' ').filter((w) => w !== ''))
  t.same(out[0], names, 'bash: the commands, in completion order')
  t.same(sorted(out[1] ?? []), sorted(lists.topOptions.flatMap((o) => o.spellings)), 'bash: before a command')
  lists.commands.forEach((c, i) => {
    t.same(sorted(out[i + 2] ?? []), sorted([...c.options.flatMap((o) => o.spellings), ...(c.commandLine ? ['--'] : [])]), `bash: ${c.name}'s options`)
  })
  for (const c of lists.commands) {
    const result = await execa(fish, ['--no-config', '-c', `source ${shQuote(join(ROOT, FILES.fish.completion))}; complete -C 'awsmfa ${c.name} -'`], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent' }, extendEnv: false })
    const seen = String(result.stdout).split('\n').filter((l) => l !== '').map((l) => l.split('\t')[0] ?? '')
    // fish offers a short option after `-` only; the long ones come with it.
    t.same(sorted(seen.filter((w) => w.startsWith('--'))), sorted(c.options.flatMap((o) => o.spellings).filter((s) => s.startsWith('--'))), `fish: ${c.name}'s options`)
  }
})
