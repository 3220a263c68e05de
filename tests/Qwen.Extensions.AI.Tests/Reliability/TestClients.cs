using Microsoft.Extensions.AI;

namespace Qwen.Extensions.AI.Tests.Reliability;

internal static class TestClients
{
    public static readonly ChatMessage[] Hello = [new(ChatRole.User, "Hello")];

    /// <summary>A client over the scripted handler, with real time.</summary>
    public static QwenChatClient Create(ScriptedHandler handler, Action<QwenClientOptions>? configure = null)
    {
        var options = new QwenClientOptions { ApiKey = Payloads.ApiKey, DefaultModelId = "qwen-plus" };
        configure?.Invoke(options);
        return new QwenChatClient(options, new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan });
    }

    /// <summary>A client whose retry waits go through <paramref name="clock"/> (instant, recorded); timeouts off.</summary>
    public static QwenChatClient WithClock(ScriptedHandler handler, RecordingTimeProvider clock, Action<QwenClientOptions>? configure = null) =>
        Create(handler, o =>
        {
            o.TimeProvider = clock;
            o.RequestTimeout = Timeout.InfiniteTimeSpan;
            o.StreamingHeadersTimeout = Timeout.InfiniteTimeSpan;
            o.StreamingIdleTimeout = Timeout.InfiniteTimeSpan;
            configure?.Invoke(o);
        });

    public static async Task<List<ChatResponseUpdate>> DrainAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in updates)
        {
            list.Add(update);
        }

        return list;
    }
}
