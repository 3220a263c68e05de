using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.TestUtilities.TestClient;

namespace Qwen.Extensions.AI.Tests.Mapping;

/// <summary>docs/wire-mapping.md "Request body: ChatOptions → body": every row, on both paths, as exact request JSON.</summary>
public sealed class ChatRequestWriterTests
{
    private const string Hi = """[{"role":"user","content":"Hi"}]""";

    private static readonly AIFunctionDeclaration Weather = AIFunctionFactory.CreateDeclaration(
        "get_current_weather",
        "Gets the weather of a city.",
        JsonDocument.Parse("""{"type":"object","properties":{"location":{"type":"string","description":"The city"}},"required":["location"]}""").RootElement);

    private static readonly AIFunctionDeclaration Time = AIFunctionFactory.CreateDeclaration(
        "get_current_time", null, JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement);

    private const string WeatherJson =
        """{"type":"function","function":{"name":"get_current_weather","description":"Gets the weather of a city.","parameters":{"type":"object","properties":{"location":{"type":"string","description":"The city"}},"required":["location"]}}}""";

    private const string TimeJson = """{"type":"function","function":{"name":"get_current_time","parameters":{"type":"object","properties":{}}}}""";

    public static TheoryData<bool> BothPaths => new() { false, true };

    private static List<ChatMessage> HiMessages() => [new(ChatRole.User, "Hi")];

    /// <summary>The golden body: model and messages plus the given properties.</summary>
    private static string Body(string extraObject)
    {
        var body = new JsonObject { ["model"] = "qwen-plus", ["messages"] = JsonNode.Parse(Hi) };
        foreach (var (key, value) in JsonNode.Parse(extraObject.Length == 0 ? "{}" : extraObject)!.AsObject().ToList())
        {
            body[key] = value?.DeepClone();
        }

        return body.ToJsonString();
    }

