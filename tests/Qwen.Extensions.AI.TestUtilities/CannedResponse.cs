using System.Net;
using System.Text;

namespace Qwen.Extensions.AI.TestUtilities;

/// <summary>Bytes the <see cref="FakeHttpHandler"/> answers with, exactly as given: a status, headers and a body.</summary>
public sealed class CannedResponse
{
    public const string DefaultRequestId = "5a0f8e43-1d2c-9f3b-a7e1-0c2d4e6f8a9b";

    public HttpStatusCode Status { get; init; } = HttpStatusCode.OK;

    public byte[] Body { get; init; } = [];

    public string ContentType { get; init; } = "application/json";

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When set, the body stream throws an <see cref="IOException"/> after this many bytes (a connection reset).</summary>
    public int? ResetAfterBytes { get; init; }

    public static CannedResponse Json(string json, HttpStatusCode status = HttpStatusCode.OK, string? requestId = DefaultRequestId) =>
        WithRequestId(new CannedResponse { Status = status, Body = Encoding.UTF8.GetBytes(json), ContentType = "application/json" }, requestId);

    public static CannedResponse Sse(string sse, string? requestId = DefaultRequestId) =>
        WithRequestId(new CannedResponse { Body = Encoding.UTF8.GetBytes(sse), ContentType = "text/event-stream" }, requestId);

    public static CannedResponse JsonFixture(string path, HttpStatusCode status = HttpStatusCode.OK, string? requestId = DefaultRequestId) =>
        Json(Fixture.Text(path), status, requestId);

    public static CannedResponse SseFixture(string path, string? requestId = DefaultRequestId) => Sse(Fixture.Text(path), requestId);

    /// <summary>A DashScope error body <c>{"error":{...},"request_id":...}</c> with the given status.</summary>
    public static CannedResponse Error(HttpStatusCode status, string code, string type, string message, string? param = null, string? requestId = DefaultRequestId)
    {
        var paramJson = param is null ? "null" : $"\"{param}\"";
        var body = $$"""{"error":{"message":{{System.Text.Json.JsonSerializer.Serialize(message)}},"type":"{{type}}","param":{{paramJson}},"code":"{{code}}"},"id":"chatcmpl-{{requestId}}","request_id":"{{requestId}}"}""";
        return Json(body, status, requestId);
    }

    /// <summary>A minimal successful non-streaming completion.</summary>
    public static CannedResponse MinimalCompletion(string text = "ok") =>
        Json($$"""{"choices":[{"message":{"role":"assistant","content":"{{text}}"},"finish_reason":"stop","index":0,"logprobs":null}],"object":"chat.completion","usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6},"created":1715252778,"system_fingerprint":null,"model":"qwen-plus","id":"chatcmpl-min"}""");

    /// <summary>A minimal successful stream.</summary>
    public static CannedResponse MinimalStream(string text = "ok") => Sse(
        $$"""
        data: {"choices":[{"delta":{"content":"{{text}}","role":"assistant"},"index":0,"finish_reason":null}],"object":"chat.completion.chunk","usage":null,"created":1715931028,"model":"qwen-plus","id":"chatcmpl-min"}

        data: {"choices":[{"delta":{},"index":0,"finish_reason":"stop"}],"object":"chat.completion.chunk","usage":null,"created":1715931028,"model":"qwen-plus","id":"chatcmpl-min"}

        data: {"choices":[],"object":"chat.completion.chunk","usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6},"created":1715931028,"model":"qwen-plus","id":"chatcmpl-min"}

        data: [DONE]


        """);

    private static CannedResponse WithRequestId(CannedResponse response, string? requestId)
    {
        if (requestId is not null)
        {
            response.Headers["x-request-id"] = requestId;
        }

        return response;
    }
}
