/** What every bench script shares and costs nothing to import (no option parsing, no tool look-up). */
import { resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '..')
export const NODE = process.execPath
export const AWS = '/usr/bin/aws' // the AWS CLI v2 (Debian awscli); the `aws` on PATH may be a v1 shim
export const REGION = 'eu-west-1'
export const STS_HOST = `sts.${REGION}.amazonaws.com`
export const SESSION_NAME = 'awsmfa-alice' // awsmfa's default for USER=alice; the AWS CLI is given the same

export const log = (line: string): void => void process.stderr.write(`bench: ${line}\n`)
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))
