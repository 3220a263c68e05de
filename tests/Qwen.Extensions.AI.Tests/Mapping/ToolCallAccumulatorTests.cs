using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Mapping;
using Qwen.Extensions.AI.Wire;

namespace Qwen.Extensions.AI.Tests.Mapping;

public sealed class ToolCallAccumulatorTests
{
    // Issue 11, row 12: the open call of an index is found in O(1). A million fragments over 200,000 indices take about a second;
    // a scan per fragment (the old code) would take on the order of 10^11 comparisons, far beyond the generous guard.
    [Fact]
    public async Task AMillionFragmentsOverManyIndicesAccumulateLinearly()
    {
        const int Indices = 200_000;
        const int Fragments = 1_000_000;
        var contents = await Task.Run(() =>
        {
            var accumulator = new ToolCallAccumulator();
            for (var i = 0; i < Fragments; i++)
            {
                var index = i % Indices;
                var round = i / Indices;
                var arguments = round switch { 0 => "{\"x\":\"", 4 => "\"}", _ => "y" };
                accumulator.Add(new ToolCallFragment { Index = index, Id = round == 0 ? $"call_{index}" : string.Empty, Name = round == 0 ? "f" : null, Arguments = arguments });
            }

            var list = new List<AIContent>();
            accumulator.Flush(list);
            return list;
        }).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(Indices, contents.Count);
        var last = Assert.IsType<FunctionCallContent>(contents[^1]);
        Assert.Equal($"call_{Indices - 1}", last.CallId);
        Assert.Equal("yyy", last.Arguments!["x"]?.ToString());
    }

    [Fact]
    public void AReusedIndexStartsANewCallAlsoPastTheScanLimit()
    {
        var accumulator = new ToolCallAccumulator();
        for (var i = 0; i < 20; i++)
        {
            accumulator.Add(new ToolCallFragment { Index = i, Id = $"a{i}", Name = "f", Arguments = "{}" });
        }

        accumulator.Add(new ToolCallFragment { Index = 3, Id = "b3", Name = "g", Arguments = "{\"x\":" });
        accumulator.Add(new ToolCallFragment { Index = 3, Arguments = "1}" });
        var contents = new List<AIContent>();
        accumulator.Flush(contents);

        var calls = contents.Cast<FunctionCallContent>().ToList();
        Assert.Equal(21, calls.Count);
        Assert.Equal("b3", calls[^1].CallId);
        Assert.Equal(1, Convert.ToInt32(calls[^1].Arguments!["x"]?.ToString(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(calls[3].Arguments!);
    }
}
