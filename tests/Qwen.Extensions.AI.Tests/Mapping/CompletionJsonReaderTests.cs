using System.Text.Json;
using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.TestUtilities.TestClient;

namespace Qwen.Extensions.AI.Tests.Mapping;

/// <summary>Response shapes beyond the happy path: several choices, logprobs, Omni audio, null or array content, argument-less calls.</summary>
public sealed class CompletionJsonReaderTests
{
    private static List<ChatMessage> Hi() => [new(ChatRole.User, "Hi")];

    private static async Task<ChatResponse> RespondAsync(CannedResponse canned, ChatOptions? options = null, bool streaming = false)
    {
        using var client = Create(new FakeHttpHandler(canned));
        return await GetAsync(client, Hi(), options, streaming);
    }

    [Fact]
    public async Task SeveralChoicesBecomeOneMessageEach()
    {
        var response = await RespondAsync(
            CannedResponse.Json("""{"choices":[{"message":{"role":"assistant","content":"One"},"finish_reason":"stop","index":0},{"message":{"role":"assistant","content":"Two"},"finish_reason":"length","index":1}],"object":"chat.completion","created":1,"model":"qwen-plus","id":"chatcmpl-n"}"""),
            new ChatOptions { AdditionalProperties = new() { ["n"] = 2 } });

        Assert.Equal(["One", "Two"], response.Messages.Select(m => m.Text));
        Assert.All(response.Messages, m => Assert.Equal(ChatRole.Assistant, m.Role));
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task LogprobsArriveInAdditionalProperties()
    {
        var response = await RespondAsync(CannedResponse.Json(
            """{"choices":[{"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop","index":0,"logprobs":{"content":[{"token":"Hi","bytes":[72,105],"logprob":-0.01,"top_logprobs":[]}]}}],"object":"chat.completion","created":1,"model":"qwen-plus","id":"chatcmpl-lp"}"""));

        var logprobs = Assert.IsType<JsonElement>(response.AdditionalProperties?["logprobs"]);
        Assert.Equal("Hi", logprobs.GetProperty("content")[0].GetProperty("token").GetString());
    }

    [Fact]
    public async Task StreamedLogprobsArriveOnTheUpdateThatCarriesTheirText()
    {
        var updates = await StreamAsync(
            Create(new FakeHttpHandler(CannedResponse.Sse("""
                data: {"choices":[{"delta":{"role":"assistant","content":"Hi"},"finish_reason":null,"index":0,"logprobs":{"content":[{"token":"Hi","bytes":[72,105],"logprob":-0.01,"top_logprobs":[]}]}}],"object":"chat.completion.chunk","created":1,"model":"qwen-plus","id":"chatcmpl-lp"}

                data: {"choices":[{"delta":{"content":""},"finish_reason":"stop","index":0,"logprobs":null}],"object":"chat.completion.chunk","created":1,"model":"qwen-plus","id":"chatcmpl-lp"}

                data: [DONE]


                """))),
            [new(ChatRole.User, "Hi")]);

        var withText = Assert.Single(updates, u => u.Text == "Hi");
        var logprobs = Assert.IsType<JsonElement>(withText.AdditionalProperties?["logprobs"]);
        Assert.Equal("Hi", logprobs.GetProperty("content")[0].GetProperty("token").GetString());
    }

    [Fact]
    public async Task OmniAudioOutputBecomesDataContentWithItsTranscript()
    {
        // "RIFF$\0\0\0WAVEfmt ": a WAV header, so audio/wav (headerless PCM would be audio/L16); the transcript is also the text.
        var response = await RespondAsync(CannedResponse.Json(
            """{"choices":[{"message":{"role":"assistant","content":null,"audio":{"data":"UklGRiQAAABXQVZFZm10IA==","transcript":"Hello","id":"audio_1","expires_at":1}},"finish_reason":"stop","index":0}],"object":"chat.completion","created":1,"model":"qwen-omni-turbo","id":"chatcmpl-omni"}"""));

        Assert.Equal("Hello", response.Text);
        var audio = Assert.Single(response.Messages[0].Contents.OfType<DataContent>());
        Assert.Equal("audio/wav", audio.MediaType);
        Assert.Equal("RIFF$\0\0\0WAVEfmt "u8.ToArray(), audio.Data.ToArray());
        Assert.Equal("Hello", audio.AdditionalProperties?["transcript"]);
    }

    [Fact]
    public async Task SeveralChoicesHaveDistinctMessageIdsThatAggregationKeepsApart()
    {
        var response = await RespondAsync(
            CannedResponse.Json("""{"choices":[{"message":{"role":"assistant","content":"One"},"finish_reason":"stop","index":0},{"message":{"role":"assistant","content":"Two"},"finish_reason":"stop","index":1},{"message":{"role":"assistant","content":"Three"},"finish_reason":"stop","index":2}],"object":"chat.completion","created":1,"model":"qwen-plus","id":"chatcmpl-n"}"""),
            new ChatOptions { AdditionalProperties = new() { ["n"] = 3 } });

        Assert.Equal(["chatcmpl-n", "chatcmpl-n-1", "chatcmpl-n-2"], response.Messages.Select(m => m.MessageId));

        // What caching or replay middleware does: back to updates and aggregated again. The choices stay three messages.
        var replayed = response.ToChatResponseUpdates().ToChatResponse();
        Assert.Equal(["One", "Two", "Three"], replayed.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task AStreamedChoiceOtherThanTheFirstHasItsOwnMessageId()
    {
        const string Tail = "\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"qwen-plus\",\"id\":\"chatcmpl-s\"}";
        var updates = await DrainAsync(Create(new FakeHttpHandler(CannedResponse.Sse(
            "data: {\"choices\":[{\"delta\":{\"content\":\"One\"},\"finish_reason\":\"stop\",\"index\":0}]," + Tail + "\n\n" +
            "data: {\"choices\":[{\"delta\":{\"content\":\"Two\"},\"finish_reason\":\"stop\",\"index\":1}]," + Tail + "\n\n" +
            "data: [DONE]\n\n"))).GetStreamingResponseAsync(Hi()));

        Assert.Equal(["chatcmpl-s", "chatcmpl-s-1"], updates.Select(u => u.MessageId));
        Assert.Equal(["One", "Two"], updates.ToChatResponse().Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task NullContentWithToolCallsYieldsOnlyTheCalls()
    {
        var response = await RespondAsync(CannedResponse.Json(
            """{"choices":[{"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_current_time","arguments":"{}"}}]},"finish_reason":"tool_calls","index":0}],"object":"chat.completion","created":1,"model":"qwen-plus","id":"chatcmpl-tc"}"""));

        var call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages[0].Contents));
        Assert.Equal("get_current_time", call.Name);
        Assert.Empty(call.Arguments!);
        Assert.Null(call.Exception);
    }

    [Fact]
    public async Task ArrayContentPartsAreJoinedIntoText()
    {
        var response = await RespondAsync(CannedResponse.Json(
            """{"choices":[{"message":{"role":"assistant","content":[{"text":"Line one. "},{"text":"Line two."}]},"finish_reason":"stop","index":0}],"object":"chat.completion","created":1,"model":"qwen-vl-ocr","id":"chatcmpl-arr"}"""));

        Assert.Equal("Line one. Line two.", response.Text);
    }

    [Fact]
    public async Task AStreamedCallWhoseArgumentsAreAllEmptyHasNoArgumentsAndNoError()
    {
        const string sse = """
            data: {"choices":[{"delta":{"content":null,"role":"assistant","tool_calls":[{"index":0,"id":"call_time","type":"function","function":{"name":"get_current_time","arguments":""}}]},"index":0,"finish_reason":null}],"object":"chat.completion.chunk","created":1,"model":"qwen-plus","id":"chatcmpl-e"}

            data: {"choices":[{"delta":{"tool_calls":[{"index":0,"id":"","type":"function","function":{"arguments":""}}]},"index":0,"finish_reason":"tool_calls"}],"object":"chat.completion.chunk","created":1,"model":"qwen-plus","id":"chatcmpl-e"}

            data: [DONE]


            """;
        var response = await RespondAsync(CannedResponse.Sse(sse), streaming: true);

        var call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages[0].Contents));
        Assert.Equal("call_time", call.CallId);
        Assert.Empty(call.Arguments!);
        Assert.Null(call.Exception);
    }

    [Fact]
    public async Task AStreamThatEndsWithDoneButNoFinishReasonStillEmitsPendingCalls()
    {
        const string sse = """
            data: {"choices":[{"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_x","type":"function","function":{"name":"get_current_time","arguments":"{}"}}]},"index":0,"finish_reason":null}],"object":"chat.completion.chunk","created":1,"model":"qwen-plus","id":"chatcmpl-p"}

            data: [DONE]


            """;
        var response = await RespondAsync(CannedResponse.Sse(sse), streaming: true);

        Assert.Equal("call_x", Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages[0].Contents)).CallId);
    }

    [Fact]
    public async Task TotalTokensAreComputedWhenTheServiceOmitsThem()
    {
        var response = await RespondAsync(CannedResponse.Json(
            """{"choices":[{"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop","index":0}],"object":"chat.completion","usage":{"prompt_tokens":10,"completion_tokens":5},"model":"qwen-plus","id":"chatcmpl-u"}"""));

        Assert.Equal(15, response.Usage?.TotalTokenCount);
        Assert.Null(response.CreatedAt);
    }

    [Fact]
    public async Task ConcurrentCallsOnOneClientEachGetTheirOwnResponse()
    {
        var handler = new FakeHttpHandler();
        for (var i = 0; i < 16; i++)
        {
            handler.Enqueue(CannedResponse.MinimalStream("same"));
        }

        using var client = Create(handler);

        // Which canned reply a call gets depends on arrival order, so every reply has the same text.
        var tasks = Enumerable.Range(0, 16).Select(async i =>
        {
            var messages = new List<ChatMessage> { new(ChatRole.User, $"question {i}") };
            var text = (await client.GetStreamingResponseAsync(messages).ToChatResponseAsync().ConfigureAwait(false)).Text;
            return text;
        });
        var texts = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.All(texts, t => Assert.Equal("same", t));
        Assert.Equal(16, handler.Requests.Select(r => r.Json.GetProperty("messages")[0].GetProperty("content").GetString()).Distinct().Count());
    }
}
