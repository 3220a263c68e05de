using System.Net;
using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.TestUtilities.TestClient;

namespace Qwen.Extensions.AI.Tests;

/// <summary>
/// Stream-only models: GetResponseAsync streams under the hood. Models the table of model facts marks stream-only (QVQ, QwQ, Omni)
/// stream from the first call; unknown ones are learnt from the service's refusal and remembered.
/// </summary>
public sealed class StreamOnlyFallbackTests
{
    public const string StreamOnlyMessage = "This model only support stream mode, please enable the stream parameter to access the model. ";
    public const string ThinkingMessage = "parameter.enable_thinking must be set to false for non-streaming calls";
    public const string ThinkingStreamOnlyMessage = "parameter.enable_thinking only support stream call";
    public const string OmniAudioMessage = "'audio' output only support with stream=true";
    public const string HttpCallMessage = "current user api does not support http call";

    /// <summary>A model the table of model facts does not know: its stream-only nature is learnt from the service's refusal.</summary>
    public const string UnknownStreamOnlyModel = "qwen-next-reasoner";

    public static CannedResponse StreamOnlyRejection(string message = StreamOnlyMessage) =>
        CannedResponse.Error(HttpStatusCode.BadRequest, "invalid_parameter_error", "invalid_request_error", message);

    private static List<ChatMessage> Hi() => [new(ChatRole.User, "Hi")];

    [Theory]
    [InlineData(StreamOnlyMessage)]
    [InlineData(ThinkingMessage)]
    [InlineData(ThinkingStreamOnlyMessage)]
    [InlineData(OmniAudioMessage)]
    [InlineData(HttpCallMessage)]
    public async Task ARejectedNonStreamingCallIsReissuedStreamingAndAggregated(string message)
    {
        var handler = new FakeHttpHandler(StreamOnlyRejection(message), CannedResponse.SseFixture("Streams/reasoning-and-text.sse"));
        using var client = Create(handler);

        var response = await client.GetResponseAsync(Hi(), new ChatOptions { ModelId = UnknownStreamOnlyModel });

        Assert.Equal(2, handler.Requests.Count);
        JsonAssert.Equal("""{"model":"qwen-next-reasoner","messages":[{"role":"user","content":"Hi"}]}""", handler.Requests[0].Json);
        JsonAssert.Equal(
            """{"model":"qwen-next-reasoner","messages":[{"role":"user","content":"Hi"}],"stream":true,"stream_options":{"include_usage":true}}""",
            handler.Requests[1].Json);
        var single = Assert.Single(response.Messages);
        Assert.Equal("The answer is 2.", single.Text);
        Assert.Equal("The user asks 1+1. That is 2.", string.Concat(single.Contents.OfType<TextReasoningContent>().Select(r => r.Text)));
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(74, response.Usage?.TotalTokenCount);
        Assert.Equal(52, response.Usage?.ReasoningTokenCount);
        Assert.Equal("chatcmpl-reasoning", response.ResponseId);
        Assert.Equal(CannedResponse.DefaultRequestId, response.AdditionalProperties?[QwenPropertyNames.RequestId]);
    }

    [Fact]
    public async Task TheSecondCallForTheSameModelStreamsStraightAway()
    {
        var handler = new FakeHttpHandler(StreamOnlyRejection(), CannedResponse.MinimalStream("first"));
        using var client = Create(handler);
        await client.GetResponseAsync(Hi(), new ChatOptions { ModelId = "qwen-next-vision" });

        Assert.Equal(2, handler.Requests.Count);
        handler.Enqueue(CannedResponse.MinimalStream("second"));
        var response = await client.GetResponseAsync(Hi(), new ChatOptions { ModelId = "qwen-next-vision" });

        Assert.Equal("second", response.Text);
        Assert.Equal(3, handler.Requests.Count); // exactly one request for the second call
        Assert.True(handler.Requests[2].Json.TryGetProperty("stream", out var stream) && stream.GetBoolean());
    }

    [Fact]
    public async Task TheRememberedModelDoesNotAffectOtherModels()
    {
        var handler = new FakeHttpHandler(StreamOnlyRejection(), CannedResponse.MinimalStream(), CannedResponse.MinimalCompletion("plain"));
        using var client = Create(handler);
        await client.GetResponseAsync(Hi(), new ChatOptions { ModelId = UnknownStreamOnlyModel });

        var response = await client.GetResponseAsync(Hi());

        Assert.Equal("plain", response.Text);
        Assert.False(handler.Requests[2].Json.TryGetProperty("stream", out _));
        Assert.Equal("qwen-plus", handler.Requests[2].Json.GetProperty("model").GetString());
    }

