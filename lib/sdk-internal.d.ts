// Types for the one SDK-internal module awsmfa imports (lib/sts-endpoint.ts); the package ships
// them under dist-types/, which TypeScript does not map a dist-es/ path to.
declare module '@aws-sdk/client-sts/dist-es/endpoint/endpointResolver.js' {
  export const defaultEndpointResolver: (params: { Region?: string; UseFIPS?: boolean; UseDualStack?: boolean; UseGlobalEndpoint?: boolean; Endpoint?: string }) => { url: URL }
}
