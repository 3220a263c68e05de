using System.Text.Json;
using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.TestUtilities.TestClient;

namespace Qwen.Extensions.AI.Tests.Mapping;

/// <summary>Streams the way DashScope sends them (docs/wire-mapping.md "Response: completion body / SSE chunks", the streaming rows), as .sse fixtures.</summary>
public sealed class StreamingResponseReaderTests
{
    private static List<ChatMessage> Hi() => [new(ChatRole.User, "Hi")];

    private static async Task<List<ChatResponseUpdate>> StreamFixtureAsync(string fixture, string? requestId = CannedResponse.DefaultRequestId)
    {
        using var client = Create(new FakeHttpHandler(CannedResponse.SseFixture(fixture, requestId)));
        return await StreamAsync(client, Hi());
    }

    private static readonly JsonSerializerOptions Compact = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    private static string Arguments(FunctionCallContent call) => JsonSerializer.Serialize(call.Arguments, Compact);

    [Fact]
    public async Task EmptyStringIdContinuationsAndEmptyTrailersBuildOneCompleteCall()
    {
        var updates = await StreamFixtureAsync("Streams/tool-call-fragments.sse");

        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal("call_8f08d2b0fc0c4d8fab7123", call.CallId);
        Assert.Equal("get_current_weather", call.Name);
        Assert.Null(call.Exception);
        Assert.Equal("""{"location":"Hangzhou"}""", Arguments(call));
    }

    [Fact]
    public async Task ToolCallsAreEmittedOnceAtTheFinishReasonChunk()
    {
        var updates = await StreamFixtureAsync("Streams/tool-call-fragments.sse");

        var finish = Assert.Single(updates, u => u.FinishReason is not null);
        Assert.Equal(ChatFinishReason.ToolCalls, finish.FinishReason);
        Assert.IsType<FunctionCallContent>(Assert.Single(finish.Contents));
        Assert.DoesNotContain(updates.TakeWhile(u => u != finish).SelectMany(u => u.Contents), c => c is FunctionCallContent);
    }

    [Fact]
    public async Task ARepeatedRealIdInTheSecondFragmentDoesNotStartANewCall()
    {
        var updates = await StreamFixtureAsync("Streams/tool-call-repeated-id.sse");

        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal("call_repeat_0001", call.CallId);
        Assert.Equal("get_current_time", call.Name);
        Assert.Equal("""{"timezone":"Asia/Shanghai"}""", Arguments(call));
    }

    [Fact]
    public async Task ParallelCallsAreKeyedByIndexIncludingIdLessContinuations()
    {
        var updates = await StreamFixtureAsync("Streams/parallel-tool-calls.sse");

        var calls = updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(("call_weather_hz", "get_current_weather", """{"location":"Hangzhou"}"""), (calls[0].CallId, calls[0].Name, Arguments(calls[0])));
        Assert.Equal(("call_weather_sh", "get_current_weather", """{"location":"Shanghai"}"""), (calls[1].CallId, calls[1].Name, Arguments(calls[1])));
        Assert.All(calls, c => Assert.Null(c.Exception));
    }

    [Fact]
    public async Task ParallelCallsAggregateIntoOneAssistantMessage()
    {
        using var client = Create(new FakeHttpHandler(CannedResponse.SseFixture("Streams/parallel-tool-calls.sse")));
        var response = await client.GetStreamingResponseAsync(Hi()).ToChatResponseAsync();

        var message = Assert.Single(response.Messages);
        Assert.Equal(2, message.Contents.OfType<FunctionCallContent>().Count());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal(340, response.Usage?.TotalTokenCount);
    }

    [Fact]
    public async Task FinishReasonInItsOwnChunkWithEmptyDeltaIsAnUpdateWithoutContent()
    {
        var updates = await StreamFixtureAsync("Streams/reasoning-and-text.sse");

        var finish = Assert.Single(updates, u => u.FinishReason is not null);
        Assert.Equal(ChatFinishReason.Stop, finish.FinishReason);
        Assert.Empty(finish.Contents);
    }

    [Theory]
    [InlineData("Streams/reasoning-and-text.sse")]
    [InlineData("Streams/tool-call-fragments.sse")]
    [InlineData("Streams/parallel-tool-calls.sse")]
    [InlineData("Streams/tool-call-repeated-id.sse")]
    [InlineData("Streams/qwen-plus-with-usage.sse")]
    [InlineData("Streams/vision-with-usage.sse")]
    public async Task TheUsageOnlyFinalChunkBecomesExactlyOneUsageContentInTheLastUpdate(string fixture)
    {
        var updates = await StreamFixtureAsync(fixture);

        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        Assert.Same(usage, Assert.Single(updates[^1].Contents));
        Assert.True(usage.Details.TotalTokenCount > 0);
    }

