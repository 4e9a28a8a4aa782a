// What must never appear in anything a test run prints (issue #12): API tokens and session
// secrets in full, webhook secrets, SQL parameter lists, and password or secret fields with a
// value. A test may name a token's shown prefix (`og_abc123`), never the whole of it.
const RULES = [
  { kind: "API token or session secret", pattern: /\bogs?_[A-Za-z0-9_-]{40,}/g },
  { kind: "webhook secret", pattern: /\bwhsec_[A-Za-z0-9+/=_-]{16,}/g },
  { kind: "SQL parameter list", pattern: /^\s*params: .+$/gm },
  {
    kind: "password or secret field with a value",
    pattern: /"(?:password|secret|secretKey|masterKey)"\s*:\s*"(?!\[redacted\]")[^"]+"/gi,
  },
];

/** Every finding in `text`: its kind, line number and an excerpt cut before the secret's tail. */
export function findSecrets(text) {
  const findings = [];
  for (const { kind, pattern } of RULES) {
    for (const match of text.matchAll(pattern)) {
      const line = text.slice(0, match.index).split("\n").length;
      findings.push({ kind, line, excerpt: `${match[0].trim().slice(0, 12)}…` });
    }
  }
  return findings;
}
