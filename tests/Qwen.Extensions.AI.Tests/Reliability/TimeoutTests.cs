using System.Diagnostics;
using System.Net;
using System.Text;

namespace Qwen.Extensions.AI.Tests.Reliability;

/// <summary>Timeouts with short configured values on real time: each surfaces as a <see cref="TimeoutException"/> naming its option.</summary>
public sealed class TimeoutTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task NonStreamingAttemptTimeout_SurfacesAsTimeoutExceptionNamingRequestTimeout_AndIsNotRetried()
    {
        var handler = new ScriptedHandler().Always(async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return ScriptedHandler.Json(HttpStatusCode.OK, Payloads.Completion());
        });
        using var client = TestClients.Create(handler, o => o.RequestTimeout = Short);
        var watch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => client.GetResponseAsync(TestClients.Hello));

        Assert.InRange(watch.Elapsed, Short, TimeSpan.FromSeconds(5));
        Assert.Contains("QwenClientOptions.RequestTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("0.2", ex.Message.Replace("200 ms", "0.2", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public async Task NonStreamingTimeoutWhileReadingTheBody_NamesRequestTimeout()
    {
        var handler = new ScriptedHandler().Then(() =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new ScriptedStream(Encoding.UTF8.GetBytes("{\"choices\":["), StreamEnd.Hang)) };
            response.Headers.TryAddWithoutValidation("x-request-id", "req-slow");
            return response;
        });
        using var client = TestClients.Create(handler, o => o.RequestTimeout = Short);

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => client.GetResponseAsync(TestClients.Hello));

        Assert.Contains("RequestTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("req-slow", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamingHeadersTimeout_SurfacesAsTimeoutExceptionNamingIt()
    {
        var handler = new ScriptedHandler().Always(async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return ScriptedHandler.Sse(new MemoryStream(Payloads.SseBytes(Payloads.Reply("x"))));
        });
        using var client = TestClients.Create(handler, o => o.StreamingHeadersTimeout = Short);
        var watch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => TestClients.DrainAsync(client.GetStreamingResponseAsync(TestClients.Hello)));

        Assert.InRange(watch.Elapsed, Short, TimeSpan.FromSeconds(5));
        Assert.Contains("QwenClientOptions.StreamingHeadersTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public async Task StreamingIdleTimeout_FiresBetweenEvents_NamingItAndTheRequestId()
    {
        var handler = new ScriptedHandler().Then(() => ScriptedHandler.Sse(new ScriptedStream(Payloads.SseBytes(Payloads.Chunk("Hel")), StreamEnd.Hang), "req-idle"));
        using var client = TestClients.Create(handler, o => o.StreamingIdleTimeout = Short);
        var received = new List<string>();

        var ex = await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(TestClients.Hello))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal(["Hel"], received);
        Assert.Contains("QwenClientOptions.StreamingIdleTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("req-idle", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowConsumer_DoesNotTripTheIdleTimeout()
    {
        var handler = new ScriptedHandler().ThenStream(Payloads.Reply("a", "b", "c"));
        using var client = TestClients.Create(handler, o => o.StreamingIdleTimeout = TimeSpan.FromMilliseconds(100));
        var text = new StringBuilder();

        await foreach (var update in client.GetStreamingResponseAsync(TestClients.Hello))
        {
            text.Append(update.Text);
            await Task.Delay(250);
        }

        Assert.Equal("abc", text.ToString());
    }

    [Fact]
    public async Task CallersHttpClientTimeout_IsReportedAsTimeoutExceptionNamingHttpClientTimeout()
    {
        var handler = new ScriptedHandler().Always(async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return ScriptedHandler.Json(HttpStatusCode.OK, Payloads.Completion());
        });
        var options = new QwenClientOptions { ApiKey = Payloads.ApiKey, DefaultModelId = "qwen-plus" };
        using var client = new QwenChatClient(options, new HttpClient(handler) { Timeout = Short });

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => client.GetResponseAsync(TestClients.Hello));

        Assert.Contains("HttpClient.Timeout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("InfiniteTimeSpan", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionTornDownByOurTimeout_IsStillReportedAsTheTimeout()
    {
        // A handler may surface its own cancellation as a broken connection rather than an OperationCanceledException.
        var handler = new ScriptedHandler().Always(async (_, ct) =>
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
        using var client = TestClients.Create(handler, o => o.StreamingHeadersTimeout = Short);

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => TestClients.DrainAsync(client.GetStreamingResponseAsync(TestClients.Hello)));

        Assert.Contains("StreamingHeadersTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public async Task OptionsChangedAfterConstruction_DoNotAffectTheClient()
    {
        var handler = new ScriptedHandler().ThenStatus(HttpStatusCode.ServiceUnavailable).ThenCompletion();
        var options = new QwenClientOptions { ApiKey = Payloads.ApiKey, DefaultModelId = "qwen-plus", MaxRetries = 0 };
        using var client = new QwenChatClient(options, new HttpClient(handler));
        options.MaxRetries = 5;

        await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(TestClients.Hello));

        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public void Defaults_Are330sPerAttemptAnd100sForStreamHeadersAndSilence()
    {
        var options = new QwenClientOptions();

        Assert.Equal(TimeSpan.FromSeconds(330), options.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(100), options.StreamingHeadersTimeout);
        Assert.Equal(TimeSpan.FromSeconds(100), options.StreamingIdleTimeout);
        Assert.Equal(2, options.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.RetryBaseDelay);
    }
}
