import { describe, expect, it } from "vitest";
import { findSecrets } from "../../scripts/scan-secrets.mjs";

const token = `og_${"A1b2C3d4E5".repeat(4)}xyz`;

describe("the scan of a test run's output for secrets", () => {
  it("finds a full API token or session secret, a webhook secret, SQL parameters and password values", () => {
    const text = [
      "ok line",
      `Authorization: Bearer ${token}`,
      `cookie og_session=ogs_${"Zz9".repeat(15)}`,
      `signing with whsec_${"c2VjcmV0".repeat(3)}`,
      "Failed query: insert into principal values ($1, $2)",
      "params: 01a2,service,someone",
      '{"username":"root","password":"hunter2 hunter2"}',
    ].join("\n");
    expect(findSecrets(text).map((f) => [f.kind, f.line])).toEqual([
      ["API token or session secret", 2],
      ["API token or session secret", 3],
      ["webhook secret", 4],
      ["SQL parameter list", 6],
      ["password or secret field with a value", 7],
    ]);
    // The excerpt never carries the secret itself.
    for (const finding of findSecrets(text)) expect(finding.excerpt.length).toBeLessThanOrEqual(13);
  });

  it("lets through what is safe to print: a token's shown prefix, redacted fields, a word in prose", () => {
    const text = [
      "token og_a1b2c3 created",
      '{"password":"[redacted]","secret":"[redacted]"}',
      "the password was wrong (401)",
      "  ✓ refuses params that do not parse",
    ].join("\n");
    expect(findSecrets(text)).toEqual([]);
  });
});
