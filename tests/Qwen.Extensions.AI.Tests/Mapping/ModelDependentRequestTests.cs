using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.TestUtilities.TestClient;

namespace Qwen.Extensions.AI.Tests.Mapping;

/// <summary>
/// Issue 13 items 2, 3, 5 and 8: every branch that reads the table of model facts, as exact request JSON on both paths, for a
/// known model of each kind and an unknown one (dashscope-more.md 4 and 6).
/// </summary>
public sealed class ModelDependentRequestTests
{
    /// <summary>Reasoning tiers, preserved thinking, json_schema, JSON mode while thinking (dashscope-more.md 4.2, 4.4, 6.2).</summary>
    private const string Tiered = "qwen3.8-max";

    /// <summary>Thinks by default, preserves thinking, no tiers, no json_schema, refuses JSON mode while thinking.</summary>
    private const string Preserving = "qwen3.6-plus";

    /// <summary>Thinks by default, json_schema, refuses JSON mode while thinking, no tiers.</summary>
    private const string Hybrid = "qwen3.5-plus";

    /// <summary>A model the table does not know: the safe behaviour everywhere.</summary>
    private const string Unknown = "acme-chat";

    private const string Schema = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""";

    private const string SchemaInstruction = "Respond with a JSON value conforming to the following schema (city):\n```\n" + Schema + "\n```";

    public static TheoryData<bool> BothPaths => new() { false, true };

    private static List<ChatMessage> Hi() => [new(ChatRole.User, "Hi")];

    private static string Body(string model, string extraObject, string messages = """[{"role":"user","content":"Hi"}]""")
    {
        var body = new JsonObject { ["model"] = model, ["messages"] = JsonNode.Parse(messages) };
        foreach (var (key, value) in JsonNode.Parse(extraObject)!.AsObject().ToList())
        {
            body[key] = value?.DeepClone();
        }

        return body.ToJsonString();
    }

    private static ChatOptions Effort(string model, ReasoningEffort effort) => new() { ModelId = model, Reasoning = new ReasoningOptions { Effort = effort } };

    private static ChatResponseFormatJson CitySchema() => ChatResponseFormat.ForJsonSchema(JsonDocument.Parse(Schema).RootElement, "city");

    // ---- Item 2: reasoning tiers ----

    [Theory]
    [InlineData(ReasoningEffort.None, "none", false)]
    [InlineData(ReasoningEffort.None, "none", true)]
    [InlineData(ReasoningEffort.Low, "low", false)]
    [InlineData(ReasoningEffort.Low, "low", true)]
    [InlineData(ReasoningEffort.Medium, "medium", false)]
    [InlineData(ReasoningEffort.Medium, "medium", true)]
    [InlineData(ReasoningEffort.High, "high", false)]
    [InlineData(ReasoningEffort.High, "high", true)]
    [InlineData(ReasoningEffort.ExtraHigh, "xhigh", false)]
    [InlineData(ReasoningEffort.ExtraHigh, "xhigh", true)]
    public Task ATieredModelGetsReasoningEffortWithoutEnableThinkingOrBudget(ReasoningEffort effort, string tier, bool streaming) =>
        AssertRequestAsync(Body(Tiered, $$"""{"reasoning_effort":"{{tier}}","preserve_thinking":true}"""), Hi(), Effort(Tiered, effort), streaming);

    [Theory]
    [InlineData("qwen3.8-flash", false)]
    [InlineData("qwen3.8-flash", true)]
    [InlineData("qwen3.8-max-0902", false)]
    [InlineData("qwen3.8-max-0902", true)]
    public Task EveryQwen38ModelTiers(string model, bool streaming) =>
        AssertRequestAsync(Body(model, """{"reasoning_effort":"low","preserve_thinking":true}"""), Hi(), Effort(model, ReasoningEffort.Low), streaming);

    [Theory]
    [InlineData(ReasoningEffort.None, """{"enable_thinking":false}""", false)]
    [InlineData(ReasoningEffort.None, """{"enable_thinking":false}""", true)]
    [InlineData(ReasoningEffort.Low, """{"enable_thinking":true,"thinking_budget":2048}""", false)]
    [InlineData(ReasoningEffort.Low, """{"enable_thinking":true,"thinking_budget":2048}""", true)]
    [InlineData(ReasoningEffort.ExtraHigh, """{"enable_thinking":true}""", false)]
    [InlineData(ReasoningEffort.ExtraHigh, """{"enable_thinking":true}""", true)]
    public Task AnUnknownModelKeepsEnableThinkingAndBudget(ReasoningEffort effort, string wire, bool streaming) =>
        AssertRequestAsync(Body(Unknown, wire), Hi(), Effort(Unknown, effort), streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task AModelThatAcceptsButIgnoresTiersKeepsEnableThinkingAndBudget(bool streaming) =>
        // qwen3.7-flash accepts reasoning_effort but ignores it (dashscope-more.md 4.2): the budget still means something there.
        AssertRequestAsync(
            Body("qwen3.7-flash", """{"enable_thinking":true,"thinking_budget":8192,"preserve_thinking":true}"""), Hi(), Effort("qwen3.7-flash", ReasoningEffort.Medium), streaming);

    [Theory]
    [InlineData(Tiered, false)]
    [InlineData(Tiered, true)]
    [InlineData(Unknown, false)]
    [InlineData(Unknown, true)]
    public Task AnExplicitReasoningEffortWinsAndTheDerivedThinkingFieldsStepAside(string model, bool streaming)
    {
        var options = Effort(model, ReasoningEffort.Low);
        options.AdditionalProperties = new() { [QwenPropertyNames.ReasoningEffort] = "max" };
        var preserve = model == Tiered ? ""","preserve_thinking":true""" : string.Empty;
        return AssertRequestAsync(Body(model, $$"""{"reasoning_effort":"max"{{preserve}}}"""), Hi(), options, streaming);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task AnExplicitEnableThinkingSuppressesTheDerivedTier(bool streaming)
    {
        var options = Effort(Tiered, ReasoningEffort.High);
        options.AdditionalProperties = new() { [QwenPropertyNames.EnableThinking] = true };
        return AssertRequestAsync(Body(Tiered, """{"enable_thinking":true,"preserve_thinking":true}"""), Hi(), options, streaming);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task AnExplicitThinkingBudgetSuppressesTheDerivedTier(bool streaming)
    {
        var options = Effort(Tiered, ReasoningEffort.Low);
        options.AdditionalProperties = new() { [QwenPropertyNames.ThinkingBudget] = 500 };
        return AssertRequestAsync(Body(Tiered, """{"enable_thinking":true,"thinking_budget":500,"preserve_thinking":true}"""), Hi(), options, streaming);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task ReasoningEffortAndThinkingBudgetBothExplicitFailBeforeSending(bool streaming)
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);
        var options = new ChatOptions
        {
            ModelId = Tiered,
            AdditionalProperties = new() { [QwenPropertyNames.ReasoningEffort] = "high", [QwenPropertyNames.ThinkingBudget] = 1000 },
        };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => GetAsync(client, Hi(), options, streaming));

        Assert.Equal("options", ex.ParamName);
        Assert.Contains("'reasoning_effort' and 'thinking_budget' cannot be set simultaneously", ex.Message);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task AReasoningEffortExtraThatIsNotAStringIsRefused()
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);
        var options = new ChatOptions { AdditionalProperties = new() { [QwenPropertyNames.ReasoningEffort] = 3 } };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(Hi(), options));

        Assert.Contains("AdditionalProperties[\"reasoning_effort\"] must be a string", ex.Message);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task AUserEntryGivesAnUnknownModelTiers()
    {
        var handler = new FakeHttpHandler(CannedResponse.MinimalCompletion());
        var options = new QwenClientOptions { ApiKey = ApiKey, MaxRetries = 0 };
        options.ModelCapabilities["acme-*"] = QwenModelCapabilities.ReasoningTiers;
        using var client = new QwenChatClient(options, new HttpClient(handler));

        await client.GetResponseAsync(Hi(), Effort(Unknown, ReasoningEffort.Medium));

        JsonAssert.Equal(Body(Unknown, """{"reasoning_effort":"medium"}"""), handler.SingleRequest.Json);
    }

    [Fact]
    public async Task TheServicesStreamedRefusalOfThePairSurfacesAsQwenApiException()
    {
        // Verbatim from dashscope-more.md 4.3 (qwen3.8-max, opencode #41531): what another client that sends the pair gets.
        var handler = new FakeHttpHandler(CannedResponse.Sse(
            "data: {\"error\":{\"code\":\"invalid_parameter_error\",\"param\":null,\"message\":\"'reasoning_effort' and 'thinking_budget' cannot be set simultaneously\",\"type\":\"invalid_request_error\"},\"id\":\"chatcmpl-403f754a-1d07-4cd5-94a4-1046e7ef1f43\"}\n\n"));
        using var client = Create(handler);

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => StreamAsync(client, Hi(), new ChatOptions { ModelId = Tiered }));

        Assert.Equal("invalid_parameter_error", ex.ErrorCode);
        Assert.Contains("'reasoning_effort' and 'thinking_budget' cannot be set simultaneously", ex.Message, StringComparison.Ordinal);
    }

    // ---- Item 3: preserved thinking ----

    private static List<ChatMessage> TwoTurns() =>
    [
        new(ChatRole.User, "What is 1+1?"),
        new(ChatRole.Assistant, [new TextReasoningContent("Add them."), new TextContent("2")]),
        new(ChatRole.User, "And 2+2?"),
    ];

    private const string TwoTurnsEchoed = """[{"role":"user","content":"What is 1+1?"},{"role":"assistant","content":"2","reasoning_content":"Add them."},{"role":"user","content":"And 2+2?"}]""";

    private const string TwoTurnsPlain = """[{"role":"user","content":"What is 1+1?"},{"role":"assistant","content":"2"},{"role":"user","content":"And 2+2?"}]""";

    [Theory]
    [InlineData(Tiered, false)]
    [InlineData(Tiered, true)]
    [InlineData(Preserving, false)]
    [InlineData(Preserving, true)]
    [InlineData("kimi-k2.7-code", false)]
    [InlineData("kimi-k2.7-code", true)]
    public Task AModelThatPreservesThinkingGetsItOnAndTheWholeHistorysReasoning(string model, bool streaming) =>
        AssertRequestAsync(Body(model, """{"preserve_thinking":true}""", TwoTurnsEchoed), TwoTurns(), new ChatOptions { ModelId = model }, streaming);

    [Theory]
    [InlineData(Unknown, false)]
    [InlineData(Unknown, true)]
    [InlineData(Hybrid, false)]
    [InlineData(Hybrid, true)]
    public Task OtherModelsGetNoPreserveThinkingAndNoEarlierReasoning(string model, bool streaming) =>
        AssertRequestAsync(Body(model, "{}", TwoTurnsPlain), TwoTurns(), new ChatOptions { ModelId = model }, streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task AnExplicitPreserveThinkingFalseWinsOnAModelThatPreserves(bool streaming) =>
        AssertRequestAsync(
            Body(Tiered, """{"preserve_thinking":false}""", TwoTurnsPlain),
            TwoTurns(),
            new ChatOptions { ModelId = Tiered, AdditionalProperties = new() { [QwenPropertyNames.PreserveThinking] = false } },
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task AnExplicitPreserveThinkingTrueWinsOnAnUnknownModel(bool streaming) =>
        AssertRequestAsync(
            Body(Unknown, """{"preserve_thinking":true}""", TwoTurnsEchoed),
            TwoTurns(),
            new ChatOptions { ModelId = Unknown, AdditionalProperties = new() { [QwenPropertyNames.PreserveThinking] = true } },
            streaming);

    // ---- Item 5: structured output by model ----

    [Theory]
    [InlineData("qwen-plus", false)]
    [InlineData("qwen-plus", true)]
    [InlineData("qwen3-max-2025-09-23", false)]
    [InlineData("qwen3-max-2025-09-23", true)]
    [InlineData("qwen-flash-us", false)]
    [InlineData("qwen-flash-us", true)]
    public Task ASchemaGoesAsJsonSchemaWhereTheModelSupportsIt(string model, bool streaming) =>
        AssertRequestAsync(
            Body(model, """{"response_format":{"type":"json_schema","json_schema":{"name":"city","schema":""" + Schema + "}}}"),
            Hi(),
            new ChatOptions { ModelId = model, ResponseFormat = CitySchema() },
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task ASchemaForAModelThatThinksByDefaultAndRefusesJsonModeWhileThinkingTurnsDefaultThinkingOff(bool streaming) =>
        AssertRequestAsync(
            Body(Hybrid, $$$"""{"response_format":{"type":"json_schema","json_schema":{"name":"city","schema":{{{Schema}}}}},"enable_thinking":false}"""),
            Hi(),
            new ChatOptions { ModelId = Hybrid, ResponseFormat = CitySchema() },
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task ASchemaForAModelThatTakesJsonModeWhileThinkingLeavesThinkingAlone(bool streaming) =>
        AssertRequestAsync(
            Body(Tiered, $$$"""{"response_format":{"type":"json_schema","json_schema":{"name":"city","schema":{{{Schema}}}}},"reasoning_effort":"high","preserve_thinking":true}"""),
            Hi(),
            new ChatOptions { ModelId = Tiered, ResponseFormat = CitySchema(), Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High } },
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task ASchemaForAnUnknownModelIsJsonObjectPlusTheSchemaInTheSystemMessage(bool streaming) =>
        AssertRequestAsync(
            Body(Unknown, """{"response_format":{"type":"json_object"}}""", JsonSerializer.Serialize(new[] { new { role = "system", content = SchemaInstruction }, new { role = "user", content = "Hi" } })),
            Hi(),
            new ChatOptions { ModelId = Unknown, ResponseFormat = CitySchema() },
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task TheSchemaInstructionFollowsTheInstructionsAndSystemMessagesAndThinkingByDefaultIsTurnedOff(bool streaming) =>
        AssertRequestAsync(
            Body(
                Preserving,
                """{"response_format":{"type":"json_object"},"enable_thinking":false,"preserve_thinking":true}""",
                JsonSerializer.Serialize(new[] { new { role = "system", content = "Be brief.\n\nYou are a geographer.\n\n" + SchemaInstruction }, new { role = "user", content = "Hi" } })),
            [new(ChatRole.System, "You are a geographer."), new(ChatRole.User, "Hi")],
            new ChatOptions { ModelId = Preserving, Instructions = "Be brief.", ResponseFormat = CitySchema() },
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task JsonWithoutASchemaOnAModelThatThinksByDefaultTurnsDefaultThinkingOffAndAddsNoInstruction(bool streaming) =>
        AssertRequestAsync(
            Body(Hybrid, """{"response_format":{"type":"json_object"},"enable_thinking":false}"""),
            Hi(),
            new ChatOptions { ModelId = Hybrid, ResponseFormat = ChatResponseFormat.Json },
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task JsonWithThinkingExplicitlyOffIsSentAsAsked(bool streaming) =>
        AssertRequestAsync(
            Body(Hybrid, """{"response_format":{"type":"json_object"},"enable_thinking":false}"""),
            Hi(),
            new ChatOptions { ModelId = Hybrid, ResponseFormat = ChatResponseFormat.Json, Reasoning = new ReasoningOptions { Effort = ReasoningEffort.None } },
            streaming);

    public static TheoryData<string, bool> ThinkingAskedFor => new()
    {
        { "effort", false }, { "effort", true }, { "enable_thinking", false }, { "enable_thinking", true }, { "reasoning_effort", false }, { "reasoning_effort", true },
    };

    [Theory]
    [MemberData(nameof(ThinkingAskedFor))]
    public async Task JsonModeWithThinkingAskedForFailsBeforeSendingOnAModelThatRefusesIt(string how, bool streaming)
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);
        var options = new ChatOptions { ModelId = Hybrid, ResponseFormat = CitySchema() };
        switch (how)
        {
            case "effort":
                options.Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Medium };
                break;
            case "enable_thinking":
                options.AdditionalProperties = new() { [QwenPropertyNames.EnableThinking] = true };
                break;
            default:
                options.AdditionalProperties = new() { [QwenPropertyNames.ReasoningEffort] = "high" };
                break;
        }

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => GetAsync(client, Hi(), options, streaming));

        Assert.Equal("options", ex.ParamName);
        Assert.Contains("qwen3.5-plus", ex.Message);
        Assert.Contains("Json mode response is not supported when enable_thinking is true", ex.Message);
        Assert.Contains("JsonModeWithThinking", ex.Message);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task GetResponseAsyncOfTWorksOnAModelWithoutJsonSchema()
    {
        var handler = new FakeHttpHandler(CannedResponse.Json(
            """{"choices":[{"message":{"role":"assistant","content":"{\"city\":\"Paris\"}"},"finish_reason":"stop","index":0}],"object":"chat.completion","created":1,"model":"acme-chat","id":"chatcmpl-json"}"""));
        using var client = Create(handler);

        var response = await client.GetResponseAsync<CityAnswer>(Hi(), new ChatOptions { ModelId = Unknown });

        Assert.Equal("Paris", response.Result.City);
        var body = handler.SingleRequest.Json;
        Assert.Equal("json_object", body.GetProperty("response_format").GetProperty("type").GetString());
        var system = body.GetProperty("messages")[0];
        Assert.Equal("system", system.GetProperty("role").GetString());
        Assert.StartsWith("Respond with a JSON value conforming to the following schema (CityAnswer)", system.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"city\"", system.GetProperty("content").GetString(), StringComparison.Ordinal);
    }

    // ---- Item 8: ToolMode.RequireAny stays "required" on every model ----

    [Theory]
    [InlineData("qwen3.8-flash", false)]
    [InlineData("qwen3.8-flash", true)]
    [InlineData(Unknown, false)]
    [InlineData(Unknown, true)]
    public async Task RequireAnyIsRequiredOnEveryModel(string model, bool streaming)
    {
        var tool = AIFunctionFactory.CreateDeclaration("get_time", null, JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement);
        var body = await CaptureRequestAsync(Hi(), new ChatOptions { ModelId = model, Tools = [tool], ToolMode = ChatToolMode.RequireAny }, streaming);

        Assert.Equal("required", body.GetProperty("tool_choice").GetString());
    }

    private sealed class CityAnswer
    {
        public string City { get; set; } = string.Empty;
    }
}
