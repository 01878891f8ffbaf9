// Secret redaction of prompts kept in git notes (`notes add --with-prompts`): each pattern the redactor knows, with a
// realistic credential of that shape, is replaced by [REDACTED] while the prompt's other words stay; ordinary text
// that merely mentions keys or tokens is left alone; a long hostile input is handled in linear time.

import { describe, expect, it } from "vitest";
import { REDACTED, redactSecrets } from "../../src/git/redact";

const cases: Array<[string, string, string]> = [
  ["PEM private key", "use this key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----\nthanks", `use this key:\n${REDACTED}\nthanks`],
  ["OpenSSH private key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", REDACTED],
  ["unterminated private key", "key: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC", `key: ${REDACTED}`],
  ["AWS access key id", "my id is AKIAIOSFODNN7EXAMPLE ok", `my id is ${REDACTED} ok`],
  ["GitHub token", "push with ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8 please", `push with ${REDACTED} please`],
  ["GitHub fine-grained PAT", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", REDACTED],
  ["GitLab token", "glpat-xxxxXXXXxxxxXXXXxxxx", REDACTED],
  ["OpenAI key", "OPENAI key sk-proj-abcdefghijklmnopqrstuvwxyz0123456789", `OPENAI key ${REDACTED}`],
  ["Anthropic key", "sk-ant-api03-abcdefghijklmnopqrstuvwxyz_0123456789-AAAA", REDACTED],
  ["Slack token", "xoxb-123456789012-1234567890123-abcdefghijklmnop", REDACTED],
  ["Google API key", "AIzaSyA1234567890abcdefghijklmnopqrstuv", REDACTED],
  ["Stripe key", "sk_live_51H8abcdefghijklmnopqrstu", REDACTED],
  ["npm token", "npm_abcdefghijklmnopqrstuvwxyz0123456789", REDACTED],
  ["JWT", "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", `token ${REDACTED}`],
  ["Bearer header", "curl -H 'Authorization: Bearer abcdef0123456789abcdef'", "curl -H 'Authorization: [REDACTED]'"],
  ["URL password", "clone https://bob:hunter2secret@git.example.com/x.git", `clone https://bob:${REDACTED}@git.example.com/x.git`],
  [".env assignment", "DATABASE_PASSWORD=s3cr3t-value\nDEBUG=true", `DATABASE_PASSWORD=${REDACTED}\nDEBUG=true`],
  ["export assignment", "export API_KEY=abc123def456", `export API_KEY=${REDACTED}`],
  ["quoted JSON secret", '{"client_secret": "shh-very-secret", "name": "app"}', `{"client_secret": "${REDACTED}", "name": "app"}`],
  ["YAML token", "auth_token: 9f8e7d6c5b4a", `auth_token: ${REDACTED}`],
];

describe("redactSecrets", () => {
  it.each(cases)("redacts %s", (_name, input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it("leaves prompts without credentials as they are", () => {
    const prompts = [
      "Add a `list` command that prints today's entries, and write a README with usage.",
      "Rename the key column to name and explain the token bucket in the docs",
      "Set DEBUG=true in the example and retry=3",
    ];
    for (const p of prompts) expect(redactSecrets(p)).toBe(p);
  });

  it("handles long hostile input in one pass", () => {
    const hostile = `${"a_key".repeat(100)}=${"x".repeat(400)} ${"sk-".repeat(200)} ${"-----BEGIN PRIVATE KEY-----".repeat(5)}`;
    const out = redactSecrets(hostile);
    expect(out).toContain(REDACTED);
    expect(out.length).toBeLessThan(hostile.length);
  });
});
