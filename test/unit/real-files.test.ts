/**
 * The real file door (lib/real-deps.ts realFiles) on a real file system: writeSharedFile replaces a
 * file whole (a reader never sees half of it) and leaves nothing behind when it cannot.
 */
import t from 'tap'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { realFiles } from '../../lib/real-deps.js'

const dir = mkdtempSync(join(tmpdir(), 'awsmfa-files-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))

t.test('writeSharedFile makes the directory private, replaces the file and leaves no partial file', async (t) => {
  const path = join(dir, 'cache', 'awsmfa', 'init.ps1')
  await realFiles.writeSharedFile(path, 'first\n')
  await realFiles.writeSharedFile(path, 'second\n')
  t.equal(readFileSync(path, 'utf8'), 'second\n', 'the last text, whole')
  t.equal(statSync(join(dir, 'cache', 'awsmfa')).mode & 0o777, 0o700, 'the directory it made is 0700')
  t.equal(statSync(path).mode & 0o777, 0o644 & ~process.umask(), 'the file is readable, not writable, by others (umask applied)')
  t.same(readdirSync(join(dir, 'cache', 'awsmfa')), ['init.ps1'], 'nothing else in the directory')
})

t.test('writeSharedFile that cannot replace the file fails and removes its partial file', async (t) => {
  const path = join(dir, 'blocked', 'init.ps1')
  // A non-empty directory where the file goes: the write succeeds, the rename cannot.
  mkdirSync(path, { recursive: true })
  writeFileSync(join(path, 'inside'), 'x')
  await t.rejects(realFiles.writeSharedFile(path, 'text\n'), 'the failure reaches the caller')
  t.same(readdirSync(join(dir, 'blocked')), ['init.ps1'], 'no .partial file left beside it')
  t.same(readdirSync(path), ['inside'], 'what was there is untouched')
})
