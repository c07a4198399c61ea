/**
 * The origin a browser reached this server at, for links built into an answer (presigned download URLs when
 * ARBOR_PUBLIC_URL is not set): the proxy's forwarded host and protocol when there is one (Next sets them
 * too), else the request URL's. Undefined when the headers make no valid http(s) origin.
 */
export function requestOrigin(headers: Headers, requestUrl?: string): string | undefined {
  const first = (name: string) => headers.get(name)?.split(",")[0]?.trim() || undefined;
  const fallback = requestUrl ? safeUrl(requestUrl) : undefined;
  const host = first("x-forwarded-host") ?? first("host") ?? fallback?.host;
  const protocol = first("x-forwarded-proto") ?? fallback?.protocol.replace(/:$/, "") ?? "http";
  if (!host || !/^https?$/.test(protocol)) return fallback?.origin;
  const url = safeUrl(`${protocol}://${host}`);
  // A host header with a path, credentials or junk in it is not an origin.
  if (!url || url.host !== host.toLowerCase() || url.pathname !== "/" || url.username) return fallback?.origin;
  return url.origin;
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
