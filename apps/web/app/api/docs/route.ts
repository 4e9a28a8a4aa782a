import { ApiReference } from "@scalar/nextjs-api-reference";

/** The human API reference, rendered from /api/openapi.json by a renderer served from this app (no CDN). */
export const GET = ApiReference({
  url: "/api/openapi.json",
  cdn: "/vendor/scalar-api-reference.js",
  pageTitle: "Omniglass API reference",
  withDefaultFonts: false,
  hideClientButton: true,
});
