/**
 * The STS endpoint from the SDK's own endpoint rules (@aws-sdk/client-sts's ruleset: partition
 * DNS suffixes, FIPS, dual-stack), without loading the client. Imported lazily by lib/network.ts;
 * the URL it returns is handed to the client as its endpoint, so what awsmfa shows is what it calls.
 */
// @internal in the SDK, but it is the very function the client calls: one source of endpoint truth.
import { defaultEndpointResolver } from '@aws-sdk/client-sts/dist-es/endpoint/endpointResolver.js'

export function resolveStsEndpoint(options: { region: string; useFips: boolean; useDualstack: boolean }): string {
  const resolved = defaultEndpointResolver({
    Region: options.region,
    UseFIPS: options.useFips,
    UseDualStack: options.useDualstack,
    // The regional endpoint: the SDK's default for STS (the global one is legacy and us-east-1 only).
    UseGlobalEndpoint: false,
  })
  return resolved.url.href
}
