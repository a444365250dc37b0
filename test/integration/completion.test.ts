/**
 * Completion without Node: the one awk program (the same text in all three shells' files) lists
 * exactly the target profiles the AWS SDK's own INI loader sees, checked against the SDK on fixed
 * and on random config files; the bash completion function answers each position; zsh and fish
 * describe profiles by account and role; nothing but awk is needed on PATH.
 */
import t from 'tap'
import { execa } from 'execa'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadSharedConfigFiles } from '@smithy/core/config'
import { requireShell } from '../helpers/shells.js'
import { FILES, ROOT, shQuote, shipped, tempDir } from './common.js'

/** The awk program inside a completion file (between `awk '` and the closing `'`), unindented. */
function awkProgram(text: string): string {
  const match = /awk '\n([\s\S]*?)' "?\$/.exec(text)
  if (match === null) throw new Error('no awk program found')
  return match[1]!.split('\n').map((line) => line.trim()).join('\n')
}

t.test('bash, zsh and fish carry the same awk program', async (t) => {
  const bash = awkProgram(shipped(FILES.bash.completion))
  t.equal(awkProgram(shipped(FILES.zsh.completion)), bash, 'zsh = bash')
  t.equal(awkProgram(shipped(FILES.fish.completion)), bash, 'fish = bash')
  t.notMatch(bash, /'/, 'no single quote inside (it is a single-quoted shell word)')
  for (const file of [FILES.bash.completion, FILES.zsh.completion, FILES.fish.completion, FILES.powershell.completion]) {
    t.notMatch(shipped(file), /\bnode\b|\bawsmfa (list|env)\b|command awsmfa/, `${file} never runs Node or the CLI`)
  }
})

/** What the SDK sees: target profiles (role_arn set) of a config file, with `account role`. */
async function sdkTargets(path: string): Promise<string[]> {
  const { configFile } = await loadSharedConfigFiles({ configFilepath: path, filepath: '/nonexistent/credentials', ignoreCache: true })
  const out: string[] = []
  for (const [name, settings] of Object.entries(configFile)) {
    const arn = settings.role_arn
    if (!arn) continue
    // Only profiles: the SDK also returns sso-session.X and services.X sections.
    if (/^(sso-session|services)\./.test(name)) continue
    const parts = arn.split(':')
    const role = parts.slice(5).join(':').split('/').pop() ?? ''
    out.push(`${name}\t${parts[4] ?? ''} ${role}`)
  }
  return out.sort()
}

/** What the bash completion's awk sees, in the fish format (name<TAB>account role). */
async function awkTargets(bash: string, path: string): Promise<string[]> {
  const result = await execa(bash, ['--norc', '--noprofile', '-c', `source ${shQuote(join(ROOT, FILES.bash.completion))}; __awsmfa_profiles '' fish`], {
    env: { AWS_CONFIG_FILE: path, PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent' },
    extendEnv: false,
  })
  return result.stdout.split('\n').filter((l) => l !== '').sort()
}

const TRICKY = `# comment
[default]
region = us-east-2
role_arn = arn:aws:iam::111111111111:role/Default

[profile prod]
role_arn = arn:aws:iam::123456789034:role/path/to/ServerworksRolePU ; trailing comment
source_profile = alice
mfa_serial = arn:aws:iam::123456789012:mfa/alice

[profile "quoted.one"]
role_arn=arn:aws:iam::123456789034:role/Quoted
[profile 'single']
role_arn = arn:aws:iam::123456789034:role/Single
[profile "mismatched']
role_arn = arn:aws:iam::1:role/No
[profile  twospaces]
role_arn = arn:aws:iam::1:role/No
[profile\ttab]
role_arn = arn:aws:iam::123456789034:role/Tab
[profile a:b/c@d+e%f.g]
role_arn = arn:aws:iam::222222222222:role/Odd
[profile nested]
s3 =
  role_arn = arn:aws:iam::1:role/NestedOnly
[profile nested-then-top]
s3 =
  max_concurrent_requests = 10
role_arn = arn:aws:iam::333333333333:role/AfterNested
[profile alice]
aws_access_key_id = AKIAEXAMPLE
[profile commented]
# role_arn = arn:aws:iam::1:role/No
;role_arn = arn:aws:iam::1:role/No
[profile hashvalue]
role_arn = #arn
[profile glued]
role_arn = arn:aws:iam::444444444444:role/Glued#notacomment
[sso-session corp]
role_arn = arn:aws:iam::1:role/No
[services dev]
role_arn = arn:aws:iam::1:role/No
[plain]
role_arn = arn:aws:iam::1:role/No
[profile crlf]\r
role_arn = arn:aws:iam::555555555555:role/Crlf\r
[profile later]
region = eu-west-1
[profile later]
role_arn = arn:aws:iam::666666666666:role/Later
[profile empty]
role_arn =
[ profile spaced ]
role_arn = arn:aws:iam::777777777777:role/Spaced
`

t.test('awk sees the target profiles the SDK sees: a file of edge cases', async (t) => {
  const bash = await requireShell(t, 'bash')
  const dir = tempDir(t, 'awsmfa-complete-')
  const path = join(dir, 'config')
  writeFileSync(path, TRICKY)
  const sdk = await sdkTargets(path)
  t.same(await awkTargets(bash, path), sdk)
  t.ok(sdk.includes('prod\t123456789034 ServerworksRolePU'), 'sanity: prod is a target')
  t.ok(sdk.includes('default\t111111111111 Default'), '[default] counts')
  t.notOk(sdk.some((l) => l.startsWith('alice\t')), 'the IAM user profile is not a target')
})

/** A small seeded PRNG, so a failure names a config that can be rebuilt. */
function prng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let x = s
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

const NAMES = ['prod', 'dev', 'a.b', 'x:y', 'p/q', 'default', 'team-1', 'u@v', 'n+m', 'pc%t']
const HEADERS = [
  (n: string) => `[profile ${n}]`, (n: string) => `[profile ${n}]`, (n: string) => `[profile "${n}"]`, (n: string) => `[profile '${n}']`,
  (n: string) => `[profile  ${n}]`, (n: string) => `[profile\t${n}]`, (n: string) => `  [profile ${n}]  `, (n: string) => `[profile ${n}] # c`,
  (n: string) => `[profile ${n}];c`, (n: string) => `[${n}]`, () => '[default]', (n: string) => `[sso-session ${n}]`, (n: string) => `[profile ${n} x]`,
  (n: string) => `[profile ${n}`,
]
const LINES = [
  (a: string) => `role_arn = ${a}`, (a: string) => `role_arn=${a}`, (a: string) => `  role_arn = ${a}`, (a: string) => `role_arn\t=\t${a} ; c`,
  (a: string) => `role_arn = ${a};x`, (a: string) => `role_arn = ${a} #x`, () => 'role_arn =', () => 'role_arn = ;x', (a: string) => `# role_arn = ${a}`,
  (a: string) => `; role_arn = ${a}`, () => 's3 =', () => '  max_concurrent_requests = 20', () => 'region = eu-west-1', () => '  region = x',
  () => 'source_profile = base', () => 'garbage line', () => '=x', () => '', (a: string) => `ROLE_ARN = ${a}`, (a: string) => `role_arn2 = ${a}`,
  (a: string) => `role_arn = ${a}\r`, () => 'nested = ; comment',
]

t.test('awk sees the target profiles the SDK sees: 150 random config files', async (t) => {
  const bash = await requireShell(t, 'bash')
  const dir = tempDir(t, 'awsmfa-fuzz-')
  let mismatches = 0
  for (let seed = 1; seed <= 150; seed++) {
    const random = prng(seed)
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
    const lines: string[] = []
    const sections = 1 + Math.floor(random() * 8)
    for (let s = 0; s < sections; s++) {
      lines.push(pick(HEADERS)(pick(NAMES)))
      const count = Math.floor(random() * 6)
      for (let l = 0; l < count; l++) {
        const account = String(100000000000 + Math.floor(random() * 1e9))
        lines.push(pick(LINES)(`arn:aws:iam::${account}:role/R${Math.floor(random() * 100)}`))
      }
    }
    const path = join(dir, `config-${seed}`)
    writeFileSync(path, lines.join(random() < 0.2 ? '\r\n' : '\n'))
    const [sdk, awk] = [await sdkTargets(path), await awkTargets(bash, path)]
    if (JSON.stringify(sdk) !== JSON.stringify(awk)) {
      mismatches++
      t.same(awk, sdk, `seed ${seed}:\n${lines.join('\n')}`)
    }
  }
  t.equal(mismatches, 0, 'no config file where awk and the SDK disagree')
})

interface Case {
  line: string
  expect: string[]
}

const WORLD_CONFIG = `[default]
region = us-east-2

[profile prod]
role_arn = arn:aws:iam::123456789034:role/ServerworksRolePU
source_profile = alice

[profile prod-eu]
role_arn = arn:aws:iam::123456789035:role/Admin

[profile readonly]
role_arn = arn:aws:iam::123456789034:role/ReadOnly

[profile team:ops]
role_arn = arn:aws:iam::123456789036:role/Ops

[profile alice]
region = eu-central-1
`

const CASES: Case[] = [
  { line: 'awsmfa ', expect: ['use', 'clear', 'env', 'exec', 'list', 'doctor', 'status', 'init', 'demo'] },
  { line: 'awsmfa e', expect: ['env', 'exec'] },
  { line: 'awsmfa -', expect: ['--help', '-h', '--version', '-V'] },
  { line: 'awsmfa use ', expect: ['prod', 'prod-eu', 'readonly', 'team:ops'] },
  { line: 'awsmfa use pr', expect: ['prod', 'prod-eu'] },
  { line: 'awsmfa use prod ', expect: [] },
  { line: 'awsmfa use team:', expect: ['ops'] },
  { line: 'awsmfa env -t 123456 --region eu-west-1 r', expect: ['readonly'] },
  { line: 'awsmfa exec ', expect: ['prod', 'prod-eu', 'readonly', 'team:ops'] },
  { line: 'awsmfa doctor re', expect: ['readonly'] },
  { line: 'awsmfa list ', expect: [] },
  { line: 'awsmfa status --', expect: ['--verify', '--json', '--help'] },
  { line: 'awsmfa env --shell ', expect: ['bash', 'zsh', 'sh', 'fish', 'powershell', 'pwsh'] },
  { line: 'awsmfa env --shell=f', expect: ['fish'] },
  { line: 'awsmfa env prod --j', expect: ['--json'] },
  { line: 'awsmfa use prod --d', expect: ['--duration'] },
  { line: 'awsmfa use prod -d ', expect: ['12h', '8h', '4h', '1h', '45m', '15m'] },
  { line: 'awsmfa use prod -t ', expect: [] },
  { line: 'awsmfa init ', expect: ['bash', 'zsh', 'fish', 'powershell'] },
  { line: 'awsmfa init bash ', expect: [] },
  { line: 'awsmfa exec prod -- printf', expect: ['printf'] },
]

t.test('bash: the completion function at each position, with only awk on PATH (no Node)', async (t) => {
  const bash = await requireShell(t, 'bash')
  const awk = await requireShell(t, 'awk')
  const dir = tempDir(t, 'awsmfa-bashcomp-')
  const bin = join(dir, 'bin')
  mkdirSync(bin)
  symlinkSync(awk, join(bin, 'awk'))
  writeFileSync(join(dir, 'config'), WORLD_CONFIG)
  const script = [
    `source ${shQuote(join(ROOT, FILES.bash.completion))}`,
    `COMP_WORDBREAKS=$' \\t\\n"\\'><=;|&(:'`,
    'for line in "$@"; do COMP_LINE=$line; COMP_POINT=${#line}; read -r -a COMP_WORDS <<<"$line"; [[ $line == *" " ]] && COMP_WORDS+=(""); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _awsmfa_complete; printf "%s|" "${COMPREPLY[@]}"; echo; done',
  ].join('\n')
  const result = await execa(bash, ['--norc', '--noprofile', '-c', script, 'bash', ...CASES.map((c) => c.line)], {
    env: { PATH: bin, HOME: dir, AWS_CONFIG_FILE: join(dir, 'config') },
    extendEnv: false,
    reject: false,
  })
  t.equal(result.stderr, '', 'nothing but awk was looked up, and nothing failed')
  const lines = result.stdout.split('\n')
  CASES.forEach((c, i) => {
    const got = (lines[i] ?? '').split('|').filter((w) => w !== '')
    t.same(c.line.endsWith('printf') ? got.slice(0, 1) : got, c.expect, JSON.stringify(c.line))
  })
})

t.test('bash: the completion honours AWS_CONFIG_FILE, ~/.aws/config, and a missing file', async (t) => {
  const bash = await requireShell(t, 'bash')
  const home = tempDir(t, 'awsmfa-home-')
  mkdirSync(join(home, '.aws'))
  writeFileSync(join(home, '.aws', 'config'), '[profile fromhome]\nrole_arn = arn:aws:iam::1:role/H\n')
  writeFileSync(join(home, 'other'), '[profile fromenv]\nrole_arn = arn:aws:iam::1:role/E\n')
  const run = async (env: Record<string, string>): Promise<string> =>
    (await execa(bash, ['--norc', '--noprofile', '-c', `set -u; source ${shQuote(join(ROOT, FILES.bash.completion))}; __awsmfa_profiles ''`], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...env },
      extendEnv: false,
    })).stdout
  t.equal(await run({}), 'fromhome')
  t.equal(await run({ AWS_CONFIG_FILE: join(home, 'other') }), 'fromenv')
  t.equal(await run({ AWS_CONFIG_FILE: '~/other' }), 'fromenv', '~/ means HOME, as in the SDK')
  t.equal(await run({ AWS_CONFIG_FILE: join(home, 'missing') }), '', 'a missing file: no profiles, no error')
  t.equal(await run({ AWS_CONFIG_FILE: home }), '', 'a directory: no profiles, no error')
})

