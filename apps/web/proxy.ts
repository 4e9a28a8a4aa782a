import { NextResponse, type NextRequest } from "next/server";
import { pageCsp } from "./src/server/security-headers";

/**
 * Every page gets a fresh script nonce and the console's Content-Security-Policy: Next.js reads the
 * policy from the request and puts the nonce on its own scripts, the root layout on the theme's.
 * Then an optimistic check only: a page request without a session cookie goes to /sign-in. Every
 * API call still authenticates for itself (401), so a forged cookie gets no further than the shell.
 */
export function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const csp = pageCsp(nonce);
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const isSignIn = request.nextUrl.pathname === "/sign-in";
  let response: NextResponse;
  if (isSignIn || request.cookies.has("og_session")) {
    response = NextResponse.next({ request: { headers } });
  } else {
    const url = request.nextUrl.clone();
    url.pathname = "/sign-in";
    url.search = `?next=${encodeURIComponent(request.nextUrl.pathname)}`;
    response = NextResponse.redirect(url);
  }
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  // Pages only: not the API, not static assets.
  matcher: ["/((?!api/|_next/|vendor/|favicon.ico).*)"],
};
