/**
 * The browser's defences, on every answer: no framing (clickjacking an acknowledge or a delete),
 * no MIME sniffing, no referrer leaving the console. API answers that carry data are never cached
 * and may not run anything; console pages get a nonce-based policy from the proxy (`pageCsp`).
 */
export const DEFENCE_HEADERS: Readonly<Record<string, string>> = {
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/** An API answer is data, not a document: nothing loads, nothing frames it. */
export const API_CSP =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The console's policy: scripts only from this origin's pages that carry the request's nonce
 * (and what they load), no third-party origin anywhere, no framing. Styles may be inline (React
 * style attributes); they cannot run code.
 */
export function pageCsp(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Headers the web server sets before any route runs; a route may still set its own. */
export function defaultHeadersFor(pathname: string): Record<string, string> {
  if (!pathname.startsWith("/api/") || pathname.startsWith("/api/docs"))
    return { ...DEFENCE_HEADERS };
  return { ...DEFENCE_HEADERS, "cache-control": "no-store", "content-security-policy": API_CSP };
}
