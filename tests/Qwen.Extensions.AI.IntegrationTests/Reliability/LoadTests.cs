using System.Diagnostics;
using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Emulator;
using Xunit.Abstractions;

namespace Qwen.Extensions.AI.IntegrationTests.Reliability;

/// <summary>200 concurrent streams through one client: each reply matches its request, and sockets are bounded and reused.</summary>
public sealed class LoadTests(ITestOutputHelper output)
{
    private const int Concurrency = 200;

    [Fact]
    public async Task TwoHundredConcurrentStreamsThroughOneClientNoCrossTalkNoSocketExhaustion()
    {
        await using var emulator = await QwenEmulator.StartAsync(new QwenEmulatorOptions { DelayBetweenEvents = TimeSpan.FromMilliseconds(5), WordsPerChunk = 2 });
        using var client = new QwenChatClient(new QwenClientOptions { ApiKey = emulator.ApiKey, Endpoint = emulator.Endpoint, DefaultModelId = "qwen-plus" });
        var watch = Stopwatch.StartNew();

        await RunWaveAsync(client).WaitAsync(TimeSpan.FromSeconds(90));
        var firstWave = watch.Elapsed;
        var afterFirst = emulator.TotalConnections;
        await RunWaveAsync(client).WaitAsync(TimeSpan.FromSeconds(90));
        var afterSecond = emulator.TotalConnections;

        output.WriteLine($"wave 1: {firstWave.TotalMilliseconds:F0} ms, {afterFirst} connections; wave 2: {(watch.Elapsed - firstWave).TotalMilliseconds:F0} ms, {afterSecond} connections in all");
        Assert.Equal(2 * Concurrency, emulator.Requests.Count);
        Assert.All(emulator.Requests, r => Assert.Equal(200, r.StatusCode));
        Assert.InRange(afterFirst, 1, Concurrency); // never more sockets than streams in flight
        // The pool reuses what the first wave opened: both waves together never need more sockets than one wave's streams in
        // flight (when the first wave finished early streams before late ones started, the second may grow the pool up to that).
        Assert.True(afterSecond <= Concurrency, $"{afterSecond} connections for two waves of {Concurrency} streams: the second wave did not reuse the pool");
    }

    private static async Task RunWaveAsync(QwenChatClient client)
    {
        using var start = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, Concurrency).Select(async i =>
        {
            var expected = $"stream {i} alpha bravo charlie delta echo foxtrot";
            await start.WaitAsync();
            var text = new System.Text.StringBuilder();
            string? responseId = null;
            await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, $"Say '{expected}'")]))
            {
                text.Append(update.Text);
                responseId ??= update.ResponseId;
                Assert.Equal(responseId, update.ResponseId ?? responseId); // every update of a stream belongs to that stream
            }

            Assert.Equal(expected, text.ToString());
        }).ToList();

        start.Release(Concurrency);
        await Task.WhenAll(tasks);
    }
}
