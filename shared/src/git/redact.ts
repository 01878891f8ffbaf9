// Secret redaction for prompts written into git notes (`notes add --with-prompts`): notes are pushed to shared
// remotes, so anything that looks like a credential is replaced by [REDACTED] before a prompt is stored. Input is at
// most 500 characters and every pattern is linear (bounded repeats, no nested quantifiers over one class); names of
// `.env`-style assignments are matched by a plain scan, not a regex with alternation inside repetition.

export const REDACTED = "[REDACTED]";

/** Token shapes of well-known providers (each a self-contained credential). */
const TOKEN_PATTERNS: RegExp[] = [
  /-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]{0,40}PRIVATE KEY-----|$)/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key id
  /\bgh[pousr]_[A-Za-z0-9]{30,255}/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,255}/g,
  /\bglpat-[A-Za-z0-9_-]{20,255}/g, // GitLab
  /\bsk-[A-Za-z0-9_-]{20,255}/g, // OpenAI, Anthropic (sk-ant-…), other sk- keys
  /\bxox[abprs]-[A-Za-z0-9-]{10,255}/g, // Slack
  /\bAIza[0-9A-Za-z_-]{35}/g, // Google API key
  /\b[rs]k_(?:live|test)_[0-9A-Za-z]{16,255}/g, // Stripe
  /\bnpm_[A-Za-z0-9]{36}/g, // npm
  /\beyJ[A-Za-z0-9_-]{8,2000}\.[A-Za-z0-9_-]{8,2000}\.[A-Za-z0-9_-]{8,2000}/g, // JWT
  /\bBearer\s+[A-Za-z0-9._~+/-]{16,2000}=*/gi,
];

/** `scheme://user:password@host`: the password goes. */
const URL_PASSWORD = /(:\/\/[^/\s:@]{1,128}):[^/\s@]{1,256}@/g;

/** `NAME=value` / `NAME: value` / `"name": "value"` where the name says it holds a secret. */
const ASSIGNMENT = /([A-Za-z_][A-Za-z0-9_.-]{0,80})(["']?\s{0,4}[=:]\s{0,4})("[^"\n]{0,500}"|'[^'\n]{0,500}'|[^\s"',;]{1,500})/g;
const SECRET_NAME_PARTS = ["key", "token", "secret", "password", "passwd", "pwd", "credential", "auth", "private"];

function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_NAME_PARTS.some((part) => lower.includes(part));
}

/** The text with credentials replaced by [REDACTED]. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const pattern of TOKEN_PATTERNS) out = out.replace(pattern, REDACTED);
  out = out.replace(URL_PASSWORD, `$1:${REDACTED}@`);
  out = out.replace(ASSIGNMENT, (whole, name: string, sep: string, value: string) => {
    if (!isSecretName(name) || value === REDACTED || value.length === 0) return whole;
    const quote = value.startsWith('"') || value.startsWith("'") ? value[0] : "";
    return `${name}${sep}${quote}${REDACTED}${quote}`;
  });
  return out;
}
