import { afterEach, describe, expect, it, vi } from "vitest";
import {
  ApiError,
  apiGet,
  apiPatch,
  apiPost,
  apiPostText,
  apiPut,
  apiUpload,
  describeStatus,
  errorFromBody,
  errorFromResponse,
  messageOf,
  NETWORK_FAILURE,
  withQuery,
} from "./api-client";

const jsonResponse = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** Replaces `fetch` for one test with a function answering `answer` (or throwing it), recording the calls. */
function stubFetch(answer: Response | Error) {
  const fetchMock = vi.fn(async (_url: string, _init?: RequestInit) => {
    if (answer instanceof Error) throw answer;
    return answer;
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("errorFromResponse: the one error extraction", () => {
  it("takes the API's message verbatim, with its status and detail", async () => {
    const detail = { conflicts: [{ ancestor: "n02084071", descendant: "n02085620" }] };
    const error = await errorFromResponse(
      jsonResponse(422, { error: { status: 422, message: "1 ancestor/descendant conflict", detail } }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(422);
    expect(error.message).toBe("1 ancestor/descendant conflict");
    expect(error.detail).toEqual(detail);
  });

  it("has no detail when the API gave none", async () => {
    const error = await errorFromResponse(
      jsonResponse(404, { error: { status: 404, message: "no synset n99999999" } }),
    );
    expect(error.message).toBe("no synset n99999999");
    expect(error.detail).toBeUndefined();
  });

  it("reads a proxy's HTML 502 as the server not answering", async () => {
    const error = await errorFromResponse(
      new Response("<html><body><h1>502 Bad Gateway</h1></body></html>", {
        status: 502,
        statusText: "Bad Gateway",
        headers: { "content-type": "text/html" },
      }),
    );
    expect(error.status).toBe(502);
    expect(error.message).toBe("the server is not answering (HTTP 502 Bad Gateway); try again in a moment");
    expect(error.detail).toBeUndefined();
  });

  it("names the status itself when the answer has no status text (HTTP/2) and no body", async () => {
    const error = await errorFromResponse(new Response(null, { status: 500 }));
    expect(error.message).toBe("the server answered HTTP 500 Internal Server Error");
  });

  it("falls back to the status for JSON that is not the API's error body, or an empty message", () => {
    expect(errorFromBody(400, "", JSON.stringify({ message: "elsewhere" })).message).toBe(
      "the server answered HTTP 400 Bad Request",
    );
    expect(errorFromBody(400, "", JSON.stringify({ error: "a string" })).message).toBe(
      "the server answered HTTP 400 Bad Request",
    );
    expect(errorFromBody(409, "", JSON.stringify({ error: { message: " " } })).message).toBe(
      "the server answered HTTP 409 Conflict",
    );
    expect(errorFromBody(400, "", "[1,2]").message).toBe("the server answered HTTP 400 Bad Request");
  });
});

describe("describeStatus", () => {
  it("says what a bare status means", () => {
    expect(describeStatus(413)).toBe("the request is too large for the server (HTTP 413 Content Too Large)");
    expect(describeStatus(413, "Payload Too Large")).toBe(
      "the request is too large for the server (HTTP 413 Payload Too Large)",
    );
    expect(describeStatus(504)).toBe("the server is not answering (HTTP 504 Gateway Timeout); try again in a moment");
    expect(describeStatus(401)).toBe("sign in first (HTTP 401 Unauthorized)");
    expect(describeStatus(403)).toBe("not allowed (HTTP 403 Forbidden)");
    expect(describeStatus(418)).toBe("the server answered HTTP 418");
  });
});

describe("withQuery", () => {
  it("appends the given values and leaves out null and undefined", () => {
    expect(withQuery("/api/v1/x", { limit: 60, descendants: false, state: undefined, cursor: null })).toBe(
      "/api/v1/x?limit=60&descendants=false",
    );
    expect(withQuery("/api/v1/x", {})).toBe("/api/v1/x");
    expect(withQuery("/api/v1/x?a=1", { b: "c d" })).toBe("/api/v1/x?a=1&b=c+d");
  });
});

describe("the request helpers", () => {
  it("GET: answers the parsed JSON", async () => {
    const fetchMock = stubFetch(jsonResponse(200, { children: [{ wnid: "n1" }] }));
    await expect(apiGet("/api/v1/synsets/n0/children", { query: { limit: 5 } })).resolves.toEqual({
      children: [{ wnid: "n1" }],
    });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetchMock.mock.calls[0]?.[0]).toBe("/api/v1/synsets/n0/children?limit=5");
    expect(fetchMock.mock.calls[0]?.[1]?.method).toBe("GET");
    expect(fetchMock.mock.calls[0]?.[1]?.body).toBeUndefined();
  });

  it("POST and PUT: send the body as JSON", async () => {
    const fetchMock = stubFetch(jsonResponse(201, { ids: [4] }));
    await expect(apiPost("/api/v1/campaigns", { wnid: "n02084071" })).resolves.toEqual({ ids: [4] });
    expect(fetchMock.mock.calls[0]?.[1]).toMatchObject({
      method: "POST",
      body: '{"wnid":"n02084071"}',
      headers: { "content-type": "application/json" },
    });
    stubFetch(jsonResponse(200, { ok: true }));
    await apiPut("/api/v1/x", [1]);
    expect(vi.mocked(fetch).mock.calls[0]?.[1]).toMatchObject({ method: "PUT", body: "[1]" });
  });

  it("PATCH: sends the body as JSON", async () => {
    const fetchMock = stubFetch(jsonResponse(200, { id: 3 }));
    await expect(apiPatch("/api/v1/challenges/3", { title: "ILSVRC" })).resolves.toEqual({ id: 3 });
    expect(fetchMock.mock.calls[0]?.[1]).toMatchObject({
      method: "PATCH",
      body: '{"title":"ILSVRC"}',
      headers: { "content-type": "application/json" },
    });
  });

  it("POST text: sends the text as it is, as plain UTF-8 text unless told another type", async () => {
    const fetchMock = stubFetch(jsonResponse(202, { id: 7 }));
    const text = "1 2 3 4 5\n6 7 8 9 10\n";
    await expect(
      apiPostText("/api/v1/phases/2/submissions", text, undefined, { query: { format: "devkit" } }),
    ).resolves.toEqual({
      id: 7,
    });
    expect(fetchMock.mock.calls[0]?.[0]).toBe("/api/v1/phases/2/submissions?format=devkit");
    expect(fetchMock.mock.calls[0]?.[1]).toMatchObject({
      method: "POST",
      body: text,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
    stubFetch(jsonResponse(202, {}));
    await apiPostText("/api/v1/x", "{}", "application/x-ndjson");
    expect(vi.mocked(fetch).mock.calls[0]?.[1]?.headers).toEqual({ "content-type": "application/x-ndjson" });
  });

  it("POST text: a refusal's detail reaches the caller (a quota's next slot)", async () => {
    const detail = { nextSlotAt: "2030-01-02T00:00:00.000Z" };
    stubFetch(jsonResponse(429, { error: { status: 429, message: "no submissions left today", detail } }));
    const refusal = await apiPostText("/api/v1/phases/2/submissions", "x").catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ApiError);
    expect((refusal as ApiError).status).toBe(429);
    expect((refusal as ApiError).detail).toEqual(detail);
  });

  it("POST without a body sends none", async () => {
    const fetchMock = stubFetch(jsonResponse(200, { ok: true }));
    await apiPost("/api/v1/auth/logout");
    expect(fetchMock.mock.calls[0]?.[1]?.body).toBeUndefined();
    expect(fetchMock.mock.calls[0]?.[1]?.headers).toBeUndefined();
  });

  it("upload: sends the form as it is, leaving the multipart content type to the browser", async () => {
    const fetchMock = stubFetch(jsonResponse(202, { runId: 9 }));
    const form = new FormData();
    form.append("files", new Blob(["x"]), "a.jpg");
    await expect(apiUpload("/api/v1/synsets/n0/uploads", form)).resolves.toEqual({ runId: 9 });
    expect(fetchMock.mock.calls[0]?.[1]?.body).toBe(form);
    expect(fetchMock.mock.calls[0]?.[1]?.headers).toBeUndefined();
  });

  it("answers undefined for 204 No Content", async () => {
    stubFetch(new Response(null, { status: 204 }));
    await expect(apiGet("/api/v1/tasks/next", { cache: "no-store" })).resolves.toBeUndefined();
    expect(vi.mocked(fetch).mock.calls[0]?.[1]?.cache).toBe("no-store");
  });

  it("hands a success's headers to onHeaders, e.g. the reason a 204 gives", async () => {
    stubFetch(new Response(null, { status: 204, headers: { "arbor-idle-reason": "voted-all" } }));
    let reason: string | null = null;
    const body = await apiGet("/api/v1/tasks/next", {
      onHeaders: (headers) => (reason = headers.get("arbor-idle-reason")),
    });
    expect(body).toBeUndefined();
    expect(reason).toBe("voted-all");
  });

  it("rejects with the API's refusal", async () => {
    stubFetch(jsonResponse(409, { error: { status: 409, message: "the lease expired" } }));
    const refusal = await apiPost("/api/v1/tasks/t/answers", { positive: [] }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ApiError);
    expect((refusal as ApiError).status).toBe(409);
    expect((refusal as ApiError).message).toBe("the lease expired");
  });

  it("rejects a network failure as status 0 with a readable message", async () => {
    stubFetch(new TypeError("Failed to fetch"));
    const failure = await apiGet("/api/v1/exports/1").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(0);
    expect((failure as ApiError).message).toBe(NETWORK_FAILURE);
  });

  it("rejects a success that is not JSON", async () => {
    stubFetch(new Response("<html>login page</html>", { status: 200, headers: { "content-type": "text/html" } }));
    const failure = await apiGet("/api/v1/exports/1").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).message).toBe("unexpected answer from the server (HTTP 200, not JSON)");
  });

  it("passes a cancellation through as it is", async () => {
    const controller = new AbortController();
    controller.abort();
    const abort = new DOMException("The operation was aborted.", "AbortError");
    const fetchMock = stubFetch(abort);
    await expect(apiGet("/api/v1/exports/1", { signal: controller.signal })).rejects.toBe(abort);
    expect(fetchMock.mock.calls[0]?.[1]?.signal).toBe(controller.signal);
  });
});

describe("messageOf", () => {
  it("gives an error's message, or the thrown value as text", () => {
    expect(messageOf(new ApiError(404, "no export 3"))).toBe("no export 3");
    expect(messageOf(new Error("boom"))).toBe("boom");
    expect(messageOf("plain")).toBe("plain");
  });
});
