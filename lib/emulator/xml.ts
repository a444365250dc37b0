/** The namespace every STS Query-protocol answer carries. */
export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/'

/**
 * Escapes text content. Control characters become numeric references: a raw CR would be
 * normalised to LF by any XML parser, so only `&#13;` brings it through byte-exact. Non-ASCII
 * stays raw UTF-8 on purpose: the SDK decodes `&#x1F510;` with String.fromCharCode, which
 * breaks astral characters, while raw UTF-8 survives every parser.
 */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"'\u0000-\u001f\u007f]/g, (ch) => {
    switch (ch) {
      case '&': return '&amp;'
      case '<': return '&lt;'
      case '>': return '&gt;'
      case '"': return '&quot;'
      case "'": return '&apos;'
      default: return `&#${ch.charCodeAt(0)};`
    }
  })
}

/** A tree of elements: a string is text, an object is child elements in insertion order. */
export type XmlValue = string | { [name: string]: XmlValue | undefined }

export function toXml(name: string, value: XmlValue | undefined): string {
  if (value === undefined) return ''
  if (typeof value === 'string') return `<${name}>${escapeXml(value)}</${name}>`
  const inner = Object.entries(value).map(([k, v]) => toXml(k, v)).join('')
  return `<${name}>${inner}</${name}>`
}

/** `<XResponse xmlns=…><XResult>…</XResult><ResponseMetadata><RequestId>…` as STS sends it. */
export function successBody(action: string, result: XmlValue, requestId: string): string {
  return `<${action}Response xmlns="${STS_XMLNS}">\n` +
    `  ${toXml(`${action}Result`, result)}\n` +
    `  ${toXml('ResponseMetadata', { RequestId: requestId })}\n` +
    `</${action}Response>\n`
}

/** The Query-protocol error envelope; Type is Sender for 4xx and Receiver for 5xx. */
export function errorBody(status: number, code: string, message: string, requestId: string): string {
  const type = status >= 500 ? 'Receiver' : 'Sender'
  return `<ErrorResponse xmlns="${STS_XMLNS}">\n` +
    `  ${toXml('Error', { Type: type, Code: code, Message: message })}\n` +
    `  ${toXml('RequestId', requestId)}\n` +
    `</ErrorResponse>\n`
}