    [Fact]
    public async Task EveryUpdateCarriesRoleResponseIdModelAndCreated()
    {
        var updates = await StreamFixtureAsync("Streams/reasoning-and-text.sse");

        Assert.All(updates, u =>
        {
            Assert.Equal(ChatRole.Assistant, u.Role);
            Assert.Equal("chatcmpl-reasoning", u.ResponseId);
            Assert.Equal("qwen3-plus", u.ModelId);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1745485391), u.CreatedAt);
        });
    }

    [Fact]
    public async Task AnErrorEventMidStreamThrowsQwenApiExceptionAfterTheTextBeforeIt()
    {
        using var client = Create(new FakeHttpHandler(CannedResponse.SseFixture("Streams/error-mid-stream.sse", requestId: null)));
        var received = new List<ChatResponseUpdate>();
        var ex = await Assert.ThrowsAsync<QwenApiException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Hi()))
            {
                received.Add(update);
            }
        });

        Assert.Equal("Partial", Assert.Single(received).Text);
        Assert.Equal("data_inspection_failed", ex.ErrorCode);
        Assert.Equal("data_inspection_failed", ex.ErrorType);
        Assert.Null(ex.Param);
        Assert.Equal("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", ex.RequestId);
        Assert.Null(ex.StatusCode);
        Assert.Equal("Output data may contain inappropriate content.", ex.ServiceMessage);
        Assert.Contains("Output data may contain inappropriate content.", ex.Message);
        Assert.Contains("data_inspection_failed", ex.Message);
    }

    [Fact]
    public async Task AnErrorEventMidStreamPrefersTheXRequestIdHeader()
    {
        using var client = Create(new FakeHttpHandler(CannedResponse.SseFixture("Streams/error-mid-stream.sse")));
        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.GetStreamingResponseAsync(Hi()).ToChatResponseAsync());
        Assert.Equal(CannedResponse.DefaultRequestId, ex.RequestId);
    }

    [Fact]
    public async Task AnErrorEventMidStreamFailsGetResponseOnTheStreamOnlyPathToo()
    {
        var handler = new FakeHttpHandler(
            StreamOnlyFallbackTests.StreamOnlyRejection(),
            CannedResponse.SseFixture("Streams/error-mid-stream.sse"));
        using var client = Create(handler);
        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(Hi()));
        Assert.Equal("data_inspection_failed", ex.ErrorCode);
    }

    [Fact]
    public async Task TheNativeErrorShapeMidStreamThrowsToo()
    {
        const string sse = """
            data: {"choices":[{"delta":{"content":"Partial","role":"assistant"},"index":0,"finish_reason":null}],"object":"chat.completion.chunk","created":1,"model":"qwen-plus","id":"chatcmpl-n"}

            data: {"code":"InternalError.Algo","message":"An internal error has occured during algorithm execution.","request_id":"native-req-1"}


            """;
        using var client = Create(new FakeHttpHandler(CannedResponse.Sse(sse, requestId: null)));
        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.GetStreamingResponseAsync(Hi()).ToChatResponseAsync());
        Assert.Equal("InternalError.Algo", ex.ErrorCode);
        Assert.Equal("native-req-1", ex.RequestId);
    }

    [Fact]
    public async Task AStreamCutBeforeDoneThrowsAfterThePartialText()
    {
        using var client = Create(new FakeHttpHandler(CannedResponse.SseFixture("Streams/cut-before-done.sse")));
        var received = new List<ChatResponseUpdate>();
        var ex = await Assert.ThrowsAsync<QwenApiException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Hi()))
            {
                received.Add(update);
            }
        });

        Assert.Equal("The answer is", Assert.Single(received).Text);
        Assert.Contains("[DONE]", ex.Message);
        Assert.Equal(CannedResponse.DefaultRequestId, ex.RequestId);
    }

    [Fact]
    public async Task AStreamCutBeforeDoneIsNotAQuietSuccessWhenAggregated()
    {
        using var client = Create(new FakeHttpHandler(CannedResponse.SseFixture("Streams/cut-before-done.sse")));
        await Assert.ThrowsAsync<QwenApiException>(() => client.GetStreamingResponseAsync(Hi()).ToChatResponseAsync());
    }

    [Fact]
    public async Task AStreamWithFinishReasonButNoDoneIsStillAnError()
    {
        var sse = Fixture.Text("Streams/qwen-plus-with-usage.sse").Replace("data: [DONE]", "", StringComparison.Ordinal);
        using var client = Create(new FakeHttpHandler(CannedResponse.Sse(sse)));
        await Assert.ThrowsAsync<QwenApiException>(() => client.GetStreamingResponseAsync(Hi()).ToChatResponseAsync());
    }

    [Fact]
    public async Task AConnectionResetMidStreamIsAQwenApiExceptionWrappingTheIOError()
    {
        var bytes = Fixture.Bytes("Streams/qwen-plus-with-usage.sse");
        var canned = new CannedResponse { Body = bytes, ContentType = "text/event-stream", ResetAfterBytes = bytes.Length / 2 };
        canned.Headers["x-request-id"] = "reset-req-1";
        using var client = Create(new FakeHttpHandler(canned));
        var received = new List<ChatResponseUpdate>();
        var ex = await Assert.ThrowsAsync<QwenApiException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Hi()))
            {
                received.Add(update);
            }
        });

        Assert.NotEmpty(received);
        Assert.IsType<IOException>(ex.InnerException);
        Assert.Equal("reset-req-1", ex.RequestId);
        Assert.DoesNotContain(ApiKey, ex.ToString());
    }

    [Fact]
    public async Task AMalformedEventIsAQwenApiExceptionNotAJsonException()
    {
        const string sse = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"\n\ndata: [DONE]\n\n";
        using var client = Create(new FakeHttpHandler(CannedResponse.Sse(sse)));
        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.GetStreamingResponseAsync(Hi()).ToChatResponseAsync());
        Assert.Contains("malformed", ex.Message);
    }

    [Fact]
    public async Task EventsAfterDoneAreIgnored()
    {
        var sse = Fixture.Text("Streams/qwen-plus-with-usage.sse") +
            "data: {\"choices\":[{\"delta\":{\"content\":\"AFTER\"},\"index\":0,\"finish_reason\":null}],\"model\":\"qwen-plus\",\"id\":\"x\"}\n\n";
        using var client = Create(new FakeHttpHandler(CannedResponse.Sse(sse)));
        var response = await client.GetStreamingResponseAsync(Hi()).ToChatResponseAsync();
        Assert.DoesNotContain("AFTER", response.Text);
    }
}
