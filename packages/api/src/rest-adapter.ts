import { TRPCError } from "@trpc/server";
import { createOpenApiNodeHttpHandler, type OpenApiRouter } from "trpc-to-openapi";
import type { Context } from "./context";

/*
 * A Fetch-API front for trpc-to-openapi's request handler, built once per router. The package's
 * own fetch adapter builds a new handler for every request, and outside production each build
 * generates the whole OpenAPI document to validate the router (0.2–0.5 s a request for ours).
 * Here the handler, its validation and its procedure table are made once; each request brings
 * its context on the response carrier the handler is given.
 */

type ResponseMeta = NonNullable<Parameters<typeof createOpenApiNodeHttpHandler>[0]["responseMeta"]>;

interface Carrier {
  context: Context;
  statusCode: number;
  setHeader(name: string, value: string | string[]): void;
  end(body?: string): void;
}

type Body = { valid: true; data: unknown } | { valid: false; cause: unknown };

/** The body as the handler reads it: JSON parsed here (a body that is not JSON is a parse error). */
async function readBody(req: Request): Promise<Body> {
  const type = req.headers.get("content-type") ?? "";
  try {
    if (type.includes("application/json"))
      return { valid: true, data: JSON.parse(await req.text()) };
    if (type.includes("application/x-www-form-urlencoded")) {
      const params = new URLSearchParams(await req.text());
      const data: Record<string, string[]> = {};
      for (const key of params.keys()) data[key] = params.getAll(key);
      return { valid: true, data };
    }
    return { valid: true, data: req.body };
  } catch (cause) {
    return { valid: false, cause };
  }
}

export function createRestAdapter({
  router,
  endpoint,
  responseMeta,
}: {
  router: OpenApiRouter;
  endpoint: string;
  responseMeta: ResponseMeta;
}): (req: Request, context: Context) => Promise<Response> {
  const handle = createOpenApiNodeHttpHandler({
    router,
    createContext: ({ res }: { res: unknown }) => (res as Carrier).context,
    responseMeta,
  } as Parameters<typeof createOpenApiNodeHttpHandler>[0]);

  return async (req, context) => {
    const url = new URL(req.url.replace(endpoint, "")).toString();
    const body = await readBody(req);
    // The handler reads `url` and `body` (node-style); everything else is the Request's own.
    const shaped = new Proxy(req, {
      get: (target, prop) => {
        if (prop === "url") return url;
        if (prop === "body") {
          if (!body.valid)
            throw new TRPCError({
              code: "PARSE_ERROR",
              message: "Failed to parse request body",
              cause: body.cause,
            });
          return body.data;
        }
        return (target as unknown as Record<string | symbol, unknown>)[prop];
      },
    });
    return new Promise<Response>((resolve, reject) => {
      const headers = new Headers();
      const carrier: Carrier = {
        context,
        statusCode: 200,
        setHeader: (name, value) => {
          if (typeof value === "string") headers.set(name, value);
          else for (const v of value) headers.append(name, v);
        },
        end: (text) => resolve(new Response(text, { headers, status: carrier.statusCode })),
      };
      (handle as (req: unknown, res: unknown) => Promise<void>)(shaped, carrier).catch(reject);
    });
  };
}
