#!/usr/bin/env node
import { main } from './cli.js'
import { realDeps } from './real-deps.js'

// Set the exit code and let Node drain stdout: process.exit() can cut piped output short.
process.exitCode = await main(process.argv.slice(2), realDeps())
