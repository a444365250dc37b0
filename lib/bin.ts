#!/usr/bin/env node
import { fastPath } from './fast-path.js'
import { realDeps } from './real-deps.js'

const argv = process.argv.slice(2)
const deps = realDeps()
// Set the exit code and let Node drain stdout: process.exit() can cut piped output short.
process.exitCode = (await fastPath(argv, deps)) ?? (await import('./cli.js').then(({ main }) => main(argv, deps)))
