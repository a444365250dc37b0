/**
 * Secrets never leak: fails a test when the long-term secret, any secret or token the emulator
 * issued, or an MFA code shows up in text a run produced (stderr, stdout of a failure, any file it
 * wrote). A leak that went through printable() or JSON escaping still counts, and so does a
 * 16-character piece of a random secret (a truncated or wrapped secret is still a leak).
 */
import { readdirSync, readFileSync, lstatSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { printable } from '../../lib/text.js'
import type { Test } from 'tap'
import type { World } from './world.js'


export interface LeakCheck {
  /** The run's stderr (and any other text meant for people, e.g. a failure's stdout). */
  readonly text?: string | readonly string[]
  /** Files or directories the run wrote; directories are read recursively. */
  readonly paths?: readonly string[]
  /** MFA codes the run used or was given. */
  readonly codes?: readonly string[]
  /** More secrets, e.g. keys written into a config file by the test. */
  readonly secrets?: readonly string[]
}

const WINDOW = 16

/** The forms in which a secret would be recognisable in text. */
function forms(secret: string): string[] {
  const out = new Set<string>([secret, printable(secret), JSON.stringify(secret).slice(1, -1)])
  // A multi-line secret split by a line-oriented writer: each long line of it.
  for (const line of secret.split(/[\r\n]/)) if (line.length >= 12) out.add(line)
  return [...out]
}

/** Every 16-character piece of a secret that is made of key characters (random, so never innocent). */
function pieces(secret: string): string[] {
  if (!/^[A-Za-z0-9+/=]+$/.test(secret) || secret.length < WINDOW) return []
  const out: string[] = []
  for (let i = 0; i + WINDOW <= secret.length; i++) out.push(secret.slice(i, i + WINDOW))
  return out
}

/** The long-term secret and every secret and session token the world's emulator issued so far. */
export function worldSecrets(world: World): string[] {
  return [world.alice.secretAccessKey, ...world.emulator.issued.flatMap((c) => [c.secretAccessKey, c.sessionToken])]
}

/** Regular files only: a socket (the agent's) has no bytes to read, and is checked by assertAgentDirClean. */
function filesUnder(path: string): string[] {
  if (!existsSync(path)) return []
  const info = lstatSync(path)
  if (info.isDirectory()) return readdirSync(path).flatMap((name) => filesUnder(join(path, name)))
  return info.isFile() ? [path] : []
}

/**
 * The agent's directory holds nothing but its socket (or nothing at all once it stopped): the
 * agent writes no file, so there is no file a secret could be in. Returns what it found.
 */
export function assertAgentDirClean(t: Test, dir: string, label = 'agent'): string[] {
  const names = existsSync(dir) ? readdirSync(dir) : []
  for (const name of names) {
    const info = lstatSync(join(dir, name))
    t.ok(name === 'agent.sock' && info.isSocket(), `${label}: ${name} in the agent's directory is its socket, not a file`)
  }
  return names
}

/** Where (if anywhere) one of the secrets or codes appears in `text`; undefined when clean. */
export function findLeak(text: string, secrets: readonly string[], codes: readonly string[] = []): string | undefined {
  for (const secret of new Set(secrets)) {
    if (!secret) continue
    for (const form of forms(secret)) if (text.includes(form)) return `secret ${JSON.stringify(secret.slice(0, 4))}… (as ${JSON.stringify(form.slice(0, 12))}…)`
    for (const piece of pieces(secret)) if (text.includes(piece)) return `a 16-character piece of secret ${JSON.stringify(secret.slice(0, 4))}…`
  }
  for (const code of new Set(codes)) {
    if (code && new RegExp(`(?<!\\d)${code.replace(/\D/g, '')}(?!\\d)`).test(text)) return `MFA code ${code.slice(0, 2)}…`
  }
  return undefined
}

/**
 * Asserts that nothing the run left behind holds a secret of `world` (the long-term secret, every
 * issued secret and token — read at call time, so call it after the run) or one of `check.codes`.
 */
export function assertNoLeaks(t: Test, world: World, check: LeakCheck, label = 'run'): void {
  const secrets = [...worldSecrets(world), ...(check.secrets ?? [])]
  const codes = check.codes ?? []
  const texts = check.text === undefined ? [] : typeof check.text === 'string' ? [check.text] : check.text
  texts.forEach((text, i) => {
    const leak = findLeak(text, secrets, codes)
    t.ok(leak === undefined, `${label}: text ${i + 1} holds no secret or code`, leak === undefined ? {} : { leak })
  })
  const files = (check.paths ?? []).flatMap(filesUnder)
  for (const file of files) {
    const leak = findLeak(readFileSync(file).toString('utf8'), secrets, codes)
    t.ok(leak === undefined, `${label}: ${file} holds no secret or code`, leak === undefined ? {} : { leak })
  }
  t.ok(secrets.length > 0, `${label}: checked ${secrets.length} secrets, ${codes.length} codes, ${texts.length} texts, ${files.length} files`)
}
