using System.Diagnostics;
using System.Net;

namespace Qwen.Extensions.AI.Tests.Reliability;

/// <summary>
/// The caller's token surfaces as <see cref="OperationCanceledException"/> promptly on every path, and an abandoned stream
/// releases its body. "Promptly" is bounded generously (5 s) so that it holds on a loaded 2-core machine: every call here
/// would otherwise wait forever (or 30 s for the Retry-After), so a 5 s bound still proves the token is honoured.
/// </summary>
public sealed class CancellationTests
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task CancelWhileWaitingForANonStreamingAnswerIsPrompt()
    {
        var handler = new FakeHttpHandler().Always(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new UnreachableException();
        });
        using var client = TestClient.WithDefaults(handler);

        await AssertCancelsPromptlyAsync(ct => client.GetResponseAsync(TestClient.Hello, cancellationToken: ct));
    }

    [Fact]
    public async Task CancelWhileWaitingForStreamHeadersIsPrompt()
    {
        var handler = new FakeHttpHandler().Always(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new UnreachableException();
        });
        using var client = TestClient.WithDefaults(handler);

        await AssertCancelsPromptlyAsync(ct => TestClient.DrainAsync(client.GetStreamingResponseAsync(TestClient.Hello, cancellationToken: ct)));
    }

    [Fact]
    public async Task CancelWhileWaitingBetweenStreamEventsIsPrompt()
    {
        var handler = new FakeHttpHandler().Then(() => FakeHttpHandler.Sse(new ScriptedStream(Payloads.SseBytes(Payloads.Chunk("Hel")), StreamEnd.Hang)));
        using var client = TestClient.WithDefaults(handler);

        await AssertCancelsPromptlyAsync(ct => TestClient.DrainAsync(client.GetStreamingResponseAsync(TestClient.Hello, cancellationToken: ct)));
    }

    [Fact]
    public async Task CancelDuringARetryWaitIsPrompt()
    {
        var handler = new FakeHttpHandler().ThenStatus(HttpStatusCode.TooManyRequests, configure: r => r.Headers.TryAddWithoutValidation("Retry-After", "30")).ThenCompletion();
        using var client = TestClient.WithDefaults(handler);

        await AssertCancelsPromptlyAsync(ct => client.GetResponseAsync(TestClient.Hello, cancellationToken: ct));
        Assert.Equal(1, handler.RequestCount);
    }

    [Fact]
    public async Task AlreadyCancelledTokenSendsNothing()
    {
        var handler = new FakeHttpHandler().ThenCompletion();
        using var client = TestClient.WithDefaults(handler);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync(TestClient.Hello, cancellationToken: new CancellationToken(true)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TestClient.DrainAsync(client.GetStreamingResponseAsync(TestClient.Hello, cancellationToken: new CancellationToken(true))));
        Assert.Equal(0, handler.RequestCount);
    }

    [Fact]
    public async Task AbandoningAStreamEarlyDisposesTheResponseBody()
    {
        var body = new ScriptedStream(Payloads.SseBytes(Payloads.Reply("a", "b", "c")));
        var handler = new FakeHttpHandler().Then(() => FakeHttpHandler.Sse(body));
        using var client = TestClient.WithDefaults(handler);

        await foreach (var update in client.GetStreamingResponseAsync(TestClient.Hello))
        {
            Assert.Equal("a", update.Text);
            break;
        }

        Assert.True(body.Disposed);
    }

    [Fact]
    public async Task AStreamThatFailsDisposesTheResponseBody()
    {
        var body = new ScriptedStream(Payloads.SseBytes(Payloads.Chunk("a"), "{\"error\":{\"message\":\"boom\",\"code\":\"internal_error\"}}"), StreamEnd.Hang);
        var handler = new FakeHttpHandler().Then(() => FakeHttpHandler.Sse(body));
        using var client = TestClient.WithDefaults(handler);

        await Assert.ThrowsAsync<QwenApiException>(() => TestClient.DrainAsync(client.GetStreamingResponseAsync(TestClient.Hello)));

        Assert.True(body.Disposed);
    }

    private static async Task AssertCancelsPromptlyAsync(Func<CancellationToken, Task> call)
    {
        using var cts = new CancellationTokenSource();
        var task = call(cts.Token);
        await Task.Delay(150);
        Assert.False(task.IsCompleted, "The call should still be waiting.");
        var watch = Stopwatch.StartNew();
        cts.Cancel();
        var ex = await Record.ExceptionAsync(() => task);
        watch.Stop();

        Assert.IsAssignableFrom<OperationCanceledException>(ex);
        Assert.True(watch.Elapsed < Prompt, $"Cancellation took {watch.Elapsed.TotalMilliseconds} ms.");
    }
}