    [Fact]
    public async Task AnOrdinary400IsNotRetriedAsAStream()
    {
        var handler = new FakeHttpHandler(
            CannedResponse.Error(HttpStatusCode.BadRequest, "invalid_parameter_error", "invalid_request_error", "Range of input length should be [1, 129024]"));
        using var client = Create(handler);

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(Hi()));
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task AnErrorOnTheFallbackStreamIsReportedNotSwallowed()
    {
        var handler = new FakeHttpHandler(
            StreamOnlyRejection(),
            CannedResponse.Error(HttpStatusCode.TooManyRequests, "limit_requests", "limit_requests", "Requests rate limit exceeded, please try again later."));
        using var client = CreateWithoutRetries(handler);

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync(Hi(), new ChatOptions { ModelId = UnknownStreamOnlyModel }));
        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.Equal("limit_requests", ex.ErrorCode);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task LogprobsOfEveryChunkAreOnTheResponseInTheNonStreamingShape()
    {
        const string Tail = "\"object\":\"chat.completion.chunk\",\"usage\":null,\"created\":1,\"model\":\"qwq-plus\",\"id\":\"chatcmpl-lp\"}";
        var sse =
            "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null,\"index\":0,\"logprobs\":{\"content\":[{\"token\":\"Hel\",\"bytes\":[72,101,108],\"logprob\":-0.1,\"top_logprobs\":[]}]}}]," + Tail + "\n\n" +
            "data: {\"choices\":[{\"delta\":{\"content\":\"lo 北京\"},\"finish_reason\":null,\"index\":0,\"logprobs\":{\"content\":[{\"token\":\"lo\",\"bytes\":[108,111],\"logprob\":-0.2,\"top_logprobs\":[]},{\"token\":\" 北京\",\"bytes\":null,\"logprob\":-0.3,\"top_logprobs\":[]}]}}]," + Tail + "\n\n" +
            "data: {\"choices\":[{\"delta\":{\"content\":\"\"},\"finish_reason\":\"stop\",\"index\":0,\"logprobs\":null}]," + Tail + "\n\n" +
            "data: [DONE]\n\n";
        var handler = new FakeHttpHandler(StreamOnlyRejection(), CannedResponse.Sse(sse));
        using var client = Create(handler);

        var response = await client.GetResponseAsync(Hi(), new ChatOptions { ModelId = UnknownStreamOnlyModel, AdditionalProperties = new() { ["logprobs"] = true } });

        Assert.Equal("Hello 北京", response.Text);
        var logprobs = Assert.IsType<System.Text.Json.JsonElement>(response.AdditionalProperties?["logprobs"]);
        JsonAssert.Equal(
            """{"content":[{"token":"Hel","bytes":[72,101,108],"logprob":-0.1,"top_logprobs":[]},{"token":"lo","bytes":[108,111],"logprob":-0.2,"top_logprobs":[]},{"token":" 北京","bytes":null,"logprob":-0.3,"top_logprobs":[]}]}""",
            logprobs);
        Assert.False(response.Messages[0].AdditionalProperties?.ContainsKey("logprobs") ?? false);
    }

    [Theory]
    [InlineData("qwq-plus")]
    [InlineData("qvq-max")]
    [InlineData("qwen3-omni-flash")]
    [InlineData("qwen-omni-turbo-us")]
    public async Task AKnownStreamOnlyModelStreamsFromTheFirstCall(string model)
    {
        var handler = new FakeHttpHandler(CannedResponse.SseFixture("Streams/reasoning-and-text.sse"));
        using var client = Create(handler);

        var response = await client.GetResponseAsync(Hi(), new ChatOptions { ModelId = model });

        var request = Assert.Single(handler.Requests);
        JsonAssert.Equal(
            $$$"""{"model":"{{{model}}}","messages":[{"role":"user","content":"Hi"}],"stream":true,"stream_options":{"include_usage":true}}""",
            request.Json);
        Assert.Equal("The answer is 2.", response.Text);
        Assert.Equal(74, response.Usage?.TotalTokenCount);
    }

    [Fact]
    public async Task AUserEntryMarksAnUnknownModelStreamOnly()
    {
        var handler = new FakeHttpHandler(CannedResponse.MinimalStream("streamed"));
        var options = new QwenClientOptions { ApiKey = ApiKey, MaxRetries = 0 };
        options.ModelCapabilities["acme-*"] = QwenModelCapabilities.StreamOnly;
        using var client = new QwenChatClient(options, new HttpClient(handler));

        var response = await client.GetResponseAsync(Hi(), new ChatOptions { ModelId = "acme-reasoner" });

        Assert.Equal("streamed", response.Text);
        Assert.True(Assert.Single(handler.Requests).Json.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public async Task AUserEntryWithoutStreamOnlyTurnsTheBuiltInRowOff()
    {
        var handler = new FakeHttpHandler(CannedResponse.MinimalCompletion("plain"));
        var options = new QwenClientOptions { ApiKey = ApiKey, MaxRetries = 0 };
        options.ModelCapabilities["qwq-plus"] = QwenModelCapabilities.ThinkingOnly;
        using var client = new QwenChatClient(options, new HttpClient(handler));

        var response = await client.GetResponseAsync(Hi(), new ChatOptions { ModelId = "qwq-plus" });

        Assert.Equal("plain", response.Text);
        Assert.False(Assert.Single(handler.Requests).Json.TryGetProperty("stream", out _));
    }
}
