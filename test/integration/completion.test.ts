/**
 * Completion without Node: the one awk program (lib/shells/completion/profiles.awk, spliced into
 * the three shells' files by npm run gen:completions, a test proving them current) lists
 * exactly the target profiles awsmfa itself sees — the config and credentials files read by the
 * AWS SDK's own INI loader and merged per key, the credentials file winning — checked against that
 * loader on fixed and on random pairs of files; the bash completion function answers each
 * position; zsh and fish describe profiles by account and role; nothing but awk is needed on PATH.
 */
import t from 'tap'
import { execa } from 'execa'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { isTargetProfile, targetKind, loadSharedConfig } from '../../lib/profiles.js'
import { printable } from '../../lib/text.js'
import { HEADER, PROFILES_AWK, beginLine, completionFiles, completionSources, endLine, renderCompletion } from '../../lib/shells/completion/generate.js'
import { INTEGRATED_SHELLS, SHELL_NAMES, shellByName } from '../../lib/shells/index.js'
import { pwshPath, requireShell } from '../helpers/shells.js'
import { requireRow, shellRow } from '../helpers/shell-table.js'
import { FILES, ROOT, shQuote, shipped, tempDir } from './common.js'
import { missing } from '../helpers/missing.js'

/** The awk program inside a completion file (between `awk '` and the closing `'`), each line trimmed. */
function awkProgram(text: string): string {
  const match = /awk '\n([\s\S]*?)\n\s*' /.exec(text)
  if (match === null) throw new Error('no awk program found')
  return match[1]!.split('\n').map((line) => line.trim()).join('\n')
}

