namespace Qwen.Extensions.AI.Emulator;

/// <summary>A request the emulator received, kept for assertions.</summary>
public sealed class RecordedRequest
{
    private int _statusCode;

    internal RecordedRequest(string method, string path, IReadOnlyDictionary<string, string> headers, byte[] body, string requestId)
    {
        Method = method;
        Path = path;
        Headers = headers;
        Body = body;
        RequestId = requestId;
        ReceivedAt = DateTimeOffset.UtcNow;
        try
        {
            using var document = JsonDocument.Parse(body);
            Json = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            Json = null;
        }
    }

    /// <summary>Gets the HTTP method.</summary>
    public string Method { get; }

    /// <summary>Gets the request path, for example <c>/compatible-mode/v1/chat/completions</c>.</summary>
    public string Path { get; }

    /// <summary>Gets the request headers (names case-insensitive; repeated headers joined with a comma).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Gets the raw body bytes.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Gets the body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body.Span);

    /// <summary>Gets the parsed body, or <see langword="null"/> when it is not JSON.</summary>
    public JsonElement? Json { get; }

    /// <summary>Gets the id the emulator answered with (the <c>x-request-id</c> header; the body id is <c>chatcmpl-</c> + this).</summary>
    public string RequestId { get; }

    /// <summary>Gets when the request arrived.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>Gets the status code the emulator answered with (0 while the answer is being written or when the connection was cut first).</summary>
    public int StatusCode { get => Volatile.Read(ref _statusCode); internal set => Volatile.Write(ref _statusCode, value); }

    /// <summary>Gets the <c>model</c> of the body, if any.</summary>
    public string? Model => TryGetString("model");

    /// <summary>Gets a value indicating whether the body asked for a stream (<c>"stream": true</c>).</summary>
    public bool IsStreaming => Json is { ValueKind: JsonValueKind.Object } j && j.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;

    /// <summary>Gets the <c>messages</c> of the body (empty when absent).</summary>
    public IReadOnlyList<JsonElement> Messages =>
        Json is { ValueKind: JsonValueKind.Object } j && j.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Array ? [.. m.EnumerateArray()] : [];

    /// <summary>Gets the names of the <c>tools</c> in the body (empty when absent).</summary>
    public IReadOnlyList<string> ToolNames =>
        Json is { ValueKind: JsonValueKind.Object } j && j.TryGetProperty("tools", out var t) && t.ValueKind == JsonValueKind.Array
            ? [.. t.EnumerateArray().Select(x => x.TryGetProperty("function", out var f) && f.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty)]
            : [];

    /// <summary>Gets the text of the last <c>user</c> message (text parts joined), or <see langword="null"/> when there is none.</summary>
    public string? LastUserText
    {
        get
        {
            for (var i = Messages.Count - 1; i >= 0; i--)
            {
                var message = Messages[i];
                if (message.TryGetProperty("role", out var role) && role.ValueEquals("user"))
                {
                    return Behaviour.RequestFacts.TextOf(message);
                }
            }

            return null;
        }
    }

    /// <summary>Gets a top-level body property, or <see langword="null"/> when absent.</summary>
    /// <param name="name">The wire name, for example <c>enable_thinking</c>.</param>
    /// <returns>The value.</returns>
    public JsonElement? GetProperty(string name) =>
        Json is { ValueKind: JsonValueKind.Object } j && j.TryGetProperty(name, out var value) ? value : null;

    /// <inheritdoc />
    public override string ToString() => $"{Method} {Path} model={Model ?? "(none)"} stream={IsStreaming} status={StatusCode}";

    private string? TryGetString(string name) => GetProperty(name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
}
