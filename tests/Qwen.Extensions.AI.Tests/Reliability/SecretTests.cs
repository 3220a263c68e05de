using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Qwen.Extensions.AI.Tests.Reliability;

/// <summary>The API key never shows in exceptions, ToString, logs (incl. MEAI UseLogging at Trace) or telemetry; no key over plain http to a remote host.</summary>
public sealed class SecretTests
{
    private const string Key = TestClient.ApiKey;

    [Fact]
    public async Task ServiceErrorEchoingTheKeyIsRedactedInTheException()
    {
        var handler = new FakeHttpHandler().ThenStatus(HttpStatusCode.Unauthorized, "{\"error\":{\"message\":\"Incorrect API key provided: " + Key + ". \",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"},\"request_id\":\"req-401\"}");
        using var client = TestClient.WithDefaults(handler);

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(TestClient.Hello));

        Assert.Equal("invalid_api_key", ex.ErrorCode);
        Assert.Equal("req-401", ex.RequestId);
        AssertNoKey(ex.ToString());
        AssertNoKey(ex.ServiceMessage);
    }

    [Fact]
    public async Task ConnectionFailureMentioningTheKeyIsRedacted()
    {
        var handler = new FakeHttpHandler().Always((_, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "proxy said: bad header Bearer " + Key));
        using var client = TestClient.WithDefaults(handler, o => o.MaxRetries = 0);

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(TestClient.Hello));

        AssertNoKey(ex.Message);
    }

    [Fact]
    public void ClientAndOptionsToStringNeverShowTheKey()
    {
        var options = new QwenClientOptions { ApiKey = Key, DefaultModelId = "qwen-plus" };
        using var client = new QwenChatClient(options);

        AssertNoKey(options.ToString());
        AssertNoKey(client.ToString());
        Assert.Contains("***", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogsAtEveryLevelIncludingMeaiUseLoggingAtTraceNeverShowTheKey()
    {
        var logs = new CapturingLoggerProvider();
        var handler = new FakeHttpHandler()
            .ThenStatus(HttpStatusCode.ServiceUnavailable)
            .ThenCompletion("ok")
            .ThenStatus(HttpStatusCode.Unauthorized, "{\"error\":{\"message\":\"Incorrect API key provided: " + Key + "\",\"code\":\"invalid_api_key\"}}")
            .ThenStream(Payloads.Reply("str", "eam"));
        using var inner = TestClient.WithDefaults(handler, o =>
        {
            o.LoggerFactory = logs;
            o.RetryBaseDelay = TimeSpan.Zero;
        });
        using var client = new ChatClientBuilder(inner).UseLogging(logs).Build();

        await client.GetResponseAsync(TestClient.Hello, new ChatOptions { Temperature = 0.1f });
        await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(TestClient.Hello));
        await TestClient.DrainAsync(client.GetStreamingResponseAsync(TestClient.Hello));

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Trace); // UseLogging really logged at Trace
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning); // and the retry was logged
        AssertNoKey(logs.AllText);
    }

    [Fact]
    public async Task OpenTelemetryTagsNeverShowTheKey()
    {
        var tags = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (tags)
                {
                    tags.Add(a.DisplayName);
                    tags.AddRange(a.TagObjects.Select(t => $"{t.Key}={t.Value}"));
                    tags.AddRange(a.Events.SelectMany(e => e.Tags.Select(t => $"{t.Key}={t.Value}")));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var handler = new FakeHttpHandler()
            .ThenCompletion("ok")
            .ThenStatus(HttpStatusCode.Unauthorized, "{\"error\":{\"message\":\"Incorrect API key provided: " + Key + "\",\"code\":\"invalid_api_key\"}}");
        using var inner = TestClient.WithDefaults(handler);
        using var client = new ChatClientBuilder(inner).UseOpenTelemetry(sourceName: "qwen-secret-test", configure: c => c.EnableSensitiveData = true).Build();

        await client.GetResponseAsync(TestClient.Hello);
        await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(TestClient.Hello));

        lock (tags)
        {
            Assert.Contains(tags, t => t.StartsWith("gen_ai.", StringComparison.Ordinal));
            AssertNoKey(string.Join("\n", tags));
        }
    }

    [Fact]
    public async Task PlainHttpToARemoteHostIsRefusedUnlessOptedIn()
    {
        var ex = Assert.Throws<ArgumentException>(() => new QwenChatClient(new QwenClientOptions { ApiKey = Key, Endpoint = new Uri("http://dashscope.example.com/compatible-mode/v1") }));
        Assert.Contains("AllowInsecureHttp", ex.Message, StringComparison.Ordinal);
        AssertNoKey(ex.Message);

        var handler = new FakeHttpHandler(CannedResponse.MinimalCompletion());
        using var optedIn = new QwenChatClient(
            new QwenClientOptions { ApiKey = Key, Endpoint = new Uri("http://dashscope.example.com/compatible-mode/v1"), AllowInsecureHttp = true, DefaultModelId = "qwen-plus" },
            new HttpClient(handler));
        await optedIn.GetResponseAsync("hi");
        Assert.Equal("http://dashscope.example.com/compatible-mode/v1/chat/completions", handler.SingleRequest.Uri.ToString());
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/compatible-mode/v1")]
    [InlineData("http://localhost:5000/compatible-mode/v1")]
    [InlineData("http://[::1]:5000/compatible-mode/v1")]
    public async Task PlainHttpToLoopbackIsAllowed(string endpoint)
    {
        var handler = new FakeHttpHandler(CannedResponse.MinimalCompletion());
        using var client = new QwenChatClient(new QwenClientOptions { ApiKey = Key, Endpoint = new Uri(endpoint), DefaultModelId = "qwen-plus" }, new HttpClient(handler));
        await client.GetResponseAsync("hi");
        Assert.Equal(endpoint + "/chat/completions", handler.SingleRequest.Uri.ToString());
    }

    [Fact]
    public async Task RequestIdsAreKeptOnHttpErrorsInStreamErrorsAndCutStreams()
    {
        var handler = new FakeHttpHandler()
            .Then(() => FakeHttpHandler.Json(HttpStatusCode.BadRequest, "{\"error\":{\"message\":\"bad\",\"code\":\"invalid_parameter_error\"}}", "req-header"))
            .ThenStatus(HttpStatusCode.BadRequest, "{\"error\":{\"message\":\"bad\",\"code\":\"invalid_parameter_error\"},\"request_id\":\"req-body\"}")
            .Then(() => FakeHttpHandler.Sse(new MemoryStream(Payloads.SseBytes(Payloads.Chunk("a"), "{\"error\":{\"message\":\"Output data may contain inappropriate content.\",\"code\":\"data_inspection_failed\"}}")), "req-stream"))
            .Then(() => FakeHttpHandler.Sse(new ScriptedStream(Payloads.SseBytes(Payloads.Chunk("a")), StreamEnd.Close), "req-cut"));
        using var client = TestClient.WithDefaults(handler);

        Assert.Equal("req-header", (await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(TestClient.Hello))).RequestId);
        Assert.Equal("req-body", (await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(TestClient.Hello))).RequestId);
        var inStream = await Assert.ThrowsAsync<QwenApiException>(() => TestClient.DrainAsync(client.GetStreamingResponseAsync(TestClient.Hello)));
        Assert.Equal("req-stream", inStream.RequestId);
        Assert.Equal("data_inspection_failed", inStream.ErrorCode);
        Assert.Equal("req-cut", (await Assert.ThrowsAsync<QwenApiException>(() => TestClient.DrainAsync(client.GetStreamingResponseAsync(TestClient.Hello)))).RequestId);
    }

    [Fact]
    public void KeyWithWhitespaceIsRefusedWithoutShowingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => new QwenChatClient(new QwenClientOptions { ApiKey = Key + "\n" }));
        AssertNoKey(ex.ToString());
    }

    private static void AssertNoKey(string? text)
    {
        Assert.DoesNotContain(Key, text ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdefSECRET", text ?? string.Empty, StringComparison.Ordinal);
    }
}
