using System.Text.Json;
using Qwen.Extensions.AI.Emulator;

namespace Qwen.Extensions.AI.TestUtilities;

/// <summary>A scripted reply: text (with optional reasoning) or tool calls.</summary>
public sealed record Reply(string? Content = null, string? Reasoning = null, IReadOnlyList<(string Id, string Name, string Arguments)>? ToolCalls = null)
{
    public static Reply Text(string content, string? reasoning = null) => new(content, reasoning);

    public static Reply Call(string name, string argumentsJson, string id = "call_1") => new(ToolCalls: [(id, name, argumentsJson)]);

    internal EmulatorReply ToEmulatorReply() => new()
    {
        Content = Content,
        ReasoningContent = Reasoning,
        ToolCalls = ToolCalls is null ? [] : [.. ToolCalls.Select(c => new EmulatorToolCall(c.Name, c.Arguments, c.Id))],
    };
}

/// <summary>
/// The loopback emulator (real sockets) seen by these tests: scripted replies in, recorded request bodies and
/// Authorization headers out. Requests without a scripted reply get the emulator's default behaviour.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly QwenEmulator _emulator;

    private EmulatorServer(QwenEmulator emulator) => _emulator = emulator;

    public Uri Endpoint => _emulator.Endpoint;

    public string ApiKey => _emulator.ApiKey;

    public IReadOnlyList<JsonElement> Requests =>
        [.. _emulator.Requests.Where(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)).Select(r => r.Json ?? throw new InvalidOperationException($"Request body was not JSON: {r.BodyText}"))];

    /// <summary>The bodies of the <c>/embeddings</c> requests, oldest first (<see cref="Requests"/> holds the chat ones).</summary>
    public IReadOnlyList<JsonElement> EmbeddingRequests =>
        [.. _emulator.Requests.Where(r => r.Path.EndsWith("/embeddings", StringComparison.Ordinal)).Select(r => r.Json ?? throw new InvalidOperationException($"Request body was not JSON: {r.BodyText}"))];

    /// <summary>The bodies of the <c>POST /responses</c> requests (Responses API), oldest first.</summary>
    public IReadOnlyList<JsonElement> ResponsesRequests =>
        [.. _emulator.Requests.Where(r => r.Method == "POST" && r.Path.TrimEnd('/').EndsWith("/responses", StringComparison.Ordinal)).Select(r => r.Json ?? throw new InvalidOperationException($"Request body was not JSON: {r.BodyText}"))];

    public IReadOnlyList<string?> Authorizations =>
        [.. _emulator.Requests.Select(r => r.Headers.TryGetValue("Authorization", out var value) ? value : null)];

    public static async Task<EmulatorServer> StartAsync(string? apiKey = null)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var options = new QwenEmulatorOptions();
        if (apiKey is not null)
        {
            options.ApiKey = apiKey;
        }

        return new EmulatorServer(await QwenEmulator.StartAsync(options, cts.Token));
    }

    public void Enqueue(params Reply[] replies) => _emulator.Enqueue([.. replies.Select(r => r.ToEmulatorReply())]);

    public ValueTask DisposeAsync() => _emulator.DisposeAsync();
}