t.test('zsh and fish describe each profile by account and role', async (t) => {
  const zsh = await requireShell(t, 'zsh')
  const fish = await requireShell(t, 'fish')
  const dir = tempDir(t, 'awsmfa-describe-')
  writeFileSync(join(dir, 'config'), WORLD_CONFIG)
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, AWS_CONFIG_FILE: join(dir, 'config') }
  const z = await execa(zsh, ['-f', '-c', `source ${shQuote(join(ROOT, FILES.zsh.completion))}; __awsmfa_profile_list`], { env, extendEnv: false })
  t.equal(z.stdout, [
    'prod:123456789034 ServerworksRolePU',
    'prod-eu:123456789035 Admin',
    'readonly:123456789034 ReadOnly',
    'team\\:ops:123456789036 Ops',
  ].join('\n'), 'zsh: _describe format, `:` escaped in names')
  const f = await execa(fish, ['--no-config', '-c', `source ${shQuote(join(ROOT, FILES.fish.completion))}; complete -C 'awsmfa use '`], { env, extendEnv: false })
  t.equal(f.stdout.split('\n').sort().join('\n'), [
    'prod\t123456789034 ServerworksRolePU',
    'prod-eu\t123456789035 Admin',
    'readonly\t123456789034 ReadOnly',
    'team:ops\t123456789036 Ops',
  ].join('\n'), 'fish: name<TAB>description, target profiles only')
  const fOpts = await execa(fish, ['--no-config', '-c', `source ${shQuote(join(ROOT, FILES.fish.completion))}; complete -C 'awsmfa env --shell '; complete -C 'awsmfa use prod '; echo end`], { env, extendEnv: false })
  t.match(fOpts.stdout, /^bash\t/m, 'fish: --shell values')
  t.notMatch(fOpts.stdout, /^readonly/m, 'fish: no second profile')
})
