using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Emulator;

namespace Qwen.Extensions.AI.IntegrationTests.Reliability;

/// <summary>One test per fault from the reliability issue, against the loopback emulator: the outcome, the request count, no leak.</summary>
public sealed class FaultInjectionTests : FaultTestBase
{
    /// <summary>How soon a cancelled call must end: generous for a loaded 2-core machine, yet far below the 30 s the server would make it wait.</summary>
    private static readonly TimeSpan PromptCancellation = TimeSpan.FromSeconds(5);

    private const string Chunk = """{"choices":[{"delta":{"content":"partial "},"finish_reason":null,"index":0,"logprobs":null}],"object":"chat.completion.chunk","usage":null,"created":1724729595,"model":"qwen-plus","id":"chatcmpl-f"}""";

    [Fact]
    public async Task Throttled429WithRetryAfterIsWaitedOutThenSucceeds()
    {
        Emulator.Enqueue(EmulatorReply.Fail(429, "limit_requests", "Requests rate limit exceeded, please try again later.", "limit_requests") with { RetryAfter = TimeSpan.FromSeconds(1) }, EmulatorReply.Default());
        var client = CreateClient();
        var watch = Stopwatch.StartNew();

        var response = await Bounded(client.GetResponseAsync(Prompt));

        Assert.Equal(ExpectedText, response.Text);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.95), $"waited only {watch.Elapsed}");
        Assert.Equal([429, 200], Emulator.Requests.Select(r => r.StatusCode));
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task InsufficientQuota429IsATokenThrottleRetriedThenSucceeds()
    {
        // DashScope's tokens-per-minute throttle (dashscope-more.md section 8): retried with the normal backoff, not a fixed minute.
        Emulator.Enqueue(EmulatorReply.Fail(429, "insufficient_quota", "You exceeded your current quota, please check your plan and billing details. For details, see: https://help.aliyun.com/zh/model-studio/error-code#token-limit", "insufficient_quota"), EmulatorReply.Default());
        var client = CreateClient();

        var response = await Bounded(client.GetResponseAsync(Prompt));

        Assert.Equal(ExpectedText, response.Text);
        Assert.Equal([429, 200], Emulator.Requests.Select(r => r.StatusCode));
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task OverdueBill429IsNotRetried()
    {
        Emulator.Enqueue(EmulatorReply.Fail(429, "PrepaidBillOverdue", "The prepaid bill is overdue.", "PrepaidBillOverdue"), EmulatorReply.Default());
        var client = CreateClient();

        var ex = await ThrowsBounded<QwenApiException>(() => client.GetResponseAsync(Prompt));

        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.Equal("PrepaidBillOverdue", ex.ErrorCode);
        Assert.Equal(Emulator.Requests[0].RequestId, ex.RequestId);
        Assert.Single(Emulator.Requests);
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task Overloaded503TwiceThenSucceeds()
    {
        var overloaded = EmulatorReply.Fail(503, "ModelUnavailable", "The engine is currently overloaded, please try again later", "ModelUnavailable");
        Emulator.Enqueue(overloaded, overloaded, EmulatorReply.Default());
        var client = CreateClient();

        var updates = await Bounded(StreamAsync(client));

        Assert.Equal(ExpectedText, string.Concat(updates.Select(u => u.Text)));
        Assert.Equal([503, 503, 200], Emulator.Requests.Select(r => r.StatusCode));
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task ServerErrorOnEveryAttemptGivesUpAfterTheLimitWithTheLastError()
    {
        var failure = EmulatorReply.Fail(500, "internal_error", "An internal error has occured, please try again later or contact service support.", "internal_error");
        Emulator.Enqueue(failure, failure, failure, EmulatorReply.Default());
        var client = CreateClient();

        var ex = await ThrowsBounded<QwenApiException>(() => client.GetResponseAsync(Prompt));

        Assert.Equal(3, Emulator.Requests.Count);
        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Equal("internal_error", ex.ErrorCode);
        Assert.Equal(Emulator.Requests[2].RequestId, ex.RequestId);
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task ConnectionResetBeforeHeadersIsRetried()
    {
        Emulator.Enqueue(EmulatorReply.Disconnect(), EmulatorReply.Default());
        var client = CreateClient();

        var response = await Bounded(client.GetResponseAsync(Prompt));

        Assert.Equal(ExpectedText, response.Text);
        Assert.Equal(2, Emulator.Requests.Count);
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task ConnectionResetBeforeHeadersOnEveryAttemptSurfacesAsQwenApiExceptionWrappingHttpRequestException()
    {
        Emulator.Enqueue(EmulatorReply.Disconnect(), EmulatorReply.Disconnect(), EmulatorReply.Disconnect(), EmulatorReply.Default());
        var client = CreateClient();

        var ex = await ThrowsBounded<QwenApiException>(() => StreamAsync(client));

        Assert.Null(ex.StatusCode);
        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.Equal(3, Emulator.Requests.Count);
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task StreamResetAfterNEventsSurfacesAfterThePartialOutputAndIsNotRetried()
    {
        // The pause lets the first events reach the client before the reset (a reset discards bytes not yet read).
        Emulator.Enqueue(EmulatorReply.Default() with { CutAfterEvents = 3, DelayBetweenEvents = TimeSpan.FromMilliseconds(100) }, EmulatorReply.Default());
        var client = CreateClient();
        var received = new List<ChatResponseUpdate>();

        var ex = await ThrowsBounded<QwenApiException>(() => StreamAsync(client, received));

        Assert.NotEmpty(received);
        Assert.Equal(Emulator.Requests[0].RequestId, ex.RequestId);
        Assert.Single(Emulator.Requests);
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task NonStreamingBodyCutHalfwaySurfacesWithStatusAndRequestIdAndIsNotRetried()
    {
        Emulator.Enqueue(EmulatorReply.Default() with { CutAfterEvents = 1, DelayBetweenEvents = TimeSpan.FromMilliseconds(200) }, EmulatorReply.Default());
        var client = CreateClient();

        var ex = await ThrowsBounded<QwenApiException>(() => client.GetResponseAsync(Prompt));

        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Assert.Equal(Emulator.Requests[0].RequestId, ex.RequestId);
        Assert.Single(Emulator.Requests);
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task StreamEndingWithoutDoneIsAnError()
    {
        Emulator.Enqueue(EmulatorReply.Sse(Chunk, Chunk));
        var client = CreateClient();
        var received = new List<ChatResponseUpdate>();

        var ex = await ThrowsBounded<QwenApiException>(() => StreamAsync(client, received));

        Assert.Contains("[DONE]", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, received.Count);
        Assert.Equal(Emulator.Requests[0].RequestId, ex.RequestId);
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task DoneWithNoContentIsAnEmptyReplyNotAnError()
    {
        Emulator.Enqueue(EmulatorReply.Sse("[DONE]"));
        var client = CreateClient();

        var updates = await Bounded(StreamAsync(client));

        Assert.Empty(updates);
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task MalformedJsonInOneEventSurfacesAsQwenApiExceptionWithTheRequestId()
    {
        Emulator.Enqueue(EmulatorReply.Default() with { MalformedEventAfter = 2 });
        var client = CreateClient();
        var received = new List<ChatResponseUpdate>();

        var ex = await ThrowsBounded<QwenApiException>(() => StreamAsync(client, received));

        Assert.Contains("malformed", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.IsAssignableFrom<JsonException>(ex.InnerException);
        Assert.Equal(Emulator.Requests[0].RequestId, ex.RequestId);
        Assert.NotEmpty(received);
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task ErrorEventMidStreamSurfacesWithItsCodeAndIsNotRetried()
    {
        Emulator.Enqueue(EmulatorReply.Default() with { ErrorEventAfter = 2 }, EmulatorReply.Default());
        var client = CreateClient();
        var received = new List<ChatResponseUpdate>();

        var ex = await ThrowsBounded<QwenApiException>(() => StreamAsync(client, received));

        Assert.Equal("internal_error", ex.ErrorCode);
        Assert.Null(ex.StatusCode); // the HTTP exchange was a 200; the error came inside the stream
        Assert.Equal(Emulator.Requests[0].RequestId, ex.RequestId);
        Assert.Single(Emulator.Requests);
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task HtmlBadGatewayPageIsRetriedThenReportedWithItsStatusAndASnippet()
    {
        var gateway = EmulatorReply.Raw(502, "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>", "text/html");
        Emulator.Enqueue(gateway, gateway, gateway, EmulatorReply.Default());
        var client = CreateClient();

        var ex = await ThrowsBounded<QwenApiException>(() => client.GetResponseAsync(Prompt));

        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.Contains("502 Bad Gateway", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Emulator.Requests[2].RequestId, ex.RequestId);
        Assert.Equal(3, Emulator.Requests.Count);
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task Empty200BodyIsAnErrorOnBothPaths()
    {
        Emulator.Enqueue(EmulatorReply.Raw(200, string.Empty), EmulatorReply.Raw(200, string.Empty, "text/event-stream"));
        var client = CreateClient();

        var nonStreaming = await ThrowsBounded<QwenApiException>(() => client.GetResponseAsync(Prompt));
        var streaming = await ThrowsBounded<QwenApiException>(() => StreamAsync(client));

        Assert.Contains("empty body", nonStreaming.Message, StringComparison.Ordinal);
        Assert.Equal(Emulator.Requests[0].RequestId, nonStreaming.RequestId);
        Assert.Contains("[DONE]", streaming.Message, StringComparison.Ordinal);
        Assert.Equal(2, Emulator.Requests.Count);
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task Success200WithoutChoicesIsAnError()
    {
        Emulator.Enqueue(EmulatorReply.Raw(200, """{"id":"chatcmpl-1","object":"chat.completion","created":1724729556,"model":"qwen-plus","usage":{"prompt_tokens":1,"completion_tokens":0,"total_tokens":1}}"""));
        var client = CreateClient();

        var ex = await ThrowsBounded<QwenApiException>(() => client.GetResponseAsync(Prompt));

        Assert.Contains("choices", ex.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Assert.Equal(Emulator.Requests[0].RequestId, ex.RequestId);
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task GiganticSingleEvent10MBIsDeliveredWhole()
    {
        var text = new string('x', 10 * 1024 * 1024);
        var huge = """{"choices":[{"delta":{"content":"TEXT"},"finish_reason":"stop","index":0}],"object":"chat.completion.chunk","created":1724729595,"model":"qwen-plus","id":"chatcmpl-big"}""".Replace("TEXT", text, StringComparison.Ordinal);
        Emulator.Enqueue(EmulatorReply.Sse(huge, "[DONE]"));
        var client = CreateClient();

        var updates = await Bounded(StreamAsync(client));

        Assert.Equal(text.Length, updates.Sum(u => u.Text.Length));
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task EventBeyondTheSizeCapIsRefusedNotBufferedForEver()
    {
        var huge = """{"choices":[{"delta":{"content":"TEXT"}}]}""".Replace("TEXT", new string('x', 20 * 1024 * 1024), StringComparison.Ordinal);
        Emulator.Enqueue(EmulatorReply.Sse(huge, "[DONE]"));
        var client = CreateClient();

        var ex = await ThrowsBounded<QwenApiException>(() => StreamAsync(client));

        Assert.Contains("larger than", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Emulator.Requests[0].RequestId, ex.RequestId);
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task SlowServerHeadersAfter5SecondsIsWaitedForWithTheDefaults()
    {
        Emulator.Enqueue(EmulatorReply.Default() with { DelayBeforeHeaders = TimeSpan.FromSeconds(5) });
        var client = CreateClient();
        var watch = Stopwatch.StartNew();

        var updates = await Bounded(StreamAsync(client));

        Assert.Equal(ExpectedText, string.Concat(updates.Select(u => u.Text)));
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(4.9), $"took {watch.Elapsed}");
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task SlowServerHeadersAfter5SecondsTripsAShortHeadersTimeout()
    {
        Emulator.Enqueue(EmulatorReply.Default() with { DelayBeforeHeaders = TimeSpan.FromSeconds(5) });
        var client = CreateClient(o => o.StreamingHeadersTimeout = TimeSpan.FromSeconds(1));
        var watch = Stopwatch.StartNew();

        var ex = await ThrowsBounded<TimeoutException>(() => StreamAsync(client));

        Assert.Contains("QwenClientOptions.StreamingHeadersTimeout", ex.Message, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
        Assert.Single(Emulator.Requests);
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task SlowServerNonStreamingAnswerAfter5SecondsTripsAShortRequestTimeout()
    {
        Emulator.Enqueue(EmulatorReply.Default() with { DelayBeforeHeaders = TimeSpan.FromSeconds(5) });
        var client = CreateClient(o => o.RequestTimeout = TimeSpan.FromSeconds(1));

        var ex = await ThrowsBounded<TimeoutException>(() => client.GetResponseAsync(Prompt));

        Assert.Contains("QwenClientOptions.RequestTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Single(Emulator.Requests);
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task SlowServer30SecondsBetweenEventsTripsAShortIdleTimeout()
    {
        Emulator.Enqueue(EmulatorReply.Default() with { DelayBetweenEvents = TimeSpan.FromSeconds(30) });
        var client = CreateClient(o => o.StreamingIdleTimeout = TimeSpan.FromSeconds(1));
        var received = new List<ChatResponseUpdate>();
        var watch = Stopwatch.StartNew();

        var ex = await ThrowsBounded<TimeoutException>(() => StreamAsync(client, received));

        Assert.Contains("QwenClientOptions.StreamingIdleTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Emulator.Requests[0].RequestId, ex.Message, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task NonUtf8BytesSurfaceAsQwenApiExceptionOnBothPaths()
    {
        var json = Encoding.UTF8.GetBytes("""{"id":"chatcmpl-u","object":"chat.completion","model":"qwen-plus","choices":[{"index":0,"message":{"role":"assistant","content":"AB"},"finish_reason":"stop"}]}""");
        var at = Array.IndexOf(json, (byte)'A');
        byte[] bad = [.. json[..at], 0xFF, 0xFE, 0xC3, 0x28, .. json[at..]];
        var sse = Encoding.UTF8.GetBytes("data: ").Concat(bad.Select(b => b)).Concat(Encoding.UTF8.GetBytes("\n\ndata: [DONE]\n\n")).ToArray();
        sse = sse.Select(b => b).ToArray();
        Emulator.Enqueue(
            new EmulatorReply { RawBody = bad, ContentType = "application/json" },
            new EmulatorReply { RawBody = sse, ContentType = "text/event-stream" });
        var client = CreateClient();

        var nonStreaming = await ThrowsBounded<QwenApiException>(() => client.GetResponseAsync(Prompt));
        var streaming = await ThrowsBounded<QwenApiException>(() => StreamAsync(client));

        Assert.Equal(Emulator.Requests[0].RequestId, nonStreaming.RequestId);
        Assert.Equal(Emulator.Requests[1].RequestId, streaming.RequestId);
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task ToolCallFragmentsWithAReusedIndexBecomeTwoCompleteCalls()
    {
        static string Fragment(string id, string? name, string arguments, string? finish = null) =>
            "{\"choices\":[{\"delta\":{\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"" + id + "\",\"type\":\"function\",\"function\":{" +
            (name is null ? string.Empty : "\"name\":\"" + name + "\",") + "\"arguments\":" + JsonSerializer.Serialize(arguments) + "}}]},\"index\":0,\"finish_reason\":" +
            (finish is null ? "null" : "\"" + finish + "\"") + "}],\"object\":\"chat.completion.chunk\",\"created\":1735120033,\"model\":\"qwen-plus\",\"id\":\"chatcmpl-tools\"}";

        Emulator.Enqueue(EmulatorReply.Sse(
            Fragment("call_a", "get_weather", "{\"city\":"),
            Fragment(string.Empty, null, "\"Paris\"}"),
            Fragment("call_b", "get_time", "{\"zone\":"),
            Fragment(string.Empty, null, "\"CET\"}"),
            """{"choices":[{"delta":{},"index":0,"finish_reason":"tool_calls"}],"object":"chat.completion.chunk","created":1735120033,"model":"qwen-plus","id":"chatcmpl-tools"}""",
            "[DONE]"));
        var client = CreateClient();

        var updates = await Bounded(StreamAsync(client));

        var calls = updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(("call_a", "get_weather", "Paris"), (calls[0].CallId, calls[0].Name, calls[0].Arguments!["city"]!.ToString()));
        Assert.Equal(("call_b", "get_time", "CET"), (calls[1].CallId, calls[1].Name, calls[1].Arguments!["zone"]!.ToString()));
        Assert.Equal(ChatFinishReason.ToolCalls, updates.Last(u => u.FinishReason is not null).FinishReason);
        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task CallerCancellationOverARealSocketIsPromptOnBothPathsAndReleasesTheConnection()
    {
        Emulator.Enqueue(
            EmulatorReply.Default() with { DelayBeforeHeaders = TimeSpan.FromSeconds(30) },
            EmulatorReply.Sse(Chunk, Chunk, "[DONE]") with { DelayBetweenEvents = TimeSpan.FromSeconds(30) });
        var client = CreateClient();

        using (var cts = new CancellationTokenSource())
        {
            var call = client.GetResponseAsync(Prompt, cancellationToken: cts.Token);

            // Cancel once the emulator holds the request (it took the first scripted reply), not after a fixed pause: on a loaded
            // machine a request cancelled before it arrived would leave that reply to the streaming call below.
            var arrival = Stopwatch.StartNew();
            while (Emulator.Requests.Count == 0 && arrival.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(20);
            }

            await Task.Delay(100);
            var watch = Stopwatch.StartNew();
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Bound));
            Assert.True(watch.Elapsed < PromptCancellation, $"non-streaming cancellation took {watch.Elapsed.TotalMilliseconds} ms");
        }

        using (var cts = new CancellationTokenSource())
        {
            var received = new List<ChatResponseUpdate>();
            var call = StreamAsync(client, received, cts.Token);
            var deadline = Stopwatch.StartNew();
            while (received.Count == 0 && deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(20);
            }

            var watch = Stopwatch.StartNew();
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Bound));
            Assert.True(watch.Elapsed < PromptCancellation, $"streaming cancellation took {watch.Elapsed.TotalMilliseconds} ms");
            Assert.NotEmpty(received);
        }

        await AssertNoLeakAsync(client);
    }

    [Fact]
    public async Task AbandoningAStreamEarlyReleasesTheConnection()
    {
        Emulator.Enqueue(EmulatorReply.Default() with { DelayBetweenEvents = TimeSpan.FromMilliseconds(200) });
        var client = CreateClient();

        await foreach (var update in client.GetStreamingResponseAsync(Prompt).WithCancellation(CancellationToken.None))
        {
            break; // the caller stops reading after the first update
        }

        // With one connection allowed, the next call only gets through if the abandoned response gave its connection back.
        await AssertNoLeakAsync(client);
    }
}
