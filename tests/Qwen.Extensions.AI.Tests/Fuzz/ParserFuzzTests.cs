using System.Diagnostics;
using System.Net;
using System.Text;
using Xunit.Abstractions;

namespace Qwen.Extensions.AI.Tests.Fuzz;

/// <summary>
/// A seeded fuzz test of the response and stream parsers: random mutations of captured payloads go through the whole client
/// (handler → sender → reader → mapper). The only exception allowed out is <see cref="QwenApiException"/>, the documented type
/// for a broken answer; never a <see cref="NullReferenceException"/>, <see cref="IndexOutOfRangeException"/>,
/// <see cref="InvalidCastException"/> or anything else, and never a hang (each case is bounded).
/// </summary>
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20260522;
    private const int CasesPerPath = 4000;
    private static readonly TimeSpan CaseBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task MutatedCompletionBodiesOnlyEverThrowQwenApiException()
    {
        var random = new Random(Seed);
        byte[] payload = [];
        var handler = new FakeHttpHandler().Always((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(payload) }));
        using var client = TestClient.WithDefaults(handler, o => o.MaxRetries = 0);
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>();
        var watch = Stopwatch.StartNew();

        for (var i = 0; i < CasesPerPath; i++)
        {
            payload = Mutate(random, Encoding.UTF8.GetBytes(FuzzCorpus.Completions[random.Next(FuzzCorpus.Completions.Length)]));
            var ex = await RunBoundedAsync(() => client.GetResponseAsync(TestClient.Hello));
            Record(ex, payload, i, failures, outcomes);
        }

        Report(watch, outcomes);
        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Take(5)));
    }

    [Fact]
    public async Task MutatedStreamsOnlyEverThrowQwenApiException()
    {
        var random = new Random(Seed + 1);
        byte[] payload = [];
        var handler = new FakeHttpHandler().Always((_, _) => Task.FromResult(FakeHttpHandler.Sse(new MemoryStream(payload))));
        using var client = TestClient.WithDefaults(handler, o => o.MaxRetries = 0);
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>();
        var watch = Stopwatch.StartNew();

        for (var i = 0; i < CasesPerPath; i++)
        {
            payload = MutateStream(random, FuzzCorpus.Streams[random.Next(FuzzCorpus.Streams.Length)]);
            var ex = await RunBoundedAsync(() => TestClient.DrainAsync(client.GetStreamingResponseAsync(TestClient.Hello)));
            Record(ex, payload, i, failures, outcomes);
        }

        Report(watch, outcomes);
        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Take(5)));
    }

    [Fact]
    public async Task MutatedStreamsThroughGetResponseAggregationOnlyEverThrowQwenApiException()
    {
        // The same mutations, aggregated by MEAI's ToChatResponseAsync, as the stream-only fallback does.
        var random = new Random(Seed + 2);
        byte[] payload = [];
        var handler = new FakeHttpHandler().Always((_, _) => Task.FromResult(FakeHttpHandler.Sse(new MemoryStream(payload))));
        using var client = TestClient.WithDefaults(handler, o => o.MaxRetries = 0);
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>();

        for (var i = 0; i < CasesPerPath / 4; i++)
        {
            payload = MutateStream(random, FuzzCorpus.Streams[random.Next(FuzzCorpus.Streams.Length)]);
            var ex = await RunBoundedAsync(async () => await Microsoft.Extensions.AI.ChatResponseExtensions.ToChatResponseAsync(client.GetStreamingResponseAsync(TestClient.Hello)));
            Record(ex, payload, i, failures, outcomes);
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Take(5)));
    }

    private static async Task<Exception?> RunBoundedAsync(Func<Task> run)
    {
        var task = run();
        try
        {
            await task.WaitAsync(CaseBound);
            return null;
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            return new HangException();
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private static void Record(Exception? ex, byte[] payload, int index, List<string> failures, Dictionary<string, int> outcomes)
    {
        var key = ex is null ? "success" : ex.GetType().Name;
        outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        if (ex is not null and not QwenApiException)
        {
            failures.Add($"case {index}: {ex.GetType().FullName}: {ex.Message}\npayload: {Encoding.UTF8.GetString(payload)[..Math.Min(payload.Length, 600)]}\n{ex.StackTrace}");
        }
    }

    private void Report(Stopwatch watch, Dictionary<string, int> outcomes) =>
        output.WriteLine($"{CasesPerPath} cases in {watch.ElapsedMilliseconds} ms: " + string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}")));

    private static byte[] MutateStream(Random random, string[] events)
    {
        var list = events.ToList();
        switch (random.Next(6))
        {
            case 0 when list.Count > 1:
                list.RemoveAt(random.Next(list.Count)); // drop an event (maybe [DONE])
                break;
            case 1:
                list.Insert(random.Next(list.Count + 1), list[random.Next(list.Count)]); // repeat one
                break;
            case 2 when list.Count > 1:
                var a = random.Next(list.Count);
                var b = random.Next(list.Count);
                (list[a], list[b]) = (list[b], list[a]);
                break;
        }

        // Mutate one or two events, or the whole SSE text.
        if (random.Next(3) == 0)
        {
            return Mutate(random, Encoding.UTF8.GetBytes(Payloads.Sse(list)));
        }

        for (var n = random.Next(1, 3); n > 0; n--)
        {
            var at = random.Next(list.Count);
            list[at] = Encoding.UTF8.GetString(Mutate(random, Encoding.UTF8.GetBytes(list[at])));
        }

        return Encoding.UTF8.GetBytes(Payloads.Sse(list));
    }

    /// <summary>Half the cases keep the JSON well-formed and only swap values (wrong types, extremes); half break bytes anywhere.</summary>
    private static byte[] Mutate(Random random, byte[] input)
    {
        var bytes = new List<byte>(input);
        var semantic = random.Next(2) == 0;
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (semantic ? 5 : random.Next(7))
            {
                case 0 when bytes.Count > 0: // flip a byte
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1: // truncate
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 2 when bytes.Count > 0: // delete a span
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 40), bytes.Count - at));
                    break;
                case 3 when bytes.Count > 0: // duplicate a span
                    var span = bytes.GetRange(at, Math.Min(random.Next(1, 60), bytes.Count - at));
                    bytes.InsertRange(random.Next(bytes.Count), span);
                    break;
                case 4: // splice a token
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(FuzzCorpus.Tokens[random.Next(FuzzCorpus.Tokens.Length)]));
                    break;
                case 5: // replace the value after a ':' with a token of another type
                    var colon = bytes.IndexOf((byte)':', at);
                    if (colon >= 0)
                    {
                        var end = colon + 1;
                        while (end < bytes.Count && bytes[end] is not ((byte)',' or (byte)'}' or (byte)']'))
                        {
                            end++;
                        }

                        bytes.RemoveRange(colon + 1, end - colon - 1);
                        bytes.InsertRange(colon + 1, Encoding.UTF8.GetBytes(FuzzCorpus.Tokens[random.Next(FuzzCorpus.Tokens.Length)]));
                    }

                    break;
                default: // invalid UTF-8
                    bytes.InsertRange(at, random.Next(2) == 0 ? new byte[] { 0xC3, 0x28 } : new byte[] { 0xFF, 0xFE, 0xED, 0xA0, 0x80 });
                    break;
            }
        }

        return bytes.ToArray();
    }

    private sealed class HangException() : Exception("The case did not finish within the bound: a hang.");
}
