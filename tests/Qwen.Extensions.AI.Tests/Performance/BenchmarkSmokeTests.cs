using Qwen.Extensions.AI.Benchmarks;
using Payloads = Qwen.Extensions.AI.Benchmarks.Payloads;

namespace Qwen.Extensions.AI.Tests.Performance;

/// <summary>One pass of every benchmark case and contender (no timing), so CI proves the benchmark project works.</summary>
public sealed class BenchmarkSmokeTests
{
    [Fact]
    public async Task EveryCaseRunsOnceForEveryContender()
    {
        var results = await Smoke.RunAllAsync();

        Assert.Equal(
            ["Embeddings10x1024", "NonStreaming1KB", "NonStreaming20KBReasoningTools", "RequestSerialization", "ResponsesStream300Text", "Stream300ReasoningThenText", "Stream300Text", "StreamToolCalls50x3"],
            results.Select(r => r.Case).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(
            [ResponsesStream300Text.Deltas + 1, ResponsesStream300Text.Deltas + 1, ResponsesStream300Text.Deltas + 1],
            results.Where(r => r.Case == "ResponsesStream300Text" && r.Contender != "Floor").Select(r => r.Count)); // the peer reads DashScope's events as fully as Qwen
        Assert.All(results, r => Assert.True(r.Count > 0, $"{r.Case}/{r.Contender} received nothing"));
        Assert.Equal(34, results.Count); // 5 response cases × 5 contenders + the request case × 2 + embeddings × 3 + Responses stream × 4
    }

    [Fact]
    public async Task QwenReadsWhatTheCannedStreamsCarry()
    {
        var results = (await Smoke.RunAllAsync()).Where(r => r.Contender == "Qwen").ToDictionary(r => r.Case, r => r.Count);

        Assert.Equal(Payloads.StreamTextChunks + 1, results["Stream300Text"]); // 300 text updates + one usage
        Assert.Equal(Payloads.StreamTextChunks + 1, results["Stream300ReasoningThenText"]); // 150 reasoning + 150 text + usage
        Assert.Equal(4, results["StreamToolCalls50x3"]); // 3 function calls + usage
        Assert.Equal(4, results["NonStreaming20KBReasoningTools"]); // reasoning, text, 2 function calls
        Assert.Equal(ResponsesStream300Text.Deltas + 1, results["ResponsesStream300Text"]); // 300 text updates + one usage
        Assert.Equal(Embeddings10x1024.Count * Embeddings10x1024.Dimensions, results["Embeddings10x1024"]); // every float of every vector
    }
}
