using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Qwen.Extensions.AI.TestUtilities;

/// <summary>Builds the client under test over a <see cref="FakeHttpHandler"/>, and runs a call on either path.</summary>
public static class TestClient
{
    /// <summary>The one fake key of the test suites (shaped so that secret scanners do not take it for a real DashScope key).</summary>
    public const string ApiKey = "sk-test-0123456789-abcdef-SECRET";

    public static readonly ChatMessage[] Hello = [new(ChatRole.User, "Hello")];

    public static QwenChatClient Create(FakeHttpHandler handler, string? defaultModelId = "qwen-plus") =>
        new(new QwenClientOptions { ApiKey = ApiKey, DefaultModelId = defaultModelId, MaxRetries = 0 }, new HttpClient(handler)); // Single exchanges; retries are tested in Http/RetryPolicyTests

    /// <summary>A client that sends each request once (MaxRetries = 0), for tests of how one error answer maps.</summary>
    public static QwenChatClient CreateWithoutRetries(FakeHttpHandler handler) =>
        new(new QwenClientOptions { ApiKey = ApiKey, DefaultModelId = "qwen-plus", MaxRetries = 0 }, new HttpClient(handler));

    /// <summary>A client with the library's default retries and timeouts, over the handler, with real time.</summary>
    public static QwenChatClient WithDefaults(FakeHttpHandler handler, Action<QwenClientOptions>? configure = null)
    {
        var options = new QwenClientOptions { ApiKey = ApiKey, DefaultModelId = "qwen-plus" };
        configure?.Invoke(options);
        return new QwenChatClient(options, new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan });
    }

    /// <summary>A client whose retry waits go through <paramref name="clock"/> (instant, recorded); timeouts off.</summary>
    public static QwenChatClient WithClock(FakeHttpHandler handler, RecordingTimeProvider clock, Action<QwenClientOptions>? configure = null) =>
        WithDefaults(handler, o =>
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

    /// <summary>Calls <see cref="IChatClient.GetResponseAsync"/>, or streams and aggregates, so one test body covers both paths.</summary>
    public static async Task<ChatResponse> GetAsync(IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions? options, bool streaming)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return streaming
            ? await client.GetStreamingResponseAsync(messages, options, cts.Token).ToChatResponseAsync(cts.Token)
            : await client.GetResponseAsync(messages, options, cts.Token);
    }

    public static async Task<List<ChatResponseUpdate>> StreamAsync(IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions? options = null)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, options, cts.Token))
        {
            updates.Add(update);
        }

        return updates;
    }

    /// <summary>Sends one request on the chosen path (answered with a minimal reply) and returns the body the client sent.</summary>
    public static async Task<JsonElement> CaptureRequestAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, bool streaming)
    {
        var handler = new FakeHttpHandler(streaming ? CannedResponse.MinimalStream() : CannedResponse.MinimalCompletion());
        using var client = Create(handler);
        await GetAsync(client, messages, options, streaming);
        return handler.SingleRequest.Json;
    }

    /// <summary>
    /// Asserts the request body on the chosen path equals <paramref name="nonStreamingGolden"/>; streaming expects the same
    /// plus <c>"stream":true,"stream_options":{"include_usage":true}</c>.
    /// </summary>
    public static async Task AssertRequestAsync(string nonStreamingGolden, IEnumerable<ChatMessage> messages, ChatOptions? options, bool streaming)
    {
        var actual = await CaptureRequestAsync(messages, options, streaming);
        JsonAssert.Equal(ForPath(nonStreamingGolden, streaming), actual);
    }

    /// <summary>The golden for a path: streaming adds the stream fields.</summary>
    public static string ForPath(string nonStreamingGolden, bool streaming)
    {
        if (!streaming)
        {
            return nonStreamingGolden;
        }

        var node = JsonNode.Parse(nonStreamingGolden)!.AsObject();
        node["stream"] = true;
        node["stream_options"] = new JsonObject { ["include_usage"] = true };
        return node.ToJsonString();
    }
}
