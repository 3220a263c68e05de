using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using OpenAI;
using Qwen.Extensions.AI.Emulator;

namespace Qwen.Extensions.AI.Benchmarks;

/// <summary>
/// End to end over loopback sockets against the emulator (Kestrel, in this process): time from the call to the first text update,
/// and throughput with 1, 16 and 64 concurrent streams, for QwenChatClient and OpenAIChatClient over the same SocketsHttpHandler
/// settings. Each stream carries <see cref="Chunks"/> text chunks. Client and server share this machine's cores, alike for both.
/// </summary>
public static class EndToEnd
{
    public const int Chunks = 300;

    public static async Task<IReadOnlyList<EndToEndResult>> RunAsync(int[]? concurrencies = null, int streamsPerLevel = 256, TextWriter? log = null)
    {
        concurrencies ??= [1, 16, 64];
        await using var emulator = await QwenEmulator.StartAsync(new QwenEmulatorOptions { WordsPerChunk = 1 });
        var text = LongText(Chunks);
        emulator.Responder = _ => EmulatorReply.Text(text);

        var results = new List<EndToEndResult>();
        var handlers = new List<HttpClient>();
        var clients = new List<(string Name, IChatClient Client)>();
        foreach (var contender in new[] { "Qwen", "OpenAIChatClient" })
        {
            var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
            handlers.Add(http);
            clients.Add((contender, Create(contender, emulator, http)));
            await StreamOnceAsync(clients[^1].Client); // warm: JIT, connection
        }

        try
        {
            // Levels outermost and contenders interleaved, so a change in machine load hits both alike.
            foreach (var n in concurrencies)
            {
                foreach (var (contender, client) in clients)
                {
                    await StreamOnceAsync(client);
                    var total = Math.Max(n, streamsPerLevel / n * n);
                    var firstUpdates = new double[total];
                    var chunks = 0L;
                    var clock = Stopwatch.StartNew();
                    for (var round = 0; round < total / n; round++)
                    {
                        var tasks = new Task<(double FirstMs, int Chunks)>[n];
                        for (var i = 0; i < n; i++)
                        {
                            tasks[i] = StreamOnceAsync(client);
                        }

                        var done = await Task.WhenAll(tasks);
                        for (var i = 0; i < n; i++)
                        {
                            firstUpdates[(round * n) + i] = done[i].FirstMs;
                            chunks += done[i].Chunks;
                        }
                    }

                    clock.Stop();
                    Array.Sort(firstUpdates);
                    var result = new EndToEndResult(
                        contender, n, total,
                        firstUpdates[total / 2], firstUpdates[Math.Min(total - 1, (int)(total * 0.95))],
                        chunks / clock.Elapsed.TotalSeconds, total / clock.Elapsed.TotalSeconds);
                    results.Add(result);
                    log?.WriteLine(result);
                }
            }
        }
        finally
        {
            foreach (var (_, client) in clients)
            {
                client.Dispose();
            }

            foreach (var http in handlers)
            {
                http.Dispose();
            }
        }

        return results;
    }

    public static string ToMarkdown(IReadOnlyList<EndToEndResult> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| streams at once | contender | first update, median | first update, p95 | chunks/s | streams/s | throughput vs OpenAIChatClient |");
        sb.AppendLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results.OrderBy(r => r.Concurrency).ThenBy(r => r.Contender == "Qwen" ? 0 : 1))
        {
            var peer = results.First(p => p.Concurrency == r.Concurrency && p.Contender == "OpenAIChatClient");
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Concurrency} | {r.Contender} | {r.FirstUpdateMedianMs:F2} ms | {r.FirstUpdateP95Ms:F2} ms | {r.ChunksPerSecond:N0} | {r.StreamsPerSecond:N1} | {r.ChunksPerSecond / peer.ChunksPerSecond:F2}× |"));
        }

        return sb.ToString();
    }

    private static IChatClient Create(string contender, QwenEmulator emulator, HttpClient http) => contender == "Qwen"
        ? new QwenChatClient(new QwenClientOptions { ApiKey = emulator.ApiKey, Endpoint = emulator.Endpoint, DefaultModelId = "qwen-plus" }, http)
        : new OpenAIClient(new ApiKeyCredential(emulator.ApiKey), new OpenAIClientOptions { Endpoint = emulator.Endpoint, Transport = new HttpClientPipelineTransport(http) })
            .GetChatClient("qwen-plus").AsIChatClient();

    private static async Task<(double FirstMs, int Chunks)> StreamOnceAsync(IChatClient client)
    {
        var start = Stopwatch.GetTimestamp();
        double first = -1;
        var chunks = 0;
        await foreach (var update in client.GetStreamingResponseAsync(Workloads.Prompt, Workloads.Options))
        {
            if (update.Contents.Count > 0 && update.Contents[0] is TextContent { Text.Length: > 0 })
            {
                if (first < 0)
                {
                    first = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }

                chunks++;
            }
        }

        if (chunks < Chunks / 2)
        {
            throw new InvalidOperationException($"expected about {Chunks} text chunks, got {chunks}");
        }

        return (first, chunks);
    }

    private static string LongText(int words)
    {
        string[] vocabulary = ["The", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", "again"];
        var sb = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            sb.Append(i == 0 ? string.Empty : " ").Append(vocabulary[i % vocabulary.Length]);
        }

        return sb.Append('.').ToString();
    }
}

/// <summary>One contender at one concurrency level.</summary>
public sealed record EndToEndResult(string Contender, int Concurrency, int Streams, double FirstUpdateMedianMs, double FirstUpdateP95Ms, double ChunksPerSecond, double StreamsPerSecond);
