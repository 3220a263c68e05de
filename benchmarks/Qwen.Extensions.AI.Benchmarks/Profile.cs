using System.Diagnostics;
using System.Net;
using Qwen.Extensions.AI.Mapping;

namespace Qwen.Extensions.AI.Benchmarks;

/// <summary>A rough split of the 300-chunk text stream's time: the floor, the reader alone (no HTTP), and the whole client.</summary>
public static class Profile
{
    public static async Task<IReadOnlyList<string>> RunAsync(int rounds = 7, int iterations = 300)
    {
        var response = Payloads.Stream300Text;
        using var contenders = new Contenders(response);
        using var http = new HttpClient(new CannedHandler(response));
        using var noIdleTimer = new QwenChatClient(
            new QwenClientOptions { ApiKey = "sk-profile", Endpoint = Contenders.Endpoint, DefaultModelId = Payloads.Model, StreamingIdleTimeout = Timeout.InfiniteTimeSpan }, http);
        var steps = new (string Name, Func<Task> Run)[]
        {
            ("floor (SseParser + Utf8JsonReader)", () => Workloads.FloorSseAsync(response)),
            ("SseParser + CompletionJsonReader into a frame (no updates)", async () =>
            {
                var frame = new Qwen.Extensions.AI.Wire.ChatCompletionFrame();
                var parser = System.Net.ServerSentEvents.SseParser.Create(new CannedStream(response.Body, response.EventEnds), (_, data) =>
                {
                    if (!data.SequenceEqual("[DONE]"u8))
                    {
                        frame.Reset();
                        CompletionJsonReader.Read(data, frame);
                    }

                    return 0;
                });
                await foreach (var item in parser.EnumerateAsync())
                {
                    _ = item;
                }
            }),
            ("... same over ResponseEventStream (event-size cap)", async () =>
            {
                var frame = new Qwen.Extensions.AI.Wire.ChatCompletionFrame();
                var limited = Qwen.Extensions.AI.Http.ResponseEventStream.LimitEvents(new CannedStream(response.Body, response.EventEnds), Qwen.Extensions.AI.Http.ResponseEventStream.DefaultMaxEventBytes, HttpStatusCode.OK, null);
                var parser = System.Net.ServerSentEvents.SseParser.Create(limited, (_, data) =>
                {
                    if (!data.SequenceEqual("[DONE]"u8))
                    {
                        frame.Reset();
                        CompletionJsonReader.Read(data, frame);
                    }

                    return 0;
                });
                await foreach (var item in parser.EnumerateAsync())
                {
                    _ = item;
                }
            }),
            ("300 x (ChatResponseUpdate + List + TextContent + string)", () =>
            {
                for (var i = 0; i < 300; i++)
                {
                    var contents = new List<Microsoft.Extensions.AI.AIContent>(1) { new Microsoft.Extensions.AI.TextContent(new string('x', 5)) };
                    _ = new Microsoft.Extensions.AI.ChatResponseUpdate(Microsoft.Extensions.AI.ChatRole.Assistant, contents) { ResponseId = "a", MessageId = "a", ModelId = "m" };
                }

                return Task.CompletedTask;
            }),
            ("reader only (no HTTP)", async () =>
            {
                var reader = new StreamingResponseReader("r", includeReasoning: true, HttpStatusCode.OK);
                await foreach (var update in reader.ReadAsync(new CannedStream(response.Body, response.EventEnds), default))
                {
                    _ = update;
                }
            }),
            ("QwenChatClient", () => Workloads.StreamAsync(contenders.Qwen, Workloads.Prompt, Workloads.Options)),
            ("QwenChatClient, StreamingIdleTimeout off", () => Workloads.StreamAsync(noIdleTimer, Workloads.Prompt, Workloads.Options)),
        };
        var best = new double[steps.Length];
        Array.Fill(best, double.MaxValue);
        for (var round = 0; round < rounds; round++)
        {
            for (var s = 0; s < steps.Length; s++)
            {
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < iterations; i++)
                {
                    await steps[s].Run();
                }

                best[s] = Math.Min(best[s], clock.Elapsed.TotalMicroseconds / iterations);
            }
        }

        return steps.Select((s, i) => $"{s.Name}: {best[i]:F1} µs (best of {rounds} rounds of {iterations})").ToList();
    }
}
