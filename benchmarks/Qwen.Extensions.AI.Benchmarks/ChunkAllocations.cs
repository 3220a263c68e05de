using Microsoft.Extensions.AI;

namespace Qwen.Extensions.AI.Benchmarks;

/// <summary>Exact bytes allocated per streamed text chunk (600-chunk minus 300-chunk stream, on one thread), per contender.</summary>
public static class ChunkAllocations
{
    public static IReadOnlyList<string> Measure()
    {
        var lines = new List<string>();
        foreach (var name in new[] { "Qwen", "Qwen, StreamingRawRepresentation on", "OpenAIChatClient" })
        {
            var small = Allocated(name, 300, out var total300);
            var large = Allocated(name, 600, out _);
            lines.Add($"{name}: {(large - small) / 300.0:F1} bytes per text chunk; {total300:N0} bytes for the whole 300-chunk stream");
        }

        return lines;
    }

    private static long Allocated(string name, int chunks, out long total)
    {
        using var contenders = new Contenders(Payloads.TextStream(chunks), streamingRawRepresentation: name.Contains("Raw", StringComparison.Ordinal));
        var client = name.StartsWith("Qwen", StringComparison.Ordinal) ? contenders.Qwen : contenders.OpenAI;
        Run(client);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(client);
        total = GC.GetAllocatedBytesForCurrentThread() - before;
        return total;
    }

    private static void Run(IChatClient client)
    {
        var task = Workloads.StreamAsync(client, Workloads.Prompt, Workloads.Options);
        if (!task.IsCompleted)
        {
            throw new InvalidOperationException("The canned stream did not complete synchronously; per-thread allocation counts would be incomplete.");
        }

        task.GetAwaiter().GetResult();
    }
}