    private static Task AssertBodyAsync(string extraProperties, ChatOptions? options, bool streaming) =>
        AssertRequestAsync(Body(extraProperties), HiMessages(), options, streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task NoOptionsSendsOnlyModelAndMessages(bool streaming) => AssertBodyAsync("{}", null, streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task ModelIdOverridesTheDefaultModel(bool streaming) =>
        AssertRequestAsync($$"""{"model":"qwen-max","messages":{{Hi}}}""", HiMessages(), new ChatOptions { ModelId = "qwen-max" }, streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task SamplingOptionsMapToTheirWireNames(bool streaming) =>
        AssertBodyAsync(
            """{"temperature":0.7,"top_p":0.8,"top_k":20,"max_tokens":512,"presence_penalty":1.5,"seed":42,"stop":["END","STOP"]}""",
            new ChatOptions
            {
                Temperature = 0.7f,
                TopP = 0.8f,
                TopK = 20,
                MaxOutputTokens = 512,
                PresencePenalty = 1.5f,
                Seed = 42,
                StopSequences = ["END", "STOP"],
            },
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task FrequencyPenaltyZeroIsAcceptedAndNotSent(bool streaming) =>
        AssertBodyAsync("{}", new ChatOptions { FrequencyPenalty = 0f }, streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task NonZeroFrequencyPenaltyIsRefusedBeforeAnyRequest(bool streaming)
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);
        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => GetAsync(client, HiMessages(), new ChatOptions { FrequencyPenalty = 0.5f }, streaming));
        Assert.Contains("FrequencyPenalty", ex.Message);
        Assert.Contains("repetition_penalty", ex.Message);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task ResponseFormatTextIsTypeText(bool streaming) =>
        AssertBodyAsync("""{"response_format":{"type":"text"}}""", new ChatOptions { ResponseFormat = ChatResponseFormat.Text }, streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task ResponseFormatJsonIsJsonObject(bool streaming) =>
        AssertBodyAsync("""{"response_format":{"type":"json_object"}}""", new ChatOptions { ResponseFormat = ChatResponseFormat.Json }, streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task ResponseFormatJsonSchemaCarriesNameDescriptionAndSchema(bool streaming) =>
        AssertBodyAsync(
            """{"response_format":{"type":"json_schema","json_schema":{"name":"city","description":"A city and its country","schema":{"type":"object","properties":{"name":{"type":"string"},"country":{"type":"string"}},"required":["name","country"]}}}}""",
            new ChatOptions
            {
                ResponseFormat = ChatResponseFormat.ForJsonSchema(
                    JsonDocument.Parse("""{"type":"object","properties":{"name":{"type":"string"},"country":{"type":"string"}},"required":["name","country"]}""").RootElement,
                    "city",
                    "A city and its country"),
            },
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task FunctionToolsAreSentWithTheirSchemasInOrder(bool streaming) =>
        AssertBodyAsync($$"""{"tools":[{{WeatherJson}},{{TimeJson}}]}""", new ChatOptions { Tools = [Weather, Time] }, streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task AnAIFunctionIsSentWithItsGeneratedSchema(bool streaming)
    {
        var function = AIFunctionFactory.Create((string city) => "sunny", "get_weather", "Weather of a city");
        return AssertBodyAsync(
            $$$"""{"tools":[{"type":"function","function":{"name":"get_weather","description":"Weather of a city","parameters":{{{function.JsonSchema.GetRawText()}}}}}]}""",
            new ChatOptions { Tools = [function] },
            streaming);
    }

    public static TheoryData<string, bool> ToolModes => new()
    {
        { "auto", false }, { "auto", true },
        { "none", false }, { "none", true },
        { "required", false }, { "required", true },
        { "specific", false }, { "specific", true },
    };

    [Theory]
    [MemberData(nameof(ToolModes))]
    public Task EveryToolModeMapsToItsToolChoice(string mode, bool streaming)
    {
        (ChatToolMode toolMode, string wire) = mode switch
        {
            "auto" => ((ChatToolMode)ChatToolMode.Auto, "\"auto\""),
            "none" => (ChatToolMode.None, "\"none\""),
            "required" => (ChatToolMode.RequireAny, "\"required\""),
            _ => (ChatToolMode.RequireSpecific("get_current_time"), """{"type":"function","function":{"name":"get_current_time"}}"""),
        };

        return AssertBodyAsync($$"""{"tools":[{{WeatherJson}},{{TimeJson}}],"tool_choice":{{wire}}}""", new ChatOptions { Tools = [Weather, Time], ToolMode = toolMode }, streaming);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task RequireSpecificOfAnUnknownFunctionIsRefusedBeforeAnyRequest(bool streaming)
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);
        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            GetAsync(client, HiMessages(), new ChatOptions { Tools = [Weather], ToolMode = ChatToolMode.RequireSpecific("nope") }, streaming));
        Assert.Contains("'nope'", ex.Message);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public Task AllowMultipleToolCallsIsParallelToolCalls(bool allow, bool streaming) =>
        AssertBodyAsync(
            $$"""{"tools":[{{WeatherJson}}],"parallel_tool_calls":{{(allow ? "true" : "false")}}}""",
            new ChatOptions { Tools = [Weather], AllowMultipleToolCalls = allow },
            streaming);

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public Task AllowMultipleToolCallsWithoutFunctionToolsSendsNoParallelToolCalls(bool allow, bool streaming) =>
        AssertBodyAsync("{}", new ChatOptions { AllowMultipleToolCalls = allow }, streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task AllowMultipleToolCallsWithOnlyAHostedToolSendsNoParallelToolCalls(bool streaming) =>
        AssertBodyAsync("""{"enable_search":true}""", new ChatOptions { Tools = [new HostedWebSearchTool()], AllowMultipleToolCalls = true }, streaming);

    private const string CitySchema = """{"type":"object","properties":{"name":{"type":"string"}},"required":["name"],"additionalProperties":false}""";

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public Task StrictJsonSchemaSendsStrictInsideJsonSchema(bool strict, bool streaming) =>
        AssertBodyAsync(
            """{"response_format":{"type":"json_schema","json_schema":{"name":"city","schema":""" + CitySchema + ""","strict":""" + (strict ? "true" : "false") + "}}}",
            new ChatOptions
            {
                ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonDocument.Parse(CitySchema).RootElement, "city"),
                AdditionalProperties = new() { [QwenPropertyNames.StrictJsonSchema] = strict },
            },
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task StrictJsonSchemaOnTheOptionsMarksEveryFunctionStrict(bool streaming) =>
        AssertBodyAsync(
            """
            {"tools":[
              {"type":"function","function":{"name":"get_current_weather","description":"Gets the weather of a city.","parameters":{"type":"object","properties":{"location":{"type":"string","description":"The city"}},"required":["location"]},"strict":true}},
              {"type":"function","function":{"name":"get_current_time","parameters":{"type":"object","properties":{}},"strict":true}}]}
            """,
            new ChatOptions { Tools = [Weather, Time], AdditionalProperties = new() { ["strictJsonSchema"] = true } },
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task StrictJsonSchemaOnOneFunctionMarksOnlyThatFunction(bool streaming)
    {
        var strictFunction = AIFunctionFactory.Create(
            (string city) => "sunny",
            new AIFunctionFactoryOptions { Name = "get_weather", AdditionalProperties = new Dictionary<string, object?> { ["strictJsonSchema"] = true } });
        return AssertBodyAsync(
            $$$"""{"tools":[{"type":"function","function":{"name":"get_weather","parameters":{{{strictFunction.JsonSchema.GetRawText()}}},"strict":true}},{{{TimeJson}}}]}""",
            new ChatOptions { Tools = [strictFunction, Time] },
            streaming);
    }

    [Theory]
    [InlineData("None", false, """{"enable_thinking":false}""")]
    [InlineData("None", true, """{"enable_thinking":false}""")]
    [InlineData("Low", false, """{"enable_thinking":true,"thinking_budget":2048}""")]
    [InlineData("Low", true, """{"enable_thinking":true,"thinking_budget":2048}""")]
    [InlineData("Medium", false, """{"enable_thinking":true,"thinking_budget":8192}""")]
    [InlineData("Medium", true, """{"enable_thinking":true,"thinking_budget":8192}""")]
    [InlineData("High", false, """{"enable_thinking":true}""")]
    [InlineData("High", true, """{"enable_thinking":true}""")]
    [InlineData("ExtraHigh", false, """{"enable_thinking":true}""")]
    [InlineData("ExtraHigh", true, """{"enable_thinking":true}""")]
    public Task ReasoningEffortMapsToEnableThinkingAndBudget(string effort, bool streaming, string wire) =>
        AssertBodyAsync(wire, new ChatOptions { Reasoning = new ReasoningOptions { Effort = Enum.Parse<ReasoningEffort>(effort) } }, streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task ReasoningOutputNoneAloneSendsNothing(bool streaming) =>
        AssertBodyAsync("{}", new ChatOptions { Reasoning = new ReasoningOptions { Output = ReasoningOutput.None } }, streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task HostedWebSearchToolEnablesSearchWithoutAFunctionTool(bool streaming) =>
        AssertBodyAsync("""{"enable_search":true}""", new ChatOptions { Tools = [new HostedWebSearchTool()] }, streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task HostedWebSearchToolTakesSearchOptionsFromAdditionalProperties(bool streaming) =>
        AssertBodyAsync(
            """{"enable_search":true,"search_options":{"forced_search":true,"search_strategy":"max"}}""",
            new ChatOptions
            {
                Tools = [new HostedWebSearchTool()],
                AdditionalProperties = new() { ["search_options"] = JsonDocument.Parse("""{"forced_search":true,"search_strategy":"max"}""").RootElement },
            },
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task HostedCodeInterpreterToolEnablesCodeInterpreter(bool streaming) =>
        AssertBodyAsync("""{"enable_code_interpreter":true}""", new ChatOptions { Tools = [new HostedCodeInterpreterTool()] }, streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task HostedToolsAndFunctionsTogether(bool streaming) =>
        AssertBodyAsync(
            $$"""{"tools":[{{WeatherJson}}],"enable_search":true,"enable_code_interpreter":true,"tool_choice":"auto"}""",
            new ChatOptions { Tools = [new HostedWebSearchTool(), Weather, new HostedCodeInterpreterTool()], ToolMode = ChatToolMode.Auto },
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task AnUnsupportedHostedToolIsRefusedNamingItsType(bool streaming)
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);
        var ex = await Assert.ThrowsAsync<NotSupportedException>(() =>
            GetAsync(client, HiMessages(), new ChatOptions { Tools = [new HostedFileSearchTool()] }, streaming));
        Assert.Contains(nameof(HostedFileSearchTool), ex.Message);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task RawRepresentationFactoryDictionaryIsMergedUnderAdditionalProperties(bool streaming) =>
        AssertBodyAsync(
            """{"top_k":50,"enable_thinking":false,"repetition_penalty":1.05}""",
            new ChatOptions
            {
                RawRepresentationFactory = _ => new Dictionary<string, object?> { ["top_k"] = 10, ["enable_thinking"] = false, ["repetition_penalty"] = 1.05 },
                AdditionalProperties = new() { ["top_k"] = 50 },
            },
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task RawRepresentationFactoryReturningSomethingElseIsRefused(bool streaming)
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);
        var ex = await Assert.ThrowsAsync<NotSupportedException>(() =>
            GetAsync(client, HiMessages(), new ChatOptions { RawRepresentationFactory = _ => new object() }, streaming));
        Assert.Contains("RawRepresentationFactory", ex.Message);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task ConversationIdIsRefusedBecauseTheServiceKeepsNoState(bool streaming)
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);
        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => GetAsync(client, HiMessages(), new ChatOptions { ConversationId = "conv_1" }, streaming));
        Assert.Contains("ConversationId", ex.Message);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("temperature", false)]
    [InlineData("temperature", true)]
    [InlineData("top_p", false)]
    [InlineData("top_p", true)]
    [InlineData("seed", false)]
    [InlineData("seed", true)]
    public async Task OutOfRangeTypedOptionsAreRefusedBeforeAnyRequest(string option, bool streaming)
    {
        var options = option switch
        {
            "temperature" => new ChatOptions { Temperature = 2f },
            "top_p" => new ChatOptions { TopP = 0f },
            _ => new ChatOptions { Seed = -1 },
        };
        var handler = new FakeHttpHandler();
        using var client = Create(handler);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => GetAsync(client, HiMessages(), options, streaming));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task ARangeErrorStatesTheValueOnce()
    {
        using var client = Create(new FakeHttpHandler());

        var typed = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.GetResponseAsync(HiMessages(), new ChatOptions { Temperature = 2f }));
        var loose = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.GetResponseAsync(
            HiMessages(), new ChatOptions { AdditionalProperties = new() { ["top_k"] = -1 } }));

        Assert.Equal("ChatOptions.Temperature must be in [0, 2); got 2. (Parameter 'options')", typed.Message);
        Assert.DoesNotContain("Actual value", loose.Message, StringComparison.Ordinal);
        Assert.Null(typed.ActualValue);
    }
}
