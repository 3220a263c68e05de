using System.Net;
using System.Text;
using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Mapping;

namespace Qwen.Extensions.AI.Tests.Performance;

/// <summary>The SSE event size cap: the BCL parser buffers a line without limit, so the reader stops an event that outgrows it.</summary>
public sealed class EventSizeLimitTests
{
    private const string Chunk = "{\"id\":\"c1\",\"model\":\"qwen-plus\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}";

    [Fact]
    public async Task AnEventLargerThanTheLimitFailsWithQwenApiException()
    {
        var huge = "data: {\"pad\":\"" + new string('x', 5_000) + "\"}\n\n";
        var ex = await Assert.ThrowsAsync<QwenApiException>(() => ReadAsync("data: " + Chunk + "\n\n" + huge + "data: [DONE]\n\n", maxEventBytes: 4_096));

        Assert.Contains("4,096", ex.Message, StringComparison.Ordinal);
        Assert.Equal("req-1", ex.RequestId);
    }

    [Fact]
    public async Task ALineThatNeverEndsFailsWithoutBufferingTheWholeStream()
    {
        var ex = await Assert.ThrowsAsync<QwenApiException>(() => ReadAsync("data: " + new string('y', 100_000), maxEventBytes: 8_192));

        Assert.Contains("larger than", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public async Task ManyEventsUnderTheLimitPassWhateverTheLineEnds(string newline)
    {
        // 200 events of ~110 bytes each: the count must restart at every blank line, or this would trip a 1 KB limit.
        var sse = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            sse.Append("data: ").Append(Chunk).Append(newline).Append(newline);
        }

        sse.Append("data: [DONE]").Append(newline).Append(newline);

        var updates = await ReadAsync(sse.ToString(), maxEventBytes: 1_024);

        Assert.Equal(200, updates.Count);
    }

    [Fact]
    public async Task TheLimitCountsAllDataLinesOfOneEvent()
    {
        // One event split over many data: lines is one event to the parser, and is counted as one.
        var sse = new StringBuilder();
        for (var i = 0; i < 100; i++)
        {
            sse.Append("data: ").Append(new string(' ', 50)).Append('\n');
        }

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => ReadAsync(sse.Append('\n').ToString(), maxEventBytes: 2_048));

        Assert.Contains("larger than 2,048 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultLimitIsGenerous() => Assert.Equal(16 * 1024 * 1024, Qwen.Extensions.AI.Http.ResponseEventStream.DefaultMaxEventBytes);

    private static async Task<List<ChatResponseUpdate>> ReadAsync(string sse, int maxEventBytes)
    {
        var reader = new StreamingResponseReader("req-1", includeReasoning: true, HttpStatusCode.OK, maxEventBytes);
        var updates = new List<ChatResponseUpdate>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var update in reader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(sse)), cts.Token))
        {
            updates.Add(update);
        }

        return updates;
    }
}
