using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.TestUtilities.TestClient;

namespace Qwen.Extensions.AI.Tests.Mapping;

/// <summary>The AdditionalProperties policy: Qwen extras by wire name, coerced (SK's doubles, JsonElements, strings), overriding derived values; app metadata not sent; reserved keys refused.</summary>
public sealed class ExtraParametersTests
{
    public static TheoryData<bool> BothPaths => new() { false, true };

    private static List<ChatMessage> Hi() => [new(ChatRole.User, "Hi")];

    private static string Body(string extraObject)
    {
        var body = new JsonObject { ["model"] = "qwen-plus", ["messages"] = JsonNode.Parse("""[{"role":"user","content":"Hi"}]""") };
        foreach (var (key, value) in JsonNode.Parse(extraObject)!.AsObject().ToList())
        {
            body[key] = value?.DeepClone();
        }

        return body.ToJsonString();
    }

    private static ChatOptions Extras(params (string Key, object? Value)[] pairs)
    {
        var options = new ChatOptions { AdditionalProperties = new() };
        foreach (var (key, value) in pairs)
        {
            options.AdditionalProperties[key] = value;
        }

        return options;
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task EveryQwenExtraIsSentByItsWireName(bool streaming) =>
        AssertRequestAsync(
            Body("""
                {"enable_thinking":true,"thinking_budget":1024,"preserve_thinking":false,"top_k":20,"enable_search":true,
                 "search_options":{"forced_search":true},"enable_code_interpreter":false,"vl_high_resolution_images":true,
                 "repetition_penalty":1.05,"logprobs":true,"top_logprobs":3,"modalities":["text"],"audio":{"voice":"Cherry","format":"wav"}}
                """),
            Hi(),
            Extras(
                (QwenPropertyNames.EnableThinking, true),
                (QwenPropertyNames.ThinkingBudget, 1024),
                (QwenPropertyNames.PreserveThinking, false),
                (QwenPropertyNames.TopK, 20),
                (QwenPropertyNames.EnableSearch, true),
                (QwenPropertyNames.SearchOptions, new Dictionary<string, object?> { ["forced_search"] = true }),
                (QwenPropertyNames.EnableCodeInterpreter, false),
                (QwenPropertyNames.VlHighResolutionImages, true),
                (QwenPropertyNames.RepetitionPenalty, 1.05),
                (QwenPropertyNames.Logprobs, true),
                (QwenPropertyNames.TopLogprobs, 3),
                (QwenPropertyNames.Modalities, new[] { "text" }),
                (QwenPropertyNames.Audio, Json("""{"voice":"Cherry","format":"wav"}"""))),
            streaming);

    [Fact]
    public Task NIsSentOnTheNonStreamingPath() =>
        AssertRequestAsync(Body("""{"n":2}"""), Hi(), Extras(("n", 2)), streaming: false);

    [Fact]
    public void NAboveOneIsRefusedOnTheStreamingPathBeforeAnyRequest()
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);
        var ex = Assert.Throws<NotSupportedException>(() => client.GetStreamingResponseAsync(Hi(), Extras(("n", 2))));
        Assert.Contains("\"n\"", ex.Message);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task SemanticKernelStyleValuesAreCoercedToWireTypes(bool streaming) =>
        AssertRequestAsync(
            Body("""{"thinking_budget":50,"top_k":20,"enable_thinking":true,"enable_search":false,"search_options":{"search_strategy":"pro","enable_source":true},"repetition_penalty":1.1}"""),
            Hi(),
            Extras(
                ("thinking_budget", 50.0),
                ("top_k", Json("20.0")),
                ("enable_thinking", "true"),
                ("enable_search", Json("\"false\"")),
                ("search_options", Json("""{"search_strategy":"pro","enable_source":true}""")),
                ("repetition_penalty", "1.1")),
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task JsonNodeValuesAreAcceptedToo(bool streaming) =>
        AssertRequestAsync(
            Body("""{"thinking_budget":64,"search_options":{"forced_search":true}}"""),
            Hi(),
            Extras(("thinking_budget", JsonValue.Create(64.0)), ("search_options", new JsonObject { ["forced_search"] = true })),
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task ExplicitExtrasWinOverValuesDerivedFromTypedOptions(bool streaming)
    {
        var weather = AIFunctionFactory.CreateDeclaration("get_weather", null, Json("""{"type":"object","properties":{}}"""));
        var options = new ChatOptions
        {
            Temperature = 0.1f,
            TopP = 0.2f,
            TopK = 5,
            MaxOutputTokens = 10,
            PresencePenalty = 0.5f,
            Seed = 1,
            StopSequences = ["x"],
            ResponseFormat = ChatResponseFormat.Json,
            Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low },
            Tools = [weather, new HostedWebSearchTool(), new HostedCodeInterpreterTool()],
            ToolMode = ChatToolMode.RequireAny,
            AllowMultipleToolCalls = true,
            AdditionalProperties = new()
            {
                ["temperature"] = 0.9,
                ["top_p"] = 0.95,
                ["top_k"] = 50,
                ["max_tokens"] = 2000,
                ["presence_penalty"] = 0,
                ["seed"] = 7,
                ["stop"] = "END",
                ["response_format"] = Json("""{"type":"text"}"""),
                ["enable_thinking"] = false,
                ["thinking_budget"] = 100,
                ["enable_search"] = false,
                ["enable_code_interpreter"] = false,
                ["tool_choice"] = "auto",
                ["parallel_tool_calls"] = false,
            },
        };

        return AssertRequestAsync(
            Body("""
                {"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{}}}}],
                 "temperature":0.9,"top_p":0.95,"top_k":50,"max_tokens":2000,"presence_penalty":0,"seed":7,"stop":"END",
                 "response_format":{"type":"text"},"enable_thinking":false,"thinking_budget":100,"enable_search":false,
                 "enable_code_interpreter":false,"tool_choice":"auto","parallel_tool_calls":false}
                """),
            Hi(),
            options,
            streaming);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task AnExplicitThinkingBudgetWinsOverTheEffortBudgetButEffortStillEnablesThinking(bool streaming) =>
        AssertRequestAsync(
            Body("""{"enable_thinking":true,"thinking_budget":300}"""),
            Hi(),
            new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Medium }, AdditionalProperties = new() { ["thinking_budget"] = 300.0 } },
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task UnknownSnakeCaseKeysPassThroughVerbatim(bool streaming) =>
        AssertRequestAsync(
            Body("""{"user":"alice","some_future_flag":true,"x_trace":{"a":[1,2]}}"""),
            Hi(),
            Extras(("user", "alice"), ("some_future_flag", true), ("x_trace", Json("""{"a":[1,2]}"""))),
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task KeysThatAreNotSnakeCaseAreApplicationMetadataAndNotSent(bool streaming) =>
        AssertRequestAsync(
            Body("{}"),
            Hi(),
            Extras(("ChatId", "42"), ("sk.kernel", "x"), ("userName", "bob"), ("enable-thinking", true), ("_private", 1)),
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task TopKNullIsSentAsNullToDisableIt(bool streaming) =>
        AssertRequestAsync(Body("""{"top_k":null}"""), Hi(), Extras(("top_k", null)), streaming);

    public static TheoryData<string, bool> ReservedKeys => new()
    {
        { "model", false }, { "model", true },
        { "messages", false }, { "messages", true },
        { "stream", false }, { "stream", true },
        { "tools", false }, { "tools", true },
    };

    [Theory]
    [MemberData(nameof(ReservedKeys))]
    public async Task ReservedKeysAreRefusedBeforeAnyRequest(string key, bool streaming)
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => GetAsync(client, Hi(), Extras((key, "x")), streaming));
        Assert.Contains($"[\"{key}\"]", ex.Message);
        Assert.Empty(handler.Requests);
    }

    public static TheoryData<string, object, bool> InvalidValues => new()
    {
        { "thinking_budget", 50.5, false },
        { "thinking_budget", 0, true },
        { "enable_thinking", "yes", false },
        { "top_logprobs", 6, true },
        { "n", 5, false },
        { "search_options", "forced", true },
        { "modalities", "text", false },
        { "repetition_penalty", 0.0, true },
    };

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public async Task InvalidValuesForKnownExtrasAreRefusedNamingTheKey(string key, object value, bool streaming)
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);
        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => GetAsync(client, Hi(), Extras((key, value)), streaming));
        Assert.Contains($"[\"{key}\"]", ex.Message);
        Assert.Empty(handler.Requests);
    }

    public static TheoryData<object, bool> IncludeUsageTrueForms => new()
    {
        { Json("""{"include_usage":true}"""), false },
        { Json("""{"include_usage":true}"""), true },
        { new Dictionary<string, object?> { ["include_usage"] = true }, false },
        { new Dictionary<string, object?> { ["include_usage"] = true }, true },
        { JsonNode.Parse("""{"include_usage":true}""")!, true },
        { Json("{}"), true },
    };

    [Theory]
    [MemberData(nameof(IncludeUsageTrueForms))]
    public Task StreamOptionsWithIncludeUsageTrueIsAcceptedAndSentOnceOnTheStreamOnly(object value, bool streaming) =>
        // MEAI's provider conformance suite passes {"include_usage": true}; the client asks for usage itself, so the body is unchanged.
        AssertRequestAsync(Body("{}"), Hi(), Extras(("stream_options", value)), streaming);

    [Fact]
    public async Task StreamOptionsOtherFieldsAreMergedIntoTheClientsObject()
    {
        var body = await CaptureRequestAsync(Hi(), Extras(("stream_options", Json("""{"include_usage":true,"chunk_hint":"x"}"""))), streaming: true);

        JsonAssert.Equal("""{"include_usage":true,"chunk_hint":"x"}""", body.GetProperty("stream_options"));
        Assert.Single(body.EnumerateObject(), p => p.Name == "stream_options");
    }

    public static TheoryData<object, bool> StreamOptionsRefused => new()
    {
        { Json("""{"include_usage":false}"""), false },
        { Json("""{"include_usage":false}"""), true },
        { new Dictionary<string, object?> { ["include_usage"] = false }, true },
        { Json("""{"include_usage":"yes"}"""), true },
    };

    [Theory]
    [MemberData(nameof(StreamOptionsRefused))]
    public async Task StreamOptionsTurningUsageOffIsRefusedSayingUsageIsAlwaysRead(object value, bool streaming)
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => GetAsync(client, Hi(), Extras(("stream_options", value)), streaming));
        Assert.Contains("[\"stream_options\"]", ex.Message);
        Assert.Contains("always reads usage", ex.Message);
        Assert.Empty(handler.Requests);
    }

    public static TheoryData<string, string, bool> Misspellings => new()
    {
        { "enableThinking", "enable_thinking", false },
        { "enableThinking", "enable_thinking", true },
        { "EnableThinking", "enable_thinking", false },
        { "EnableThinking", "enable_thinking", true },
        { "TopK", "top_k", false },
        { "TopK", "top_k", true },
        { "Top_K", "top_k", false },
        { "enablethinking", "enable_thinking", true },
        { "thinkingBudget", "thinking_budget", false },
        { "streamOptions", "stream_options", true },
    };

    [Theory]
    [MemberData(nameof(Misspellings))]
    public async Task AMisspeltExtraIsRefusedWithDidYouMean(string key, string meant, bool streaming)
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => GetAsync(client, Hi(), Extras((key, true)), streaming));
        Assert.Contains($"did you mean `{meant}`?", ex.Message);
        Assert.Contains($"[\"{key}\"]", ex.Message);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task MetadataKeysOfMeaiAndSemanticKernelAreNotTakenForMisspellings(bool streaming) =>
        // Semantic Kernel's auto-invocation keys, MEAI's OpenAI strict-schema key, and names the client writes itself spelt as metadata.
        AssertRequestAsync(
            Body("{}"),
            Hi(),
            Extras(
                ("AutoInvokingKernel", "k"), ("AutoInvokingIsStreaming", true), ("AutoInvokingChatCompletionContent", "c"),
                ("AutoInvokingPromptExecutionSettings", "s"), ("strictJsonSchema", true), ("Model", "m"), ("Messages", 2), ("Stream", "s"), ("Tools", 1)),
            streaming);
}
