using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Emulator;

namespace Qwen.Extensions.AI.IntegrationTests.Emulator;

/// <summary>The emulator itself: wire format, errors, script, faults, recording (raw HTTP and through QwenChatClient).</summary>
public sealed class EmulatorSmokeTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private QwenEmulator _emulator = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _emulator = await QwenEmulator.StartAsync();
        _http = new HttpClient { Timeout = Timeout };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public void EndpointIsLoopbackCompatibleModeOnAFreePort()
    {
        Assert.Equal("127.0.0.1", _emulator.Endpoint.Host);
        Assert.NotEqual(0, _emulator.Endpoint.Port);
        Assert.Equal("/compatible-mode/v1", _emulator.Endpoint.AbsolutePath);
    }

    [Fact]
    public async Task NonStreamingAnswersWithCompletionShapeAndMatchingRequestIds()
    {
        using var response = await PostAsync("""{"model":"qwen-plus","messages":[{"role":"user","content":"Who are you?"}]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requestId = Assert.Single(response.Headers.GetValues("x-request-id"));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal("chatcmpl-" + requestId, root.GetProperty("id").GetString());
        Assert.Equal("chat.completion", root.GetProperty("object").GetString());
        Assert.Equal("qwen-plus", root.GetProperty("model").GetString());
        var choice = root.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Contains("Qwen", choice.GetProperty("message").GetProperty("content").GetString());
        var usage = root.GetProperty("usage");
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(requestId, _emulator.LastRequest!.RequestId);
        Assert.Equal(200, _emulator.LastRequest.StatusCode);
    }

    [Fact]
    public async Task RepeatedPrefixIsReportedAsCachedTokens()
    {
        // Implicit hits need a prefix of at least 256 tokens (dashscope-more.md 3.1): a 300-word system prompt.
        var body = $$"""{"model":"qwen-plus","messages":[{"role":"system","content":"You are terse. {{string.Join(' ', Enumerable.Repeat("rule", 300))}}"},{"role":"user","content":"Hello there"}]}""";
        using (await PostAsync(body))
        {
        }

        using var second = await PostAsync(body);
        using var json = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
        var usage = json.RootElement.GetProperty("usage");
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
    }

    [Fact]
    public async Task StreamingSendsChunksThenUsageOnlyChunkThenDone()
    {
        using var response = await PostAsync("""{"model":"qwen-plus","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Write a haiku"}]}""");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = ParseSse(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        using var usageChunk = JsonDocument.Parse(events[^2]);
        Assert.Equal(0, usageChunk.RootElement.GetProperty("choices").GetArrayLength());
        Assert.True(usageChunk.RootElement.GetProperty("usage").GetProperty("total_tokens").GetInt32() > 0);
        var text = new StringBuilder();
        foreach (var e in events[..^2])
        {
            using var chunk = JsonDocument.Parse(e);
            Assert.Equal(JsonValueKind.Null, chunk.RootElement.GetProperty("usage").ValueKind);
            var delta = chunk.RootElement.GetProperty("choices")[0].GetProperty("delta");
            if (delta.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String)
            {
                text.Append(c.GetString());
            }
        }

        Assert.Equal(Qwen.Extensions.AI.Emulator.Behaviour.DefaultResponder.Haiku, text.ToString());
    }

    [Fact]
    public async Task WrongKeyIs401InvalidApiKeyWithRealErrorBody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _emulator.Endpoint + "/chat/completions") { Content = new StringContent("{}") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-wrong");
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Equal(Assert.Single(response.Headers.GetValues("x-request-id")), json.RootElement.GetProperty("request_id").GetString());
    }

    [Theory]
    [InlineData("""{"model":"qwen-plus","temperature":2,"messages":[{"role":"user","content":"hi"}]}""", 400, "invalid_parameter_error", "Temperature")]
    [InlineData("""{"model":"qwen-plus","top_p":0,"messages":[{"role":"user","content":"hi"}]}""", 400, "invalid_parameter_error", "top_p")]
    [InlineData("""{"model":"qwen-plus"}""", 400, "invalid_parameter_error", "messages")]
    [InlineData("""{"model":"qwen-unknown-model","messages":[{"role":"user","content":"hi"}]}""", 404, "model_not_found", "qwen-unknown-model")]
    [InlineData("""{"model":"qvq-max","messages":[{"role":"user","content":"hi"}]}""", 400, "invalid_parameter_error", "only support stream mode")]
    [InlineData("""{"model":"qwq-plus","messages":[{"role":"user","content":"hi"}]}""", 400, "invalid_parameter_error", "only support stream mode")]
    [InlineData("""{"model":"qwen3-8b","enable_thinking":true,"messages":[{"role":"user","content":"hi"}]}""", 400, "invalid_parameter_error", "enable_thinking must be set to false for non-streaming calls")]
    public async Task BadRequestsGetTheServiceStatusAndCode(string body, int status, string code, string messagePart)
    {
        using var response = await PostAsync(body);
        Assert.Equal(status, (int)response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, json.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains(messagePart, json.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task ChatClientGetsDefaultAnswerAndEmulatorRecordsTheBody()
    {
        using var client = _emulator.CreateChatClient();
        var response = await client.GetResponseAsync("What is 6 * 7?", new ChatOptions { Temperature = 0.5f }).WaitAsync(Timeout);
        Assert.Equal("6 * 7 = 42.", response.Text);
        var request = Assert.Single(_emulator.Requests);
        Assert.Equal("qwen-plus", request.Model);
        Assert.False(request.IsStreaming);
        Assert.Equal(0.5, request.GetProperty("temperature")!.Value.GetDouble(), 3);
        Assert.Equal("What is 6 * 7?", request.LastUserText);
        Assert.Equal("Bearer " + _emulator.ApiKey, request.Headers["Authorization"]);
    }

    [Fact]
    public async Task ChatClientStreamOnlyModelIsServedByStreamingFallback()
    {
        // A model the client's table of model facts does not mark stream-only (a user entry without StreamOnly): learnt from the refusal.
        var options = _emulator.CreateClientOptions("qwq-plus");
        options.ModelCapabilities["qwq-plus"] = QwenModelCapabilities.ThinkingOnly;
        using var client = new QwenChatClient(options);
        var response = await client.GetResponseAsync("Say 'ready'").WaitAsync(Timeout);
        Assert.Equal("ready", response.Text);
        Assert.Contains(response.Messages[0].Contents, c => c is TextReasoningContent);
        Assert.Equal([false, true], _emulator.Requests.Select(r => r.IsStreaming));
        Assert.Equal([400, 200], _emulator.Requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task ChatClientKnownStreamOnlyModelStreamsFromTheFirstCall()
    {
        using var client = _emulator.CreateChatClient("qwq-plus");
        var response = await client.GetResponseAsync("Say 'ready'").WaitAsync(Timeout);
        Assert.Equal("ready", response.Text);
        Assert.Contains(response.Messages[0].Contents, c => c is TextReasoningContent);
        Assert.Equal([true], _emulator.Requests.Select(r => r.IsStreaming));
        Assert.Equal([200], _emulator.Requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task ScriptTextReplyIsSentExactlyInBothModes()
    {
        _emulator.Enqueue(EmulatorReply.Text("scripted one", reasoning: "because"), EmulatorReply.Text("scripted two") with { Usage = new EmulatorUsage { PromptTokens = 7, CompletionTokens = 3, CachedTokens = 5 } });
        using var client = _emulator.CreateChatClient();
        var first = await client.GetResponseAsync("anything").WaitAsync(Timeout);
        var updates = await client.GetStreamingResponseAsync("anything").ToChatResponseAsync().WaitAsync(Timeout);
        Assert.Equal("scripted one", first.Text);
        Assert.Equal("because", Assert.IsType<TextReasoningContent>(first.Messages[0].Contents[0]).Text);
        Assert.Equal("scripted two", updates.Text);
        Assert.Equal(7, updates.Usage!.InputTokenCount);
        Assert.Equal(3, updates.Usage.OutputTokenCount);
        Assert.Equal(10, updates.Usage.TotalTokenCount);
        Assert.Equal(5, updates.Usage.CachedInputTokenCount);
        Assert.Equal(0, _emulator.PendingReplies);
    }

    [Fact]
    public async Task ScriptErrorWithRetryAfterHeaders()
    {
        _emulator.Enqueue(EmulatorReply.Fail(429, "limit_requests", "Requests rate limit exceeded") with { RetryAfter = TimeSpan.FromSeconds(2), RetryAfterMilliseconds = 1500 });
        using var response = await PostAsync("""{"model":"qwen-plus","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter!.Delta);
        Assert.Equal("1500", Assert.Single(response.Headers.GetValues("retry-after-ms")));
    }

    [Fact]
    public async Task ASubSecondRetryAfterAlsoGoesOutAsRetryAfterMs()
    {
        _emulator.Enqueue(EmulatorReply.Fail(429, "limit_requests", "Requests rate limit exceeded") with { RetryAfter = TimeSpan.FromMilliseconds(200) });
        using var response = await PostAsync("""{"model":"qwen-plus","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter!.Delta);
        Assert.Equal("200", Assert.Single(response.Headers.GetValues("retry-after-ms")));
    }

    [Fact]
    public async Task FaultErrorEventMidStreamSurfacesAsQwenApiException()
    {
        _emulator.Enqueue(EmulatorReply.Default() with { ErrorEventAfter = 2 });
        using var client = _emulator.CreateChatClient();
        var received = new StringBuilder();
        var ex = await Assert.ThrowsAsync<QwenApiException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Write a haiku", cancellationToken: TestTimeout.Token))
            {
                received.Append(update.Text);
            }
        });
        Assert.Equal("internal_error", ex.ErrorCode);
        Assert.Equal(_emulator.LastRequest!.RequestId, ex.RequestId);
        Assert.NotEmpty(received.ToString());
    }

    [Fact]
    public async Task FaultCutAfterEventsEndsTheStreamWithoutDone()
    {
        // The pause lets the events reach the client before the reset; a reset that wins the race looks like a failure
        // before any response, which the client (rightly) retries, and the retry would get a whole reply.
        _emulator.Enqueue(EmulatorReply.Default() with { CutAfterEvents = 3, DelayBetweenEvents = TimeSpan.FromMilliseconds(100) });
        using var client = _emulator.CreateChatClient();
        var received = new StringBuilder();
        // A stream cut before [DONE] is documented (docs/reliability.md) to surface as QwenApiException carrying the request id.
        var ex = await Assert.ThrowsAsync<QwenApiException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Write a haiku", cancellationToken: TestTimeout.Token))
            {
                received.Append(update.Text);
            }
        });
        Assert.Equal(_emulator.LastRequest!.RequestId, ex.RequestId);
        Assert.Equal("Quiet loopback port,\nrequests arrive and ", received.ToString());
        Assert.Single(_emulator.Requests);
    }

    [Fact]
    public async Task FaultMalformedEventIsRejected()
    {
        _emulator.Enqueue(EmulatorReply.Default() with { MalformedEventAfter = 1 });
        using var client = _emulator.CreateChatClient();
        // A malformed event is documented to surface as QwenApiException wrapping the JsonException.
        var ex = await Assert.ThrowsAsync<QwenApiException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Write a haiku", cancellationToken: TestTimeout.Token))
            {
            }
        });
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(ex.InnerException);
        Assert.Contains("data: {\"choices\":[{\"delta\":\n\n", await RawStreamAsync(EmulatorReply.Default() with { MalformedEventAfter = 1 }));
    }

    [Fact]
    public async Task FaultDelaysAreObserved()
    {
        _emulator.Enqueue(EmulatorReply.Default() with { DelayBeforeHeaders = TimeSpan.FromMilliseconds(300) });
        var started = System.Diagnostics.Stopwatch.StartNew();
        using (await PostAsync("""{"model":"qwen-plus","messages":[{"role":"user","content":"hi"}]}"""))
        {
        }

        Assert.True(started.ElapsedMilliseconds >= 250, $"took {started.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task FaultDisconnectBeforeHeadersFailsTheRequest()
    {
        _emulator.Enqueue(EmulatorReply.Disconnect());
        await Assert.ThrowsAsync<HttpRequestException>(() => PostAsync("""{"model":"qwen-plus","messages":[{"role":"user","content":"hi"}]}"""));
    }

    [Fact]
    public async Task OpenConnectionsCountsLiveConnections()
    {
        using (await PostAsync("""{"model":"qwen-plus","messages":[{"role":"user","content":"hi"}]}"""))
        {
        }

        Assert.Equal(1, _emulator.OpenConnections);
        Assert.Equal(1, _emulator.TotalConnections);
        _http.Dispose();
        _http = new HttpClient { Timeout = Timeout };
        var deadline = DateTime.UtcNow + Timeout;
        while (_emulator.OpenConnections > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(0, _emulator.OpenConnections);
    }

    [Fact]
    public async Task ResponderFailureIsReportedAs500InternalError()
    {
        _emulator.Responder = _ => throw new InvalidOperationException("boom");
        using var response = await PostAsync("""{"model":"qwen-plus","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("internal_error", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("boom", json.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task DisposeEndsAStreamThatIsStillWaitingPromptly()
    {
        var emulator = await QwenEmulator.StartAsync();
        emulator.Enqueue(EmulatorReply.Default() with { DelayBetweenEvents = TimeSpan.FromMinutes(5) });
        using var client = emulator.CreateChatClient();
        var streaming = Task.Run(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Write a haiku", cancellationToken: TestTimeout.Token))
            {
            }
        });
        var deadline = DateTime.UtcNow + TestTimeout.Duration;
        while (emulator.Requests.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await Task.Delay(100);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await emulator.DisposeAsync();
        var ex = await Record.ExceptionAsync(() => streaming);

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"dispose and stream end took {stopwatch.Elapsed}");
        Assert.NotNull(ex);
        Assert.IsNotType<OperationCanceledException>(ex);
    }

    private async Task<string> RawStreamAsync(EmulatorReply reply)
    {
        _emulator.Enqueue(reply);
        using var response = await PostAsync("""{"model":"qwen-plus","stream":true,"messages":[{"role":"user","content":"hi"}]}""");
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<HttpResponseMessage> PostAsync(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _emulator.Endpoint + "/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _emulator.ApiKey);
        return await _http.SendAsync(request);
    }

    private static string[] ParseSse(string text) =>
        [.. text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.Trim()).Where(e => e.StartsWith("data: ", StringComparison.Ordinal)).Select(e => e["data: ".Length..])];
}
