using System.Diagnostics;
using System.Net;
using System.Text;

namespace Qwen.Extensions.AI.Tests.Reliability;

/// <summary>Timeouts with short configured values on real time: each surfaces as a <see cref="TimeoutException"/> naming its option.</summary>
public sealed class TimeoutTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task NonStreamingAttemptTimeoutSurfacesAsTimeoutExceptionNamingRequestTimeoutAndIsNotRetried()
    {
        var handler = new FakeHttpHandler().Always(async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return FakeHttpHandler.Json(HttpStatusCode.OK, Payloads.Completion());
        });
        using var client = TestClient.WithDefaults(handler, o => o.RequestTimeout = Short);
        var watch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => client.GetResponseAsync(TestClient.Hello));

        Assert.InRange(watch.Elapsed, Short, TimeSpan.FromSeconds(5));
        Assert.Contains("QwenClientOptions.RequestTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("0.2", ex.Message.Replace("200 ms", "0.2", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(1, handler.RequestCount);
    }

    [Fact]
    public async Task NonStreamingTimeoutWhileReadingTheBodyNamesRequestTimeout()
    {
        var handler = new FakeHttpHandler().Then(() =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new ScriptedStream(Encoding.UTF8.GetBytes("{\"choices\":["), StreamEnd.Hang)) };
            response.Headers.TryAddWithoutValidation("x-request-id", "req-slow");
            return response;
        });
        using var client = TestClient.WithDefaults(handler, o => o.RequestTimeout = Short);

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => client.GetResponseAsync(TestClient.Hello));

        Assert.Contains("RequestTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("req-slow", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamingHeadersTimeoutSurfacesAsTimeoutExceptionNamingIt()
    {
        var handler = new FakeHttpHandler().Always(async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return FakeHttpHandler.Sse(new MemoryStream(Payloads.SseBytes(Payloads.Reply("x"))));
        });
        using var client = TestClient.WithDefaults(handler, o => o.StreamingHeadersTimeout = Short);
        var watch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => TestClient.DrainAsync(client.GetStreamingResponseAsync(TestClient.Hello)));

        Assert.InRange(watch.Elapsed, Short, TimeSpan.FromSeconds(5));
        Assert.Contains("QwenClientOptions.StreamingHeadersTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.RequestCount);
    }

    [Fact]
    public async Task StreamingIdleTimeoutFiresBetweenEventsNamingItAndTheRequestId()
    {
        var handler = new FakeHttpHandler().Then(() => FakeHttpHandler.Sse(new ScriptedStream(Payloads.SseBytes(Payloads.Chunk("Hel")), StreamEnd.Hang), "req-idle"));
        using var client = TestClient.WithDefaults(handler, o => o.StreamingIdleTimeout = Short);
        var received = new List<string>();

        var ex = await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(TestClient.Hello))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal(["Hel"], received);
        Assert.Contains("QwenClientOptions.StreamingIdleTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("req-idle", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowConsumerDoesNotTripTheIdleTimeout()
    {
        var handler = new FakeHttpHandler().ThenStream(Payloads.Reply("a", "b", "c"));
        using var client = TestClient.WithDefaults(handler, o => o.StreamingIdleTimeout = TimeSpan.FromMilliseconds(100));
        var text = new StringBuilder();

        await foreach (var update in client.GetStreamingResponseAsync(TestClient.Hello))
        {
            text.Append(update.Text);
            await Task.Delay(250);
        }

        Assert.Equal("abc", text.ToString());
    }

    [Fact]
    public async Task CallersHttpClientTimeoutIsReportedAsTimeoutExceptionNamingHttpClientTimeout()
    {
        var handler = new FakeHttpHandler().Always(async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return FakeHttpHandler.Json(HttpStatusCode.OK, Payloads.Completion());
        });
        var options = new QwenClientOptions { ApiKey = TestClient.ApiKey, DefaultModelId = "qwen-plus" };
        using var client = new QwenChatClient(options, new HttpClient(handler) { Timeout = Short });

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => client.GetResponseAsync(TestClient.Hello));

        Assert.Contains("HttpClient.Timeout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("InfiniteTimeSpan", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionTornDownByOurTimeoutIsStillReportedAsTheTimeout()
    {
        // A handler may surface its own cancellation as a broken connection rather than an OperationCanceledException.
        var handler = new FakeHttpHandler().Always(async (_, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
            }

            throw new HttpRequestException(HttpRequestError.ConnectionError, "The connection was aborted (scripted).", new IOException("aborted"));
        });
        using var client = TestClient.WithDefaults(handler, o => o.StreamingHeadersTimeout = Short);

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => TestClient.DrainAsync(client.GetStreamingResponseAsync(TestClient.Hello)));

        Assert.Contains("StreamingHeadersTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.RequestCount);
    }

    [Fact]
    public async Task OptionsChangedAfterConstructionDoNotAffectTheClient()
    {
        var handler = new FakeHttpHandler().ThenStatus(HttpStatusCode.ServiceUnavailable).ThenCompletion();
        var options = new QwenClientOptions { ApiKey = TestClient.ApiKey, DefaultModelId = "qwen-plus", MaxRetries = 0 };
        using var client = new QwenChatClient(options, new HttpClient(handler));
        options.MaxRetries = 5;

        await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(TestClient.Hello));

        Assert.Equal(1, handler.RequestCount);
    }

    [Fact]
    public void DefaultsAre330sPerAttemptAnd100sForStreamHeadersAndSilence()
    {
        var options = new QwenClientOptions();

        Assert.Equal(TimeSpan.FromSeconds(330), options.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(100), options.StreamingHeadersTimeout);
        Assert.Equal(TimeSpan.FromSeconds(100), options.StreamingIdleTimeout);
        Assert.Equal(2, options.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.RetryBaseDelay);
    }
}
