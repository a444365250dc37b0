/**
 * How awsmfa's own HTTPS connections honour the network path (lib/network.ts): the STS client's
 * request handler and the console's federation GET both get their agents here, so a proxy and a
 * CA bundle apply to both the same way.
 */
import type { Agent as HttpAgent, ClientRequest } from 'node:http'
import type { AgentOptions as HttpsAgentOptions } from 'node:https'
import type { HttpsProxyAgent as HttpsProxyAgentType } from 'https-proxy-agent'
import type { StsTransport } from './network.js'

/**
 * The agents for the SDK's NodeHttpHandler (it ignores HTTPS_PROXY and makes its own): a CONNECT
 * tunnel through the proxy (https-proxy-agent, loaded only when a proxy is set), or a direct
 * https.Agent's options; either way the CA bundle, when set, replaces the default roots.
 */
export async function agentsFor(transport: StsTransport | undefined): Promise<{ httpsAgent?: HttpAgent | HttpsAgentOptions; httpAgent?: HttpAgent }> {
  if (transport === undefined) return {}
  const ca = transport.ca === undefined ? undefined : [...transport.ca]
  if (transport.proxyUrl === undefined) return ca === undefined ? {} : { httpsAgent: { keepAlive: true, maxSockets: 50, ca } }
  const [{ HttpsProxyAgent }, { HttpProxyAgent }] = await Promise.all([import('https-proxy-agent'), import('http-proxy-agent')])
  const proxyUrl = transport.proxyUrl
  // The tunnel's TLS (to STS, not to the proxy) is where the bundle applies.
  class TunnelAgent extends HttpsProxyAgent<string> {
    override connect(request: ClientRequest, options: Parameters<HttpsProxyAgentType<string>['connect']>[1]): ReturnType<HttpsProxyAgentType<string>['connect']> {
      // Only the TLS branch (secureEndpoint) reads ca; an http:// endpoint has no certificate.
      return super.connect(request, ca === undefined || !options.secureEndpoint ? options : { ...options, ca })
    }
  }
  const httpsAgent = new TunnelAgent(proxyUrl)
  httpsAgent.on('proxyConnect', (answer: { statusCode?: number }) => {
    if (typeof answer.statusCode === 'number') transport.onProxyResponse?.(answer.statusCode)
  })
  return { httpsAgent, httpAgent: new HttpProxyAgent(proxyUrl) }
}
