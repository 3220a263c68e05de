using System.Net;

namespace Qwen.Extensions.AI.Tests.Fuzz;

/// <summary>Hand-picked hostile values (the kind the fuzzer splices in), each pinned as a regression: a QwenApiException or a clean result.</summary>
public sealed class ParserRegressionTests
{
    public static TheoryData<string> HostileCompletions() => new()
    {
        """{"id":"a","created":253402300800,"choices":[{"message":{"content":"x"},"finish_reason":"stop"}]}""",
        """{"id":"a","created":-99999999999999,"choices":[{"message":{"content":"x"},"finish_reason":"stop"}]}""",
        """{"id":"a","choices":[{"index":99999999999,"message":{"content":"x"}}]}""",
        """{"id":"a","choices":[{"message":{"content":"x","tool_calls":[{"index":-5,"function":{"name":"f","arguments":"{"}}]}}]}""",
        """{"id":"a","choices":[{"message":{"audio":{"data":"###"}}}]}""",
        """{"id":"a","choices":[{"message":{"content":[{"type":"text","text":5}]}}]}""",
        """{"id":"a","choices":[{"message":{"content":"x"}}],"usage":{"prompt_tokens":1e309}}""",
        """{"id":"a","choices":[{"message":{"content":"x"}}],"usage":{"prompt_tokens":9223372036854775808}}""",
        """{"id":"a","choices":[{"message":{"content":"x"}}],"usage":{"prompt_tokens":9223372036854775807,"completion_tokens":9223372036854775807}}""",
        """{"error":7}""",
        """{"error":{"message":{"nested":true},"code":[1,2]}}""",
        """{"choices":null}""",
        """[]""",
        """{"id":"a","choices":[null]}""",
        """{"id":"a","choices":[{"message":{"content":"\ud800"}}]}""",
    };

    [Theory]
    [MemberData(nameof(HostileCompletions))]
    public async Task HostileCompletionIsAResultOrAQwenApiException(string body)
    {
        var handler = new FakeHttpHandler().Then(() => FakeHttpHandler.Json(HttpStatusCode.OK, body));
        using var client = TestClient.WithDefaults(handler, o => o.MaxRetries = 0);

        var ex = await Record.ExceptionAsync(() => client.GetResponseAsync(TestClient.Hello));

        Assert.True(ex is null or QwenApiException, ex?.ToString());
    }

    [Theory]
    [MemberData(nameof(HostileCompletions))]
    public async Task HostileStreamEventIsAResultOrAQwenApiException(string body)
    {
        var chunk = body.Replace("\"message\"", "\"delta\"", StringComparison.Ordinal);
        var handler = new FakeHttpHandler().Then(() => FakeHttpHandler.Sse(new MemoryStream(Payloads.SseBytes(Payloads.Chunk("a"), chunk, Payloads.UsageChunk, "[DONE]"))));
        using var client = TestClient.WithDefaults(handler, o => o.MaxRetries = 0);

        var ex = await Record.ExceptionAsync(() => TestClient.DrainAsync(client.GetStreamingResponseAsync(TestClient.Hello)));

        Assert.True(ex is null or QwenApiException, ex?.ToString());
    }
}
