/**
 * The security headers of every answer (OWASP ASVS 14.4): a CSP, no framing (a foreign page once framed
 * /login), no MIME sniffing, no referrer beyond this origin. Pages get a per-request script nonce, since
 * Next streams inline hydration scripts; styles allow inline because React's `style={{…}}` attributes are
 * inline styles (CSS injection is not script execution).
 */
export function pageSecurityHeaders(nonce: string, dev: boolean): Record<string, string> {
  const csp = [
    "default-src 'self'",
    // 'strict-dynamic': scripts the nonce'd bootstrap loads are trusted; dev mode's React needs eval.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  return { "Content-Security-Policy": csp, ...COMMON };
}

/** API answers are data, never documents: nothing in them may run or be framed. */
export function apiSecurityHeaders(): Record<string, string> {
  return { "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; sandbox", ...COMMON };
}

const COMMON = {
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
};

/** 128 random bits, base64: what CSP nonces need (unguessable, new per request). */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
