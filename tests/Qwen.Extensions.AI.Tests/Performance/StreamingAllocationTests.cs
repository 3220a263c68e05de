using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Benchmarks;
using Payloads = Qwen.Extensions.AI.Benchmarks.Payloads;

namespace Qwen.Extensions.AI.Tests.Performance;

/// <summary>
/// Allocation regression for the streaming hot path. The canned handler and stream complete synchronously, so a whole stream runs
/// on the test thread and <see cref="GC.GetAllocatedBytesForCurrentThread"/> is exact and deterministic. The difference between a
/// 600-chunk and a 300-chunk stream cancels the per-request costs, leaving the bytes each text chunk costs.
/// </summary>
public sealed class StreamingAllocationTests
{
    /// <summary>The target of the performance issue: at most this many bytes allocated per streamed text chunk.</summary>
    private const int MaxBytesPerTextChunk = 400;

    /// <summary>What the default configuration must keep per streamed text chunk (292 B in the README's numbers).</summary>
    private const int DefaultBudgetPerTextChunk = 311;

    [Fact]
    public void TextStreamAllocatesAtMost400BytesPerChunk()
    {
        var perChunk = (Allocated(600) - Allocated(300)) / 300.0;

        Assert.True(perChunk <= MaxBytesPerTextChunk, $"a streamed text chunk allocates {perChunk:F1} bytes; the budget is {MaxBytesPerTextChunk}");
    }

    [Fact]
    public void WholeTextStreamStaysWithinBudgetIncludingTheRequest()
    {
        // 300 chunks, per-request costs (HttpClient, request body, parser) included.
        var total = Allocated(300);

        Assert.True(total <= 300 * MaxBytesPerTextChunk, $"a 300-chunk stream allocates {total:N0} bytes in all");
    }

    [Fact]
    public void PerChunkCostsWithAndWithoutStreamingRawRepresentation()
    {
        // Measured to choose the default (docs/wire-mapping.md): the per-event JsonElement copy is opt-in because of its cost.
        var off = (Allocated(600) - Allocated(300)) / 300.0;
        var on = (Allocated(600, raw: true) - Allocated(300, raw: true)) / 300.0;
        Console.WriteLine($"bytes per streamed text chunk: {off:F1} by default, {on:F1} with StreamingRawRepresentation");

        // 291.8 and 1063.6 bytes when measured: a raw event per update would break the 311-byte budget, so it is opt-in.
        Assert.True(off <= DefaultBudgetPerTextChunk, $"default: {off:F1} bytes per chunk; the budget is {DefaultBudgetPerTextChunk}");
        Assert.True(on > DefaultBudgetPerTextChunk, $"with raw events {on:F1} bytes per chunk: if this is now within budget, reconsider making it the default");
    }

    private static long Allocated(int chunks, bool raw = false)
    {
        using var contenders = new Contenders(Payloads.TextStream(chunks), streamingRawRepresentation: raw);
        Run(contenders.Qwen); // warm: JIT, pools, static caches
        var before = GC.GetAllocatedBytesForCurrentThread();
        var count = Run(contenders.Qwen);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(chunks + 1, count);
        return allocated;
    }

    private static int Run(IChatClient client)
    {
        var task = Workloads.StreamAsync(client, Workloads.Prompt, Workloads.Options);
        Assert.True(task.IsCompleted, "the canned stream should complete synchronously, or the per-thread count would miss work");
        return task.GetAwaiter().GetResult();
    }
}
