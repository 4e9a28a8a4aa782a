import { OmniglassError } from "./errors";

/**
 * Page tokens are opaque to clients: base64url of a JSON array of the sort key values of the last
 * row of the page. A token that does not decode to what the list expects is a 400 on `page_token`.
 */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values), "utf8").toString("base64url");
}

export function decodeCursor(token: string, arity: number): (string | number)[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch (cause) {
    throw invalidToken(cause);
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== arity ||
    !parsed.every((v) => typeof v === "string" || typeof v === "number")
  ) {
    throw invalidToken();
  }
  return parsed as (string | number)[];
}

function invalidToken(cause?: unknown) {
  return new OmniglassError("INVALID", "page_token is not a token this list issued", {
    cause,
    fieldErrors: [
      { field: "page_token", message: "Not a token this list issued; start again without it." },
    ],
  });
}
