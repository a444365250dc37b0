#!/usr/bin/env node
// The agent's rows (issue 14), apart from bench/run.ts so the two merge cleanly:
//   npm run bench:agent -- [--quick]
// - env prod answered by the agent, against `node -e 0` (the floor of any Node CLI);
// - the AWS CLI v2 resolving credentials through credential_process with an agent hit, against
//   static keys in the environment (`aws configure export-credentials`: credential resolution
//   only, no network call, so the difference is exactly what credential_process costs);
// - the price of looking for an agent when none runs (one lstat of a missing directory);
// - the agent's RSS empty and with 100 sessions; 20 concurrent clients.
// The sessions handed to the agent are made up (ASIA…): a hit never reaches STS, so none is needed.
import { execFileSync, spawn } from 'node:child_process'
import { lstatSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { encode, type OkAnswer, type Request, type WireSession } from '../lib/agent/protocol.js'
import { singleQuote } from '../lib/shells/posix.js'
import { rawExchange } from '../test/helpers/agent.js'
import { ALICE_MFA, PROD_ROLE, cliEnv, configText, credentialsText, makeUser, profileSection, roleProfile, writeAwsFiles } from '../test/helpers/aws-files.js'
import { AWS, NODE, ROOT, log, messageOf } from './common.js'

const CLI = join(ROOT, 'dist/awsmfa.mjs')
const quick = process.argv.includes('--quick')
const runs = quick ? 10 : 40
const work = mkdtempSync(join(tmpdir(), 'awsmfa-bench-agent-'))
const sock = join(work, 'agent', 'agent.sock')
const files = writeAwsFiles(work, {
  config: configText([
    roleProfile('prod', { roleArn: PROD_ROLE, source: 'alice', mfaSerial: ALICE_MFA, region: 'eu-west-1' }),
    profileSection('viaagent', { credential_process: `${NODE} ${CLI} env prod --json` }),
  ]),
  // Long-term keys the agent hits never use (no call reaches STS).
  credentials: credentialsText('alice', makeUser('alice')),
})
const env = { ...cliEnv(work, files), AWSMFA_AGENT_SOCK: sock, AWS_PAGER: '' }

async function request(message: Request): Promise<OkAnswer> {
  const [line] = await rawExchange(sock, encode(message), 1)
  const answer = JSON.parse(line ?? '{}') as OkAnswer | { ok: false; error: string }
  if (!answer.ok) throw new Error(`the agent refused ${message.op}: ${answer.error}`)
  return answer
}

const fake = (n: number): string => Array.from({ length: n }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[Math.floor(Math.random() * 32)]).join('')
function put(profile: string): Promise<OkAnswer> {
  const session: WireSession = { profile, roleArn: PROD_ROLE, assumedRoleArn: 'arn:aws:sts::123456789034:assumed-role/ServerworksRolePU/awsmfa-alice', accessKeyId: `ASIA${fake(16)}`, secretAccessKey: fake(40), sessionToken: fake(600), expiration: new Date(Date.now() + 12 * 3600_000).toISOString(), region: 'eu-west-1' }
  return request({ op: 'put', key: { profile, config: files.configPath }, session })
}

interface HyperfineRow {
  name: string
  mean: number
  stddev: number
  median: number
}

function hyperfine(name: string, argv: string[], extraEnv: Record<string, string> = {}): HyperfineRow {
  const out = join(work, 'hf.json')
  execFileSync('hyperfine', ['-N', '--warmup', '3', '--runs', String(runs), '--export-json', out, argv.map(singleQuote).join(' ')], { env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'inherit'] })
  const result = (JSON.parse(readFileSync(out, 'utf8')) as { results: Array<{ mean: number; stddev: number; median: number }> }).results[0]
  if (result === undefined) throw new Error(`hyperfine gave no result for ${name}`)
  return { name, mean: result.mean * 1000, stddev: result.stddev * 1000, median: result.median * 1000 }
}

function rssKiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 'NaN')
}

try {
  execFileSync(NODE, [CLI, 'agent', 'start'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  const pid = (await request({ op: 'ping' })).pid ?? Number.NaN
  const rssEmpty = rssKiB(pid)
  await put('prod')
  const rows: HyperfineRow[] = []
  rows.push(hyperfine('node -e 0', [NODE, '-e', '0']))
  rows.push(hyperfine('awsmfa env prod (agent hit)', [NODE, CLI, 'env', 'prod']))
  rows.push(hyperfine('awsmfa env prod --json (agent hit)', [NODE, CLI, 'env', 'prod', '--json']))
  if (lstatSync(AWS, { throwIfNoEntry: false })) {
    const keys = JSON.parse(execFileSync(NODE, [CLI, 'env', 'prod', '--json'], { env, encoding: 'utf8' })) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string }
    rows.push(hyperfine('aws configure export-credentials, static keys in env', [AWS, 'configure', 'export-credentials'], { AWS_ACCESS_KEY_ID: keys.AccessKeyId, AWS_SECRET_ACCESS_KEY: keys.SecretAccessKey, AWS_SESSION_TOKEN: keys.SessionToken }))
    rows.push(hyperfine('aws configure export-credentials --profile viaagent (credential_process, agent hit)', [AWS, 'configure', 'export-credentials', '--profile', 'viaagent']))
  }
  // Looking for an agent when none runs: what every env/exec pays (one lstat of a missing directory).
  const n = 100_000
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < n; i++) lstatSync(join(work, 'none', 'agent'), { throwIfNoEntry: false })
  const lstatMicros = Number(process.hrtime.bigint() - t0) / n / 1000

  for (let i = 0; i < 99; i++) await put(`p${i}`)
  const list = await request({ op: 'list' })
  const rss100 = rssKiB(pid)

  // 20 concurrent clients, all started at once.
  const c0 = Date.now()
  const codes = await Promise.all(Array.from({ length: 20 }, () => new Promise<number>((done) => {
    const child = spawn(NODE, [CLI, 'env', 'prod', '--json'], { env, stdio: ['ignore', 'pipe', 'ignore'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += String(d)
    })
    child.on('exit', (code) => done(code === 0 && out.includes('"Version":1') ? 0 : 1))
  })))
  const concurrentMs = Date.now() - c0

  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  console.log(`Machine: ${cpus().length} × ${cpu}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; hyperfine -N, ${runs} runs\n`)
  console.log('| path | mean ms | ± ms | median ms |\n|---|---:|---:|---:|')
  for (const r of rows) console.log(`| ${r.name} | ${r.mean.toFixed(1)} | ${r.stddev.toFixed(1)} | ${r.median.toFixed(1)} |`)
  console.log(`\n- no agent running: the look-up is one lstat of a missing directory, ${lstatMicros.toFixed(2)} µs`)
  console.log(`- agent RSS: ${(rssEmpty / 1024).toFixed(1)} MiB empty, ${(rss100 / 1024).toFixed(1)} MiB holding ${list.sessions?.length ?? 0} sessions`)
  console.log(`- 20 concurrent \`env prod --json\` clients: ${codes.filter((c) => c === 0).length}/20 answered from the agent, ${concurrentMs} ms wall for all`)
} finally {
  try {
    execFileSync(NODE, [CLI, 'agent', 'stop'], { env, stdio: 'ignore' })
  } catch (error) {
    log(`stop: ${messageOf(error)}`)
  }
  rmSync(work, { recursive: true, force: true })
}
