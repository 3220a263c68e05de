using System.Text.Json;
using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.TestUtilities.TestClient;

namespace Qwen.Extensions.AI.Tests.Mapping;

/// <summary>docs/wire-mapping.md "Response: completion body / SSE chunks → ChatResponse / ChatResponseUpdate" on both paths, from the seeds' own sample payloads and from captured shapes.</summary>
public sealed class ChatResponseMapperTests
{
    public static TheoryData<bool> BothPaths => new() { false, true };

    private static List<ChatMessage> Hi() => [new(ChatRole.User, "Hi")];

    private static async Task<ChatResponse> RespondAsync(CannedResponse canned, bool streaming, ChatOptions? options = null)
    {
        using var client = Create(new FakeHttpHandler(canned));
        return await GetAsync(client, Hi(), options, streaming);
    }

    [Fact]
    public async Task SeedTextCompletionMapsTextIdModelCreatedUsageAndCachedTokens()
    {
        var response = await RespondAsync(CannedResponse.JsonFixture("Responses/text-cached-tokens.json"), streaming: false);

        var message = Assert.Single(response.Messages);
        Assert.Equal(ChatRole.Assistant, message.Role);
        var text = Assert.IsType<TextContent>(Assert.Single(message.Contents));
        Assert.Equal("I am a large-scale language model developed by Alibaba Cloud. My name is Qwen.", text.Text);
        Assert.Equal("chatcmpl-6ada9ed2-7f33-9de2-8bb0-78bd4035025a", response.ResponseId);
        Assert.Equal("qwen3.6-plus", response.ModelId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1735120033), response.CreatedAt);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.NotNull(response.Usage);
        Assert.Equal(3019, response.Usage.InputTokenCount);
        Assert.Equal(104, response.Usage.OutputTokenCount);
        Assert.Equal(3123, response.Usage.TotalTokenCount);
        Assert.Equal(2048, response.Usage.CachedInputTokenCount);
        Assert.Null(response.Usage.ReasoningTokenCount);
        Assert.Equal(CannedResponse.DefaultRequestId, response.AdditionalProperties?[QwenPropertyNames.RequestId]);
    }

    [Theory]
    [InlineData("Responses/qwen-plus-text.json", "I am a large language model from Alibaba Cloud. My name is Qwen.", 11, 16, 27)]
    [InlineData("Responses/qwen-plus-text-tool-calls-null.json", "I am a large-scale pre-trained model from Alibaba Cloud. My name is Qwen.", 22, 18, 40)]
    [InlineData("Responses/vision-two-images.json", "In Figure 1, a woman is interacting with her pet dog on the beach. The dog raises its front paw as if it wants to shake hands.\nFigure 2 is a CG-rendered picture of a tiger.", 2509, 34, 2543)]
    public async Task SeedCompletionsMapToOneAssistantTextMessageWithUsage(string fixture, string expectedText, long input, long output, long total)
    {
        var response = await RespondAsync(CannedResponse.JsonFixture(fixture), streaming: false);

        Assert.Equal(expectedText, response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(input, response.Usage?.InputTokenCount);
        Assert.Equal(output, response.Usage?.OutputTokenCount);
        Assert.Equal(total, response.Usage?.TotalTokenCount);
        Assert.Empty(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
    }

    [Fact]
    public async Task SeedQwenPlusStreamYieldsTextAsItArrivesAndExactlyOneUsage()
    {
        using var client = Create(new FakeHttpHandler(CannedResponse.SseFixture("Streams/qwen-plus-with-usage.sse")));
        var updates = await StreamAsync(client, Hi());

        Assert.Equal(["I am", " a large language model", " from Alibaba", " Cloud. My name is Qwen."], updates.SelectMany(u => u.Contents).OfType<TextContent>().Select(t => t.Text));
        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        Assert.Equal(22, usage.Details.InputTokenCount);
        Assert.Equal(16, usage.Details.OutputTokenCount);
        Assert.Equal(38, usage.Details.TotalTokenCount);
        Assert.All(updates, u => Assert.Equal(ChatRole.Assistant, u.Role));
        Assert.All(updates, u => Assert.Equal("chatcmpl-xxx", u.ResponseId));
        Assert.All(updates, u => Assert.Equal("qwen-plus", u.ModelId));
        Assert.Equal(ChatFinishReason.Stop, Assert.Single(updates, u => u.FinishReason is not null).FinishReason);
        Assert.Equal(CannedResponse.DefaultRequestId, updates[0].AdditionalProperties?[QwenPropertyNames.RequestId]);

        var response = updates.ToChatResponse();
        Assert.Equal("I am a large language model from Alibaba Cloud. My name is Qwen.", response.Text);
        Assert.Single(response.Messages);
        Assert.Equal("chatcmpl-xxx", response.ResponseId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1719286190), response.CreatedAt);
        Assert.Equal(38, response.Usage?.TotalTokenCount);

        // MEAI's ToChatResponse moves update properties onto the message.
        Assert.Equal(CannedResponse.DefaultRequestId, response.Messages[0].AdditionalProperties?[QwenPropertyNames.RequestId]);
    }

    [Fact]
    public async Task SeedStreamWithoutUsageChunkYieldsNoUsage()
    {
        using var client = Create(new FakeHttpHandler(CannedResponse.SseFixture("Streams/qwen-plus-without-usage.sse")));
        var updates = await StreamAsync(client, Hi());

        Assert.Empty(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        var response = updates.ToChatResponse();
        Assert.Equal("I am a large language model from Alibaba Cloud. My name is Qwen.", response.Text);
        Assert.Null(response.Usage);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1715931028), response.CreatedAt);
    }

    [Fact]
    public async Task SeedVisionStreamWithUsageAggregatesTextAndUsage()
    {
        using var client = Create(new FakeHttpHandler(CannedResponse.SseFixture("Streams/vision-with-usage.sse")));
        var response = await client.GetStreamingResponseAsync(Hi(), new ChatOptions { ModelId = "qwen-vl-plus" }).ToChatResponseAsync();

        Assert.Equal(
            "In the picture, a woman and her dog are interacting on the beach. The dog is sitting on the ground, extending its paw as if to shake hands or give a high five. The woman is wearing a plaid shirt and seems to be having an intimate interaction with the dog, and is smiling. The background is the ocean and the sky at sunrise or sunset. This is a heartwarming photo that shows a moment of friendship between a person and a pet.",
            response.Text);
        Assert.Equal("qwen-vl-plus", response.ModelId);
        Assert.Equal("chatcmpl-4c83f437-303f-907b-9de5-79cac83d6b18", response.ResponseId);
        Assert.Equal(1276, response.Usage?.InputTokenCount);
        Assert.Equal(79, response.Usage?.OutputTokenCount);
        Assert.Equal(1355, response.Usage?.TotalTokenCount);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task SeedVisionSdkChunksWithSpacesAndNoCreatedAggregate()
    {
        // The page prints the chunks as the SDK returns them (JSON with spaces, no "created"); the middle ones are elided.
        using var client = Create(new FakeHttpHandler(CannedResponse.SseFixture("Streams/vision-sdk-chunks.sse")));
        var response = await client.GetStreamingResponseAsync(Hi(), new ChatOptions { ModelId = "qwen-vl-plus" }).ToChatResponseAsync();

        Assert.Equal("This.", response.Text);
        Assert.Equal("chatcmpl-31042a05-c968-4fc6-ba28-c3aa471258dc", response.ResponseId);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Null(response.CreatedAt);
        Assert.Equal(1259, response.Usage?.InputTokenCount);
        Assert.Equal(230, response.Usage?.OutputTokenCount);
        Assert.Equal(1489, response.Usage?.TotalTokenCount);
    }

    [Fact]
    public async Task SeedVisionStreamTokenDetailsMapCachedTokensAndAdditionalCountsAndSkipNulls()
    {
        using var client = Create(new FakeHttpHandler(CannedResponse.SseFixture("Streams/vision-token-details.sse")));
        var updates = await StreamAsync(client, Hi());

        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>()).Details;
        Assert.Equal(1259, usage.InputTokenCount);
        Assert.Equal(230, usage.OutputTokenCount);
        Assert.Equal(1489, usage.TotalTokenCount);
        Assert.Equal(0, usage.CachedInputTokenCount);
        Assert.Null(usage.ReasoningTokenCount);
        Assert.NotNull(usage.AdditionalCounts);
        Assert.Equal(230, usage.AdditionalCounts["completion_tokens_details.text_tokens"]);
        Assert.DoesNotContain(usage.AdditionalCounts.Keys, k => k.Contains("audio_tokens", StringComparison.Ordinal));
        // The page elides the middle chunks ("......"); the fixture keeps the chunks it prints.
        Assert.Equal("Thisphotoshowsmoment.", string.Concat(updates.SelectMany(u => u.Contents).OfType<TextContent>().Select(t => t.Text)));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1765780318), updates[0].CreatedAt);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task ReasoningComesBeforeTextAndToolCallsWithBadArgumentsCarryAnExceptionInsteadOfThrowing(bool streaming)
    {
        var canned = streaming
            ? CannedResponse.SseFixture("Streams/tool-call-bad-arguments.sse")
            : CannedResponse.JsonFixture("Responses/reasoning-tool-calls.json");
        var response = await RespondAsync(canned, streaming);

        var contents = Assert.Single(response.Messages).Contents;
        Assert.IsType<TextReasoningContent>(contents[0]);
        Assert.Equal("The user wants the weather in two cities; I will call the tool twice.", ((TextReasoningContent)contents[0]).Text);
        var calls = contents.OfType<FunctionCallContent>().ToList();
        Assert.Equal(2, calls.Count);

        Assert.Equal("call_weather_hz", calls[0].CallId);
        Assert.Equal("get_current_weather", calls[0].Name);
        Assert.Null(calls[0].Exception);
        Assert.Equal("Hangzhou", calls[0].Arguments?["location"]?.ToString());
        Assert.Equal("3", calls[0].Arguments?["days"]?.ToString());

        Assert.Equal("call_weather_bad", calls[1].CallId);
        Assert.NotNull(calls[1].Exception);
        Assert.Equal("{\"location\": \"Shang", calls[1].AdditionalProperties?["raw_arguments"]);

        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal("chatcmpl-6ada9ed2-7f33-9de2-8bb0-78bd4035025a", response.ResponseId);
        Assert.Equal("qwen3-plus", response.ModelId);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task UsageMapsCachedReasoningAndOtherDetailsToAdditionalCounts(bool streaming)
    {
        var canned = streaming
            ? CannedResponse.SseFixture("Streams/tool-call-bad-arguments.sse")
            : CannedResponse.JsonFixture("Responses/reasoning-tool-calls.json");
        var response = await RespondAsync(canned, streaming);

        var usage = response.Usage!;
        Assert.Equal(3019, usage.InputTokenCount);
        Assert.Equal(104, usage.OutputTokenCount);
        Assert.Equal(3123, usage.TotalTokenCount);
        Assert.Equal(2048, usage.CachedInputTokenCount);
        Assert.Equal(80, usage.ReasoningTokenCount);
        Assert.Equal(
            new Dictionary<string, long> { ["prompt_tokens_details.text_tokens"] = 971, ["completion_tokens_details.text_tokens"] = 24 },
            usage.AdditionalCounts!.ToDictionary(p => p.Key, p => p.Value));
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task ReasoningInOneDeltaWithTextComesFirst(bool streaming)
    {
        var canned = streaming
            ? CannedResponse.SseFixture("Streams/reasoning-and-text.sse")
            : CannedResponse.Json("""{"choices":[{"message":{"role":"assistant","content":"The answer is 2.","reasoning_content":"The user asks 1+1. That is 2."},"finish_reason":"stop","index":0}],"object":"chat.completion","usage":{"prompt_tokens":14,"completion_tokens":60,"total_tokens":74,"completion_tokens_details":{"reasoning_tokens":52}},"created":1745485391,"model":"qwen3-plus","id":"chatcmpl-reasoning"}""");
        var response = await RespondAsync(canned, streaming);

        var message = Assert.Single(response.Messages);
        Assert.Equal("The user asks 1+1. That is 2.", string.Concat(message.Contents.OfType<TextReasoningContent>().Select(r => r.Text)));
        Assert.Equal("The answer is 2.", message.Text);
        var firstText = message.Contents.ToList().FindIndex(c => c is TextContent);
        var lastReasoning = message.Contents.ToList().FindLastIndex(c => c is TextReasoningContent);
        Assert.True(lastReasoning < firstText, "reasoning must come before the text");
        Assert.Equal(52, response.Usage?.ReasoningTokenCount);
    }

    [Fact]
    public async Task AStreamedDeltaWithReasoningAndTextYieldsOneUpdateWithReasoningFirst()
    {
        using var client = Create(new FakeHttpHandler(CannedResponse.SseFixture("Streams/reasoning-and-text.sse")));
        var updates = await StreamAsync(client, Hi());

        var both = Assert.Single(updates, u => u.Contents.Count == 2);
        Assert.Equal("That is 2.", Assert.IsType<TextReasoningContent>(both.Contents[0]).Text);
        Assert.Equal("The answer", Assert.IsType<TextContent>(both.Contents[1]).Text);
        Assert.DoesNotContain(updates.SelectMany(u => u.Contents), c => c is TextContent { Text: "" } || c is TextReasoningContent { Text: "" });
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task ReasoningOutputNoneDropsReasoningFromTheResponse(bool streaming)
    {
        var canned = streaming
            ? CannedResponse.SseFixture("Streams/reasoning-and-text.sse")
            : CannedResponse.JsonFixture("Responses/thinking-final-answer.json");
        var response = await RespondAsync(canned, streaming, new ChatOptions { Reasoning = new ReasoningOptions { Output = ReasoningOutput.None } });

        Assert.Empty(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>());
        Assert.NotEmpty(response.Text);
    }

    public static TheoryData<string, bool> FinishReasons => new()
    {
        { "stop", false }, { "stop", true },
        { "length", false }, { "length", true },
        { "tool_calls", false }, { "tool_calls", true },
        { "content_filter", false }, { "content_filter", true },
        { "insufficient_system_resource", false }, { "insufficient_system_resource", true },
    };

    [Theory]
    [MemberData(nameof(FinishReasons))]
    public async Task FinishReasonsMapToMeaiValuesAndUnknownOnesAreKept(string wire, bool streaming)
    {
        var canned = streaming
            ? CannedResponse.Sse($$"""
                data: {"choices":[{"delta":{"content":"Hi","role":"assistant"},"index":0,"finish_reason":null}],"object":"chat.completion.chunk","created":1,"model":"qwen-plus","id":"chatcmpl-f"}

                data: {"choices":[{"delta":{},"index":0,"finish_reason":"{{wire}}"}],"object":"chat.completion.chunk","created":1,"model":"qwen-plus","id":"chatcmpl-f"}

                data: [DONE]


                """)
            : CannedResponse.Json($$"""{"choices":[{"message":{"role":"assistant","content":"Hi"},"finish_reason":"{{wire}}","index":0}],"object":"chat.completion","created":1,"model":"qwen-plus","id":"chatcmpl-f"}""");
        var response = await RespondAsync(canned, streaming);

        var expected = wire switch
        {
            "stop" => ChatFinishReason.Stop,
            "length" => ChatFinishReason.Length,
            "tool_calls" => ChatFinishReason.ToolCalls,
            "content_filter" => ChatFinishReason.ContentFilter,
            _ => new ChatFinishReason(wire),
        };
        Assert.Equal(expected, response.FinishReason);
        Assert.Equal(wire, response.FinishReason?.Value);
    }

    [Fact]
    public async Task RequestIdComesFromTheXRequestIdHeaderOnTheResponse()
    {
        var canned = CannedResponse.MinimalCompletion();
        canned.Headers["x-request-id"] = "b2c3d4e5-0000-1111-2222-333344445555";
        var response = await RespondAsync(canned, streaming: false);

        Assert.Equal("b2c3d4e5-0000-1111-2222-333344445555", response.AdditionalProperties?[QwenPropertyNames.RequestId]);
    }

    [Fact]
    public async Task RequestIdComesFromTheXRequestIdHeaderOnTheFirstUpdateOnly()
    {
        var canned = CannedResponse.MinimalStream();
        canned.Headers["x-request-id"] = "b2c3d4e5-0000-1111-2222-333344445555";
        using var client = Create(new FakeHttpHandler(canned));
        var updates = await StreamAsync(client, Hi());

        Assert.Equal("b2c3d4e5-0000-1111-2222-333344445555", updates[0].AdditionalProperties?[QwenPropertyNames.RequestId]);
        Assert.All(updates.Skip(1), u => Assert.Null(u.AdditionalProperties));
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task WithoutAnXRequestIdHeaderNoRequestIdIsInvented(bool streaming)
    {
        var canned = streaming ? CannedResponse.MinimalStream() : CannedResponse.MinimalCompletion();
        canned.Headers.Remove("x-request-id");
        var response = await RespondAsync(canned, streaming);

        Assert.False(response.AdditionalProperties?.ContainsKey(QwenPropertyNames.RequestId) ?? false);
        Assert.False(response.Messages[0].AdditionalProperties?.ContainsKey(QwenPropertyNames.RequestId) ?? false);
    }

    [Fact]
    public async Task ToolCallArgumentsParseToJsonValuesKeyedByName()
    {
        var response = await RespondAsync(CannedResponse.JsonFixture("Responses/thinking-tool-call.json"), streaming: false);
        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("call_think_1", call.CallId);
        var location = Assert.IsType<JsonElement>(call.Arguments!["location"]);
        Assert.Equal("Hangzhou", location.GetString());
    }

    private const string BodyWithUnmappedFields = """
        {"id":"chatcmpl-raw","object":"chat.completion","created":1735120033,"model":"qwen-plus","system_fingerprint":"fp_qwen_1",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":3019,"completion_tokens":4,"total_tokens":3023,"prompt_tokens_details":{"cached_tokens":2048,"cache_type":"ephemeral"}}}
        """;

    [Fact]
    public async Task NonStreamingRawRepresentationIsTheWholeBodyOnTheResponseAndTheMessage()
    {
        var response = await RespondAsync(CannedResponse.Json(BodyWithUnmappedFields), streaming: false);

        var raw = Assert.IsType<JsonElement>(response.RawRepresentation);
        JsonAssert.Equal(BodyWithUnmappedFields, raw);
        Assert.Equal("fp_qwen_1", raw.GetProperty("system_fingerprint").GetString());
        Assert.Equal("ephemeral", raw.GetProperty("usage").GetProperty("prompt_tokens_details").GetProperty("cache_type").GetString());
        JsonAssert.Equal(BodyWithUnmappedFields, Assert.IsType<JsonElement>(Assert.Single(response.Messages).RawRepresentation));
    }

    [Fact]
    public async Task StreamingUpdatesCarryNoRawRepresentationByDefault()
    {
        using var client = Create(new FakeHttpHandler(CannedResponse.SseFixture("Streams/qwen-plus-with-usage.sse")));

        var updates = await DrainAsync(client.GetStreamingResponseAsync(Hi()));

        Assert.NotEmpty(updates);
        Assert.All(updates, u => Assert.Null(u.RawRepresentation));
    }

    [Fact]
    public async Task StreamingRawRepresentationPutsEachUpdatesEventOnIt()
    {
        var handler = new FakeHttpHandler(CannedResponse.SseFixture("Streams/qwen-plus-with-usage.sse"));
        using var client = WithDefaults(handler, o => o.StreamingRawRepresentation = true);

        var updates = await DrainAsync(client.GetStreamingResponseAsync(Hi()));

        var text = updates.Where(u => u.Text.Length > 0).ToList();
        Assert.Equal(4, text.Count);
        foreach (var update in text)
        {
            var raw = Assert.IsType<JsonElement>(update.RawRepresentation);
            Assert.Equal(update.Text, raw.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString());
            Assert.Equal(JsonValueKind.Null, raw.GetProperty("system_fingerprint").ValueKind);
        }

        var usage = Assert.Single(updates, u => u.Contents.OfType<UsageContent>().Any());
        Assert.Equal(38, Assert.IsType<JsonElement>(usage.RawRepresentation).GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }
}
