/**
 * One GET over node:http(s) with the transport's agents (lib/http-agents.ts), for the console's
 * federation endpoint: the same proxy and CA bundle as the STS call. Redirects are not followed.
 */
import { request as httpRequest, type Agent as HttpAgent, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { HttpAnswer } from './deps.js'
import { agentsFor } from './http-agents.js'
import type { StsTransport } from './network.js'

export async function httpGet(url: string, init: { signal: AbortSignal; transport?: StsTransport | undefined }): Promise<HttpAnswer> {
  const target = new URL(url)
  const secure = target.protocol === 'https:'
  const agents = await agentsFor(init.transport)
  const agent: HttpAgent | undefined = secure
    ? agents.httpsAgent === undefined || isAgent(agents.httpsAgent) ? agents.httpsAgent : new HttpsAgent(agents.httpsAgent)
    : agents.httpAgent
  const request = secure ? httpsRequest : httpRequest
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const outgoing = request(target, { method: 'GET', signal: init.signal, ...(agent === undefined ? {} : { agent }) }, resolve)
    outgoing.on('error', reject)
    outgoing.end()
  })
  const body = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = []
    response.on('data', (chunk: Buffer) => chunks.push(chunk))
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    response.on('error', reject)
  })
  return { status: response.statusCode ?? 0, text: () => Promise.resolve(body) }
}

function isAgent(value: object): value is HttpAgent {
  return typeof (value as { addRequest?: unknown }).addRequest === 'function'
}
