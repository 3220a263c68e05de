using System.Diagnostics;
using System.Net;

namespace Qwen.Extensions.AI.Tests.Reliability;

/// <summary>The caller's token surfaces as <see cref="OperationCanceledException"/> within 100 ms on every path, and an abandoned stream releases its body.</summary>
public sealed class CancellationTests
{
    private static readonly TimeSpan Prompt = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task CancelWhileWaitingForANonStreamingAnswer_IsPrompt()
    {
        var handler = new ScriptedHandler().Always(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new UnreachableException();
        });
        using var client = TestClients.Create(handler);

        await AssertCancelsPromptlyAsync(ct => client.GetResponseAsync(TestClients.Hello, cancellationToken: ct));
    }

    [Fact]
    public async Task CancelWhileWaitingForStreamHeaders_IsPrompt()
    {
        var handler = new ScriptedHandler().Always(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new UnreachableException();
        });
        using var client = TestClients.Create(handler);

        await AssertCancelsPromptlyAsync(ct => TestClients.DrainAsync(client.GetStreamingResponseAsync(TestClients.Hello, cancellationToken: ct)));
    }

    [Fact]
    public async Task CancelWhileWaitingBetweenStreamEvents_IsPrompt()
    {
        var handler = new ScriptedHandler().Then(() => ScriptedHandler.Sse(new ScriptedStream(Payloads.SseBytes(Payloads.Chunk("Hel")), StreamEnd.Hang)));
        using var client = TestClients.Create(handler);

        await AssertCancelsPromptlyAsync(ct => TestClients.DrainAsync(client.GetStreamingResponseAsync(TestClients.Hello, cancellationToken: ct)));
    }

    [Fact]
    public async Task CancelDuringARetryWait_IsPrompt()
    {
        var handler = new ScriptedHandler().ThenStatus(HttpStatusCode.TooManyRequests, configure: r => r.Headers.TryAddWithoutValidation("Retry-After", "30")).ThenCompletion();
        using var client = TestClients.Create(handler);

        await AssertCancelsPromptlyAsync(ct => client.GetResponseAsync(TestClients.Hello, cancellationToken: ct));
        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public async Task AlreadyCancelledToken_SendsNothing()
    {
        var handler = new ScriptedHandler().ThenCompletion();
        using var client = TestClients.Create(handler);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync(TestClients.Hello, cancellationToken: new CancellationToken(true)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TestClients.DrainAsync(client.GetStreamingResponseAsync(TestClients.Hello, cancellationToken: new CancellationToken(true))));
        Assert.Equal(0, handler.Requests);
    }

    [Fact]
    public async Task AbandoningAStreamEarly_DisposesTheResponseBody()
    {
        var body = new ScriptedStream(Payloads.SseBytes(Payloads.Reply("a", "b", "c")));
        var handler = new ScriptedHandler().Then(() => ScriptedHandler.Sse(body));
        using var client = TestClients.Create(handler);

        await foreach (var update in client.GetStreamingResponseAsync(TestClients.Hello))
        {
            Assert.Equal("a", update.Text);
            break;
        }

        Assert.True(body.Disposed);
    }

    [Fact]
    public async Task AStreamThatFails_DisposesTheResponseBody()
    {
        var body = new ScriptedStream(Payloads.SseBytes(Payloads.Chunk("a"), "{\"error\":{\"message\":\"boom\",\"code\":\"internal_error\"}}"), StreamEnd.Hang);
        var handler = new ScriptedHandler().Then(() => ScriptedHandler.Sse(body));
        using var client = TestClients.Create(handler);

        await Assert.ThrowsAsync<QwenApiException>(() => TestClients.DrainAsync(client.GetStreamingResponseAsync(TestClients.Hello)));

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
