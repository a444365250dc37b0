/**
 * A directory tree as data — every file, directory and symlink with its type, mode and a hash of
 * its bytes — to prove a run created, changed and removed nothing there.
 */
import { createHash } from 'node:crypto'
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { join, relative } from 'node:path'

export type Tree = ReadonlyMap<string, string>

export function snapshotTree(root: string): Tree {
  const entries = new Map<string, string>()
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      const stat = lstatSync(path)
      const key = relative(root, path)
      const mode = (stat.mode & 0o7777).toString(8)
      if (stat.isDirectory()) {
        entries.set(key, `dir ${mode}`)
        walk(path)
      } else if (stat.isSymbolicLink()) {
        entries.set(key, `link ${readlinkSync(path)}`)
      } else if (stat.isFile()) {
        entries.set(key, `file ${mode} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`)
      } else {
        entries.set(key, `special ${mode}`)
      }
    }
  }
  walk(root)
  return entries
}

/** What changed between two snapshots: `+ path`, `- path`, `~ path`; empty when nothing did. */
export function treeChanges(before: Tree, after: Tree): string[] {
  const changes: string[] = []
  for (const [path, what] of after) {
    const was = before.get(path)
    if (was === undefined) changes.push(`+ ${path} (${what.split(' ')[0]})`)
    else if (was !== what) changes.push(`~ ${path}`)
  }
  for (const path of before.keys()) if (!after.has(path)) changes.push(`- ${path}`)
  return changes
}
