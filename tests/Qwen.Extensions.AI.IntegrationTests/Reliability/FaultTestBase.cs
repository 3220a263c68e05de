using System.Diagnostics;
using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Emulator;

namespace Qwen.Extensions.AI.IntegrationTests.Reliability;

/// <summary>
/// One emulator per test and a client over a one-connection pool: a connection leaked by a fault would make the follow-up
/// request wait for ever, so <see cref="AssertNoLeakAsync"/> proves the connection came back (and the emulator's open
/// connection count drops to zero once the client is gone). Every wait is bounded.
/// </summary>
public abstract class FaultTestBase : IAsyncLifetime
{
    protected static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private HttpClient? _http;

    protected QwenEmulator Emulator { get; private set; } = null!;

    protected static ChatMessage[] Prompt { get; } = [new(ChatRole.User, "Say 'the quick brown fox jumps over the lazy dog'")];

    protected const string ExpectedText = "the quick brown fox jumps over the lazy dog";

    public virtual async Task InitializeAsync() => Emulator = await QwenEmulator.StartAsync();

    public virtual async Task DisposeAsync()
    {
        _http?.Dispose();
        await Emulator.DisposeAsync();
    }

    /// <summary>A client over one pooled connection, fast retries (50 ms base), real time.</summary>
    protected QwenChatClient CreateClient(Action<QwenClientOptions>? configure = null)
    {
        var options = new QwenClientOptions
        {
            ApiKey = Emulator.ApiKey,
            Endpoint = Emulator.Endpoint,
            DefaultModelId = "qwen-plus",
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        };
        configure?.Invoke(options);
        _http?.Dispose();
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { Timeout = Timeout.InfiniteTimeSpan };
        return new QwenChatClient(options, _http);
    }

    protected static async Task<List<ChatResponseUpdate>> StreamAsync(IChatClient client, List<ChatResponseUpdate>? received = null, CancellationToken cancellationToken = default)
    {
        received ??= new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Prompt, cancellationToken: cancellationToken))
        {
            received.Add(update);
        }

        return received;
    }

    protected static async Task<T> Bounded<T>(Task<T> task) => await task.WaitAsync(Bound);

    protected static async Task<TException> ThrowsBounded<TException>(Func<Task> call)
        where TException : Exception =>
        await Assert.ThrowsAsync<TException>(() => call().WaitAsync(Bound));

    /// <summary>After a fault: the same client (one connection allowed) still answers, then all connections close with the client.</summary>
    protected async Task AssertNoLeakAsync(QwenChatClient client)
    {
        Emulator.Reset();
        var updates = await Bounded(StreamAsync(client));
        Assert.Equal(ExpectedText, string.Concat(updates.Select(u => u.Text)));
        // The server sees an aborted connection close a moment after the client dropped it (later on a loaded machine): wait, bounded.
        var settle = Stopwatch.StartNew();
        while (Emulator.OpenConnections > 1 && settle.Elapsed < TimeSpan.FromSeconds(3))
        {
            await Task.Delay(20);
        }

        Assert.True(Emulator.OpenConnections <= 1, $"{Emulator.OpenConnections} connections open through a one-connection pool");

        client.Dispose();
        _http?.Dispose();
        _http = null;
        var watch = Stopwatch.StartNew();
        while (Emulator.OpenConnections > 0 && watch.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }

        Assert.Equal(0, Emulator.OpenConnections);
    }
}
