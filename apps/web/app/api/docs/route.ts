import { ApiReference } from "@scalar/nextjs-api-reference";
import { pageCsp } from "~/server/security-headers";

/**
 * The human API reference, rendered from /api/openapi.json by a renderer served from this app (no
 * CDN). The vendor's own offers (its AI agent, MCP generation, the developer tools' Deploy) are
 * configured away: this is the reference of this server, nothing else. A bar on top leads back.
 */
const reference = ApiReference({
  url: "/api/openapi.json",
  cdn: "/vendor/scalar-api-reference.js",
  pageTitle: "Omniglass API reference",
  withDefaultFonts: false,
  hideClientButton: true,
  showDeveloperTools: "never",
  agent: { disabled: true },
  mcp: { disabled: true },
} as Parameters<typeof ApiReference>[0]);

const BACK = `<nav aria-label="Console" style="padding:8px 16px;font:14px system-ui,sans-serif;border-bottom:1px solid #d4d4d8"><a href="/" style="color:#075985">← Back to the Omniglass console</a></nav>`;

/**
 * The reference's scripts carry a per-response nonce and the policy allows nothing else: no inline
 * script without it, no third-party origin, no framing.
 */
export async function GET() {
  const page = reference();
  const nonce = btoa(crypto.randomUUID());
  const html = (await page.text())
    .replace(/<body([^>]*)>/, (body) => `${body}${BACK}`)
    .replace(/<script(?![^>]*\bnonce=)/g, `<script nonce="${nonce}"`);
  const headers = new Headers(page.headers);
  headers.set("content-security-policy", pageCsp(nonce));
  headers.set("cache-control", "no-store");
  return new Response(html, { status: page.status, headers });
}