t.test('the completion files are what npm run gen:completions makes of lib/shells/completion/', async (t) => {
  const profilesAwk = await readFile(join(ROOT, PROFILES_AWK), 'utf8')
  t.same(completionFiles(), Object.values(FILES).map((files) => files.completion), 'every completion file of the registry is rendered')
  for (const file of completionFiles()) {
    t.equal(renderCompletion(file, shipped(file), completionSources(file, profilesAwk)), shipped(file), `${file} is current (else: npm run gen:completions)`)
  }
  // bash, zsh and fish run the one INI reader: each awk program is profiles.awk between the region lines.
  const program = [beginLine(PROFILES_AWK), ...profilesAwk.trimEnd().split('\n'), endLine(PROFILES_AWK)].map((line) => line.trim()).join('\n')
  for (const file of [FILES.bash.completion, FILES.zsh.completion, FILES.fish.completion]) {
    t.equal(awkProgram(shipped(file)), program, `${file} runs lib/shells/completion/profiles.awk`)
    t.ok(shipped(file).split('\n').slice(0, 2).includes(HEADER), `${file} says near its top that parts are generated`)
  }
  t.notMatch(profilesAwk, /'/, 'no single quote inside (it is a single-quoted shell word)')
  // The check can fail: a changed source, or a hand edit inside a region, renders to other text.
  const bash = shipped(FILES.bash.completion)
  const sources = completionSources(FILES.bash.completion, profilesAwk)
  const changed = completionSources(FILES.bash.completion, profilesAwk.replace('role_arn mfa_serial', 'role_arn  mfa_serial'))
  t.not(renderCompletion(FILES.bash.completion, bash, changed), bash, 'an edit of profiles.awk makes the committed file stale')
  const edited = bash.replace('if (broken["config"]) cn = 0', 'if (broken["config"]) cn = 1')
  t.not(edited, bash, 'sanity: the hand edit changed the file')
  t.equal(renderCompletion(FILES.bash.completion, edited, sources), bash, 'a hand edit inside the region is undone by the generator')
  t.throws(() => renderCompletion('x', bash.replace(endLine(PROFILES_AWK, '    '), ''), sources), /no end line/, 'a region without its end line is an error')
  for (const file of Object.values(FILES).map((files) => files.completion)) {
    t.notMatch(shipped(file), /\bnode\b|\bawsmfa (list|env)\b|command awsmfa/, `${file} never runs Node or the CLI`)
  }
})

/**
 * What awsmfa itself sees (lib/profiles.ts: the SDK's INI loader, both files merged per key, the
 * credentials file winning): target profiles (role_arn set), with `account role`. Left out, as the
 * completion leaves them out: sso-session.X and services.X sections (not profiles), and names
 * that are not one word of letters, digits and _-@+.%:/ (a credentials section may be `[it's]`).
 */
async function sdkTargets(config: string, credentials: string): Promise<string[]> {
  const { profiles } = await loadSharedConfig({
    env: { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials },
    homedir: () => '/nonexistent',
    readFile: (path: string) => readFile(path),
  })
  const out: string[] = []
  for (const [name, settings] of profiles) {
    if (!isTargetProfile(settings)) continue
    if (/^(sso-session|services)\./.test(name) || !/^[\w@+.%:/-]+$/.test(name)) continue
    if (targetKind(settings) === 'user') {
      out.push(`${name}\t${(settings.mfa_serial ?? '').split(':')[4] ?? ''} (user session)`)
      continue
    }
    const arn = settings.role_arn ?? ''
    const parts = arn.split(':')
    const role = parts.slice(5).join(':').split('/').pop() ?? ''
    out.push(`${name}\t${printable(`${parts[4] ?? ''} ${role}`)}`)
  }
  return out.sort()
}

/** What the bash completion's awk sees, in the fish format (name<TAB>account role). */
async function awkTargets(bash: string, config: string, credentials: string): Promise<string[]> {
  const result = await execa(bash, ['--norc', '--noprofile', '-c', `source ${shQuote(join(ROOT, FILES.bash.completion))}; __awsmfa_profiles '' fish`], {
    env: { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent' },
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
[profile.dotted]
role_arn = arn:aws:iam::121212121212:role/Dotted
[profile credwins]
role_arn = arn:aws:iam::1:role/LosesToCredentials
source_profile = alice
[profile fromconfig]
role_arn = arn:aws:iam::131313131313:role/FromConfig
`

/** The credentials file next to TRICKY: plain [NAME] sections, merged per key with the config. */
const TRICKY_CREDENTIALS = `[alice]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = secret
[credonly]
role_arn = arn:aws:iam::888888888888:role/CredOnly ; comment
source_profile = alice
[credwins]
role_arn = arn:aws:iam::999999999999:role/FromCredentials
[fromconfig]
region = eu-west-1
[profile inprofile]
role_arn = arn:aws:iam::141414141414:role/ProfileDotName
[sso-session corp]
role_arn = arn:aws:iam::1:role/No
[it's]
role_arn = arn:aws:iam::1:role/NotOneWord
[two words]
role_arn = arn:aws:iam::1:role/UnknownPrefix
[nested-cred]
s3 =
  role_arn = arn:aws:iam::1:role/NestedOnly
[default]
mfa_serial = arn:aws:iam::123456789012:mfa/alice
`

t.test('awk sees the target profiles awsmfa and the SDK see: files of edge cases', async (t) => {
  const bash = requireRow(t, shellRow('bash'))
  if (bash === undefined) return
  const dir = tempDir(t, 'awsmfa-complete-')
  const write = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text)
    return join(dir, name)
  }
  const config = write('config', TRICKY)
  const credentials = write('credentials', TRICKY_CREDENTIALS)
  const sdk = await sdkTargets(config, credentials)
  t.same(await awkTargets(bash, config, credentials), sdk)
  t.ok(sdk.includes('prod\t123456789034 ServerworksRolePU'), 'sanity: prod is a target')
  t.ok(sdk.includes('default\t111111111111 Default'), '[default] counts')
  t.notOk(sdk.some((l) => l.startsWith('alice\t')), 'the IAM user profile is not a target')
  t.ok(sdk.includes('credonly\t888888888888 CredOnly'), 'a target only in the credentials file counts')
  t.ok(sdk.includes('credwins\t999999999999 FromCredentials'), 'the credentials file wins, key by key')
  t.ok(sdk.includes('fromconfig\t131313131313 FromConfig'), 'a role_arn in the config survives other keys in credentials')
  t.ok(sdk.includes('profile.inprofile\t141414141414 ProfileDotName'), '[profile x] in the credentials file is the profile profile.x')
  t.ok(sdk.includes('dotted\t121212121212 Dotted'), '[profile.x] in the config file is the profile x')

  t.same(await awkTargets(bash, config, join(dir, 'missing')), await sdkTargets(config, join(dir, 'missing')), 'config file only')
  t.same(await awkTargets(bash, join(dir, 'missing'), credentials), await sdkTargets(join(dir, 'missing'), credentials), 'credentials file only')
  t.same(await awkTargets(bash, credentials, credentials), await sdkTargets(credentials, credentials), 'one file as both')

  // Cases that hang on a whole section or a whole file.
  const pairs: Array<[string, string, string]> = [
    ['a user session: mfa_serial in the config, keys in the credentials file', '[profile me]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n', '[me]\naws_access_key_id = AKIAX\naws_secret_access_key = s\n'],
    ['a user session needs both keys', '[profile me]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\naws_access_key_id = AKIAX\n', ''],
    ['keys without mfa_serial are no target', '', '[alice]\naws_access_key_id = AKIAX\naws_secret_access_key = s\n'],
    ['[profile default] with any key replaces [default]', '[default]\nrole_arn = arn:aws:iam::1:role/D\n[profile default]\nregion = x\n', ''],
    ['[profile default] with only a nested key replaces it too', '[default]\nrole_arn = arn:aws:iam::1:role/D\n[profile default]\ns3 =\n  x = 1\n', ''],
    ['[profile default] with no key does not', '[default]\nrole_arn = arn:aws:iam::1:role/D\n[profile default]\n# nothing\n', ''],
    ['[profile default] after [default]', '[profile default]\nrole_arn = arn:aws:iam::2:role/P\n[default]\nrole_arn = arn:aws:iam::1:role/D\n', ''],
    ['a __proto__ section drops the config file', '[profile a]\nrole_arn = arn:aws:iam::1:role/A\n[__proto__]\n', '[b]\nrole_arn = arn:aws:iam::2:role/B\n'],
    ['a __proto__ section drops the credentials file', '[profile a]\nrole_arn = arn:aws:iam::1:role/A\n', '[b]\nrole_arn = arn:aws:iam::2:role/B\n[profile __proto__]\n[a]\nrole_arn = arn:aws:iam::3:role/C\n'],
    ['a byte order mark before the first section', '\ufeff[profile bom]\nrole_arn = arn:aws:iam::1:role/Bom\n', '\ufeff[credbom]\nrole_arn = arn:aws:iam::2:role/CredBom\n'],
    ['an unclosed [ line is a key line', '[profile a]\n[x =\n  role_arn = arn:aws:iam::1:role/Nested\n', ''],
    ['an empty section', '[]\nrole_arn = arn:aws:iam::1:role/E\n', '[]\nrole_arn = arn:aws:iam::1:role/E\n'],
    ['lines before the first section of the credentials file', '[profile a]\nregion = x\n', 'role_arn = arn:aws:iam::1:role/Stray\n[b]\nrole_arn = arn:aws:iam::2:role/B\n'],
    ['a byte order mark after blanks, and mid-file', '  \ufeff [profile a]\nrole_arn = arn:aws:iam::1:role/A\n\ufeff[profile b]\nrole_arn = arn:aws:iam::2:role/B\n', ''],
  ]
  for (const [label, configText, credentialsText] of pairs) {
    const c = write('c', configText)
    const r = write('r', credentialsText)
    t.same(await awkTargets(bash, c, r), await sdkTargets(c, r), label)
  }
  t.same(await awkTargets(bash, write('c', pairs[0]![1]), write('r', pairs[0]![2])), ['me\t123456789012 (user session)'], 'sanity: the user session is offered')
  t.same(await awkTargets(bash, write('c', pairs[3]![1]), write('r', '')), [], 'sanity: [default] was replaced')
  t.same(await awkTargets(bash, write('c', pairs[9]![1]), write('r', pairs[9]![2])), ['bom\t1 Bom', 'credbom\t2 CredBom'], 'sanity: the byte order mark is skipped')
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

const NAMES = ['prod', 'dev', 'a.b', 'x:y', 'p/q', 'default', 'team-1', 'u@v', 'n+m', 'pc%t', "it's", 'two words']
const HEADERS = [
  (n: string) => `[profile ${n}]`, (n: string) => `[profile ${n}]`, (n: string) => `[profile "${n}"]`, (n: string) => `[profile '${n}']`,
  (n: string) => `[profile  ${n}]`, (n: string) => `[profile\t${n}]`, (n: string) => `  [profile ${n}]  `, (n: string) => `[profile ${n}] # c`,
  (n: string) => `[profile ${n}];c`, (n: string) => `[${n}]`, () => '[default]', (n: string) => `[sso-session ${n}]`, (n: string) => `[profile ${n} x]`,
  (n: string) => `[profile ${n}`, (n: string) => `[profile.${n}]`, (n: string) => `[${n}]`, (n: string) => `[${n}]`, (n: string) => `[ ${n} ]`,
  (n: string) => `[services ${n}]`, (n: string) => `[other ${n}]`, () => '[]',
]
const LINES = [
  (a: string) => `role_arn = ${a}`, (a: string) => `role_arn=${a}`, (a: string) => `  role_arn = ${a}`, (a: string) => `role_arn\t=\t${a} ; c`,
  (a: string) => `role_arn = ${a};x`, (a: string) => `role_arn = ${a} #x`, () => 'role_arn =', () => 'role_arn = ;x', (a: string) => `# role_arn = ${a}`,
  (a: string) => `; role_arn = ${a}`, () => 's3 =', () => '  max_concurrent_requests = 20', () => 'region = eu-west-1', () => '  region = x',
  () => 'source_profile = base', () => 'garbage line', () => '=x', () => '', (a: string) => `ROLE_ARN = ${a}`, (a: string) => `role_arn2 = ${a}`,
  (a: string) => `role_arn = ${a}\r`, () => 'nested = ; comment',
  // A user session (lib/profiles.ts targetKind): mfa_serial and both keys, merged across the files.
  (a: string) => `mfa_serial = ${a.replace(':role/', ':mfa/')}`, () => 'aws_access_key_id = AKIAEXAMPLE', () => 'aws_secret_access_key = s',
  () => 'aws_access_key_id =', () => '  mfa_serial = arn:aws:iam::1:mfa/nested',
]

t.test('awk sees the target profiles awsmfa and the SDK see: 150 random pairs of config and credentials files', async (t) => {
  const bash = requireRow(t, shellRow('bash'))
  if (bash === undefined) return
  const dir = tempDir(t, 'awsmfa-fuzz-')
  let mismatches = 0
  let credentialsOnly = 0
  let userSessions = 0
  for (let seed = 1; seed <= 150; seed++) {
    const random = prng(seed)
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
    const file = (): string => {
      const lines: string[] = []
      // Lines before the first section belong to none (not to the last section of the other file).
      if (random() < 0.2) lines.push(pick(LINES)('arn:aws:iam::100000000001:role/Stray'))
      const sections = Math.floor(random() * 8)
      for (let s = 0; s < sections; s++) {
        lines.push(random() < 0.01 ? '[__proto__]' : pick(HEADERS)(pick(NAMES)))
        // Often the parts of a user session (mfa_serial, both keys), some of them in the other file.
        if (random() < 0.3) {
          if (random() < 0.7) lines.push('mfa_serial = arn:aws:iam::123456789012:mfa/u')
          if (random() < 0.7) lines.push('aws_access_key_id = AKIAEXAMPLE')
          if (random() < 0.7) lines.push('aws_secret_access_key = s')
        }
        const count = Math.floor(random() * 6)
        for (let l = 0; l < count; l++) {
          const account = String(100000000000 + Math.floor(random() * 1e9))
          lines.push(pick(LINES)(`arn:aws:iam::${account}:role/R${Math.floor(random() * 100)}`))
        }
      }
      return (random() < 0.05 ? '\ufeff' : '') + lines.join(random() < 0.2 ? '\r\n' : '\n')
    }
    const [configText, credentialsText] = [file(), file()]
    const config = join(dir, `config-${seed}`)
    const credentials = join(dir, `credentials-${seed}`)
    writeFileSync(config, configText)
    writeFileSync(credentials, credentialsText)
    const [sdk, awk] = [await sdkTargets(config, credentials), await awkTargets(bash, config, credentials)]
    if (JSON.stringify(sdk) !== JSON.stringify(awk)) {
      mismatches++
      t.same(awk, sdk, `seed ${seed}:\n--- config\n${configText}\n--- credentials\n${credentialsText}`)
    }
    const fromConfig = await sdkTargets(config, join(dir, 'missing'))
    if (sdk.some((line) => !fromConfig.some((c) => c.split('\t')[0] === line.split('\t')[0]))) credentialsOnly++
    if (sdk.some((line) => line.endsWith('(user session)'))) userSessions++
  }
  t.ok(userSessions >= 5, `the files hold user-session targets (${userSessions} of 150)`)
  t.equal(mismatches, 0, 'no pair of files where awk and the SDK disagree')
  t.ok(credentialsOnly >= 30, `the files hold targets found only in the credentials file (${credentialsOnly} of 150)`)
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

const WORLD_CREDENTIALS = `[alice]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = secret

[credonly]
role_arn = arn:aws:iam::123456789037:role/CredOnly
source_profile = alice
`

const CASES: Case[] = [
  { line: 'awsmfa ', expect: ['use', 'clear', 'env', 'exec', 'console', 'list', 'doctor', 'status', 'agent', 'init', 'demo'] },
  { line: 'awsmfa co', expect: ['console'] },
  { line: 'awsmfa console pr', expect: ['prod', 'prod-eu'] },
  { line: 'awsmfa console --u', expect: ['--url'] },
  { line: 'awsmfa console --destination s', expect: ['s3'] },
  { line: 'awsmfa e', expect: ['env', 'exec'] },
  { line: 'awsmfa -', expect: ['--help', '-h', '--version', '-V'] },
  { line: 'awsmfa use ', expect: ['prod', 'prod-eu', 'readonly', 'team:ops', 'credonly'] },
  { line: 'awsmfa use cr', expect: ['credonly'] },
  { line: 'awsmfa use pr', expect: ['prod', 'prod-eu'] },
  { line: 'awsmfa use prod ', expect: [] },
  { line: 'awsmfa use team:', expect: ['ops'] },
  { line: 'awsmfa env -t 123456 --region eu-west-1 r', expect: ['readonly'] },
  { line: 'awsmfa exec ', expect: ['prod', 'prod-eu', 'readonly', 'team:ops', 'credonly'] },
  { line: 'awsmfa doctor re', expect: ['readonly'] },
  { line: 'awsmfa list ', expect: [] },
  { line: 'awsmfa status --', expect: ['--verify', '--json', '--help'] },
  { line: 'awsmfa env --shell ', expect: SHELL_NAMES.flatMap((name) => [name, ...(shellByName(name).aliases ?? [])]) },
  { line: 'awsmfa env --shell=f', expect: ['fish'] },
  { line: 'awsmfa env prod --j', expect: ['--json'] },
  { line: 'awsmfa use prod --d', expect: ['--duration'] },
  { line: 'awsmfa use prod -d ', expect: ['12h', '8h', '4h', '1h', '45m', '15m'] },
  { line: 'awsmfa use prod -t ', expect: [] },
  { line: 'awsmfa init ', expect: INTEGRATED_SHELLS.map((shell) => shell.name) },
  { line: 'awsmfa init bash ', expect: [] },
  { line: 'awsmfa exec prod -- printf', expect: ['printf'] },
  { line: 'awsmfa agent ', expect: ['start', 'stop', 'status', 'forget', 'add'] },
  { line: 'awsmfa agent add pr', expect: ['prod', 'prod-eu'] },
  { line: 'awsmfa agent add prod r', expect: ['readonly'] },
  { line: 'awsmfa agent forget pr', expect: ['prod', 'prod-eu'] },
  { line: 'awsmfa agent forget prod ', expect: [] },
  { line: 'awsmfa agent stop ', expect: [] },
  { line: 'awsmfa env prod --no', expect: ['--no-agent'] },
  { line: 'awsmfa use prod --mi', expect: ['--min-remaining'] },
]

t.test('bash: the completion function at each position, with only awk on PATH (no Node)', async (t) => {
  const bash = requireRow(t, shellRow('bash'))
  if (bash === undefined) return
  const awk = await requireShell(t, 'awk')
  const dir = tempDir(t, 'awsmfa-bashcomp-')
  const bin = join(dir, 'bin')
  mkdirSync(bin)
  symlinkSync(awk, join(bin, 'awk'))
  writeFileSync(join(dir, 'config'), WORLD_CONFIG)
  writeFileSync(join(dir, 'credentials'), WORLD_CREDENTIALS)
  const script = [
    `source ${shQuote(join(ROOT, FILES.bash.completion))}`,
    `COMP_WORDBREAKS=$' \\t\\n"\\'><=;|&(:'`,
    'for line in "$@"; do COMP_LINE=$line; COMP_POINT=${#line}; read -r -a COMP_WORDS <<<"$line"; [[ $line == *" " ]] && COMP_WORDS+=(""); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _awsmfa_complete; printf "%s|" "${COMPREPLY[@]}"; echo; done',
  ].join('\n')
  const result = await execa(bash, ['--norc', '--noprofile', '-c', script, 'bash', ...CASES.map((c) => c.line)], {
    env: { PATH: bin, HOME: dir, AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') },
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

t.test('bash: the completion honours AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, ~/.aws/, and missing files', async (t) => {
  const bash = requireRow(t, shellRow('bash'))
  if (bash === undefined) return
  const home = tempDir(t, 'awsmfa-home-')
  mkdirSync(join(home, '.aws'))
  writeFileSync(join(home, '.aws', 'config'), '[profile fromhome]\nrole_arn = arn:aws:iam::1:role/H\n')
  writeFileSync(join(home, '.aws', 'credentials'), '[credhome]\nrole_arn = arn:aws:iam::1:role/C\n')
  writeFileSync(join(home, 'other'), '[profile fromenv]\nrole_arn = arn:aws:iam::1:role/E\n')
  writeFileSync(join(home, 'othercreds'), '[credenv]\nrole_arn = arn:aws:iam::1:role/F\n')
  mkdirSync(join(home, 'work'))
  writeFileSync(join(home, 'work', 'kind=config'), '[credrelative]\nrole_arn = arn:aws:iam::1:role/R\n')
  const run = async (env: Record<string, string>): Promise<string> => {
    const result = await execa(bash, ['--norc', '--noprofile', '-c', `set -u; source ${shQuote(join(ROOT, FILES.bash.completion))}; __awsmfa_profiles ''`], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...env },
      extendEnv: false,
      cwd: join(home, 'work'),
    })
    t.equal(result.stderr, '')
    return result.stdout
  }
  t.equal(await run({}), 'fromhome\ncredhome', 'both files in ~/.aws/')
  t.equal(await run({ AWS_CONFIG_FILE: join(home, 'other') }), 'fromenv\ncredhome')
  t.equal(await run({ AWS_SHARED_CREDENTIALS_FILE: join(home, 'othercreds') }), 'fromhome\ncredenv')
  t.equal(await run({ AWS_CONFIG_FILE: '~/other', AWS_SHARED_CREDENTIALS_FILE: '~/othercreds' }), 'fromenv\ncredenv', '~/ means HOME, as in the SDK')
  t.equal(await run({ AWS_CONFIG_FILE: '', AWS_SHARED_CREDENTIALS_FILE: '' }), 'fromhome\ncredhome', 'empty means the default, as in the SDK')
  t.equal(await run({ AWS_CONFIG_FILE: join(home, 'missing') }), 'credhome', 'a missing config file: the credentials file still counts')
  t.equal(await run({ AWS_SHARED_CREDENTIALS_FILE: join(home, 'missing') }), 'fromhome', 'a missing credentials file: the config file still counts')
  t.equal(await run({ AWS_CONFIG_FILE: join(home, 'missing'), AWS_SHARED_CREDENTIALS_FILE: home }), '', 'a missing file and a directory: no profiles, no error')
  t.equal(await run({ AWS_CONFIG_FILE: join(home, 'missing'), AWS_SHARED_CREDENTIALS_FILE: 'kind=config' }), 'credrelative', 'a relative name that looks like an awk assignment is still a file')
})

t.test('zsh and fish describe each profile by account and role', async (t) => {
  const zsh = requireRow(t, shellRow('zsh'))
  if (zsh === undefined) return
  const fish = requireRow(t, shellRow('fish'))
  if (fish === undefined) return
  const dir = tempDir(t, 'awsmfa-describe-')
  writeFileSync(join(dir, 'config'), WORLD_CONFIG)
  writeFileSync(join(dir, 'credentials'), WORLD_CREDENTIALS)
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') }
  const z = await execa(zsh, ['-f', '-c', `source ${shQuote(join(ROOT, FILES.zsh.completion))}; __awsmfa_profile_list`], { env, extendEnv: false })
  t.equal(z.stdout, [
    'prod:123456789034 ServerworksRolePU',
    'prod-eu:123456789035 Admin',
    'readonly:123456789034 ReadOnly',
    'team\\:ops:123456789036 Ops',
    'credonly:123456789037 CredOnly',
  ].join('\n'), 'zsh: _describe format, `:` escaped in names')
  const f = await execa(fish, ['--no-config', '-c', `source ${shQuote(join(ROOT, FILES.fish.completion))}; complete -C 'awsmfa use '`], { env, extendEnv: false })
  t.equal(f.stdout.split('\n').sort().join('\n'), [
    'credonly\t123456789037 CredOnly',
    'prod\t123456789034 ServerworksRolePU',
    'prod-eu\t123456789035 Admin',
    'readonly\t123456789034 ReadOnly',
    'team:ops\t123456789036 Ops',
  ].join('\n'), 'fish: name<TAB>description, target profiles only')
  const fOpts = await execa(fish, ['--no-config', '-c', `source ${shQuote(join(ROOT, FILES.fish.completion))}; complete -C 'awsmfa env --shell '; complete -C 'awsmfa use prod '; echo end`], { env, extendEnv: false })
  t.match(fOpts.stdout, /^bash\t/m, 'fish: --shell values')
  t.notMatch(fOpts.stdout, /^readonly/m, 'fish: no second profile')
})

t.test('PowerShell offers user-session profiles as profiles.ts does (mfa_serial and both keys, merged across the files)', async (t) => {
  const pwsh = pwshPath()
  if (pwsh === undefined) {
    missing(t, 'pwsh is not installed (scripts/setup.sh installs it)')
    return
  }
  const dir = tempDir(t, 'awsmfa-pwsh-complete-')
  const pairs: Array<[string, string]> = [
    ['[profile me]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n[profile prod]\nrole_arn = arn:aws:iam::123456789034:role/PU\n', '[me]\naws_access_key_id = AKIAX\naws_secret_access_key = s\n'],
    ['[profile half]\nmfa_serial = arn:aws:iam::123456789012:mfa/h\naws_access_key_id = AKIAX\n', '[alice]\naws_access_key_id = AKIAX\naws_secret_access_key = s\n'],
    ['[default]\nmfa_serial = arn:aws:iam::111111111111:mfa/d\n[profile default]\nregion = x\n', '[solo]\nmfa_serial = arn:aws:iam::222222222222:mfa/solo\naws_access_key_id = AKIAX\naws_secret_access_key = s\n[default]\naws_access_key_id = AKIAX\naws_secret_access_key = s\n'],
  ]
  for (const [configText, credentialsText] of pairs) {
    const config = join(dir, 'config')
    const credentials = join(dir, 'credentials')
    writeFileSync(config, configText)
    writeFileSync(credentials, credentialsText)
    const result = await execa(pwsh, shellRow('powershell').command(`. '${join(ROOT, FILES.powershell.completion)}'; Set-StrictMode -Version Latest; __awsmfa_profiles | ForEach-Object { "$($_.Name)\`t$($_.Description)" }`), {
      env: { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
      extendEnv: false,
      reject: false,
    })
    t.equal(result.exitCode, 0, String(result.stderr))
    const seen = String(result.stdout).split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l !== '').sort()
    t.same(seen, await sdkTargets(config, credentials), configText)
  }
})

t.test('zsh and fish descriptions are printable: escapes in a role_arn reach the screen as \\xHH, as in `awsmfa list`', async (t) => {
  const zsh = requireRow(t, shellRow('zsh'))
  if (zsh === undefined) return
  const fish = requireRow(t, shellRow('fish'))
  if (fish === undefined) return
  const dir = tempDir(t, 'awsmfa-describe-escapes-')
  // An OSC title, a screen clear, BEL, DEL, the 8-bit CSI U+009B and U+0085, in the account and the role name.
  const account = '1234\x1b]0;pwned\x07'
  const role = 'Ops\x1b[2J\x1b[H\x7f\u009b2J\u0085é🔑'
  writeFileSync(join(dir, 'config'), `[profile evil]\nrole_arn = arn:aws:iam::${account}:role/path/${role}\nsource_profile = alice\n`)
  writeFileSync(join(dir, 'credentials'), `[evil2]\nrole_arn = arn:aws:iam::${account}:role/${role}\n`)
  const expected = printable(`${account} ${role}`)
  t.equal(expected, '1234\\x1b]0;pwned\\x07 Ops\\x1b[2J\\x1b[H\\x7f\\x9b2J\\x85é🔑', 'the rule of lib/text.ts')
  for (const lang of ['C.UTF-8', 'C']) {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LANG: lang, AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') }
    const z = await execa(zsh, ['-f', '-c', `source ${shQuote(join(ROOT, FILES.zsh.completion))}; __awsmfa_profile_list`], { env, extendEnv: false, encoding: 'buffer' })
    t.equal(Buffer.from(z.stdout).toString('utf8'), `evil:${expected}\nevil2:${expected}`, `${lang}: zsh descriptions as list shows them`)
    const f = await execa(fish, ['--no-config', '-c', `source ${shQuote(join(ROOT, FILES.fish.completion))}; complete -C 'awsmfa use '`], { env, extendEnv: false, encoding: 'buffer' })
    const fishOut = Buffer.from(f.stdout).toString('utf8')
    t.equal(fishOut.split('\n').sort().join('\n'), `evil\t${expected}\nevil2\t${expected}`, `${lang}: fish descriptions as list shows them`)
    // eslint-disable-next-line no-control-regex
    t.notMatch(Buffer.from(z.stdout).toString('latin1') + fishOut, /[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]/, `${lang}: no control byte (UTF-8 C1 included) in either output`)
  }
})
