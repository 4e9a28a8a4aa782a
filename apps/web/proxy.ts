import { NextResponse, type NextRequest } from "next/server";

/**
 * An optimistic check only: a page request without a session cookie goes to /sign-in. Every API
 * call still authenticates for itself (401), so a forged cookie gets no further than the shell.
 */
export function proxy(request: NextRequest) {
  if (request.cookies.has("og_session")) return NextResponse.next();
  const url = request.nextUrl.clone();
  url.pathname = "/sign-in";
  url.search = `?next=${encodeURIComponent(request.nextUrl.pathname)}`;
  return NextResponse.redirect(url);
}

export const config = {
  // Pages only: not the API, not static assets, not the sign-in page itself.
  matcher: ["/((?!api/|_next/|vendor/|sign-in|favicon.ico).*)"],
};
