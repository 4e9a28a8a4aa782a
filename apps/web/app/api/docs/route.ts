import { ApiReference } from "@scalar/nextjs-api-reference";

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

const BACK = `<nav aria-label="Console" style="padding:8px 16px;font:14px system-ui,sans-serif;border-bottom:1px solid #d4d4d8"><a href="/platform" style="color:#075985">← Back to the Omniglass console</a></nav>`;

export async function GET() {
  const page = reference();
  const html = (await page.text()).replace(/<body([^>]*)>/, (body) => `${body}${BACK}`);
  return new Response(html, { status: page.status, headers: page.headers });
}
