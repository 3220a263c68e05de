using System.Text.Json;
using Microsoft.Extensions.AI;
using Moq;
using Qwen.Extensions.AI.Benchmarks;
using Payloads = Qwen.Extensions.AI.Benchmarks.Payloads;
using Qwen.Extensions.AI.Http;
using Qwen.Extensions.AI.Mapping;

namespace Qwen.Extensions.AI.Tests.Performance;

/// <summary>The request body is written without intermediate strings: images are base64-encoded straight into the pooled body.</summary>
public sealed class RequestBodyTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(12_287)]
    [InlineData(12_288)]
    [InlineData(12_289)]
    [InlineData(100_000)]
    public void DataContentIsWrittenAsTheSameDataUriAsDataContentUri(int size)
    {
        var image = BigRequest.Image(size);
        var content = new DataContent(image, "image/png");

        var url = WriteAndReadImageUrl(new ChatMessage(ChatRole.User, [new TextContent("look"), content]));

        Assert.Equal(new DataContent(image, "image/png").Uri, url);
    }

    [Fact]
    public void TextNeedsNoHtmlEscapingInTheBody()
    {
        using var body = new PooledBufferWriter();
        ChatRequestWriter.Write(body, [new ChatMessage(ChatRole.User, "你好 <b>&'+")], null, "qwen-plus", stream: false, new Mock<IChatClient>().Object);

        var json = System.Text.Encoding.UTF8.GetString(body.WrittenSpan);
        Assert.Contains("你好 <b>&'+", json, StringComparison.Ordinal);
        Assert.Equal("你好 <b>&'+", JsonDocument.Parse(json).RootElement.GetProperty("messages")[0].GetProperty("content").GetString());
    }

    [Fact]
    public void A7800KBImageCostsNoMoreThanThePooledBodyOnceWarm()
    {
        // The largest image the service accepts inline (~7.8 MB; a data URI is capped at 10,485,760 bytes).
        var image = BigRequest.Image(7_800_000);
        using var contenders = new Contenders(Payloads.NonStreaming1KB, drainRequest: true);
        var (messages, options) = BigRequest.Create(image);
        Run(contenders.Qwen, messages, options); // rents the body buffer once

        (messages, options) = BigRequest.Create(image); // a fresh DataContent: it caches its data URI string once asked
        // The canned handler and body complete synchronously, so the whole call runs on this thread and the per-thread
        // count is exact: tests running in parallel cannot inflate it (a whole-process count could fail by chance).
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(contenders.Qwen, messages, options);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(contenders.Handler.RequestBytes, 10_400_000, 10_500_000);
        // The old path allocated a 20 MB UTF-16 data URI per call.
        Assert.True(allocated < 4_000_000, $"sending a 7.8 MB image allocated {allocated:N0} bytes");
    }

    private static void Run(IChatClient client, IList<ChatMessage> messages, ChatOptions options)
    {
        var task = Workloads.ResponseAsync(client, messages, options);
        Assert.True(task.IsCompleted, "the canned exchange should complete synchronously, or the per-thread count would miss work");
        task.GetAwaiter().GetResult();
    }

    private static string? WriteAndReadImageUrl(ChatMessage message)
    {
        using var body = new PooledBufferWriter();
        ChatRequestWriter.Write(body, [message], null, "qwen-vl-plus", stream: false, new Mock<IChatClient>().Object);
        using var doc = JsonDocument.Parse(body.WrittenMemory);
        return doc.RootElement.GetProperty("messages")[0].GetProperty("content")[1].GetProperty("image_url").GetProperty("url").GetString();
    }
}
