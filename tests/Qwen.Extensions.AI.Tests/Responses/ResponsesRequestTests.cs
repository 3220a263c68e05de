using System.Text.Json;
using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.Tests.Responses.ResponsesTestClient;

namespace Qwen.Extensions.AI.Tests.Responses;

/// <summary>docs/wire-mapping.md "Responses API: request": every mapping as the exact body, on both paths, and every refusal before sending.</summary>
public sealed class ResponsesRequestTests
{
    private static readonly ChatMessage[] Hi = [new(ChatRole.User, "What can you do?")];

    private static readonly AIFunctionDeclaration Weather = AIFunctionFactory.CreateDeclaration(
        "get_current_weather",
        "Gets the weather of a city.",
        JsonDocument.Parse("""{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}""").RootElement);

    private static readonly AIFunctionDeclaration Time = AIFunctionFactory.CreateDeclaration(
        "get_current_time", null, JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SimpleRequestPostsToResponsesWithBearerKey(bool streaming)
    {
        var request = await CaptureAsync(Hi, null, streaming);

        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://dashscope-intl.aliyuncs.com/compatible-mode/v1/responses", request.Uri.ToString());
        Assert.Equal("Bearer " + TestClient.ApiKey, request.Header("Authorization"));
        Assert.Null(request.Header("x-dashscope-session-cache"));
        await AssertBodyAsync("""{"model":"qwen3.8-max","input":[{"role":"user","content":"What can you do?"}]}""", Hi, null, streaming);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TypedOptionsMapToTheirWireNames(bool streaming)
    {
        var options = new ChatOptions
        {
            ModelId = "qwen3.5-plus",
            Instructions = "Be brief.",
            Temperature = 0.5f,
            TopP = 0.9f,
            MaxOutputTokens = 16,
            Reasoning = new ReasoningOptions { Effort = ReasoningEffort.ExtraHigh },

            // Not sent: the service ignores parallel_tool_calls (and has no stop, seed, penalties or top_k).
            AllowMultipleToolCalls = false,
            StopSequences = ["END"],
            Seed = 1,
        };

        await AssertBodyAsync(
            """{"model":"qwen3.5-plus","input":[{"role":"user","content":"What can you do?"}],"instructions":"Be brief.","temperature":0.5,"top_p":0.9,"max_output_tokens":16,"reasoning":{"effort":"xhigh"}}""",
            Hi, options, streaming);
    }

    [Theory]
    [InlineData(ReasoningEffort.None, "none")]
    [InlineData(ReasoningEffort.Low, "low")]
    [InlineData(ReasoningEffort.Medium, "medium")]
    [InlineData(ReasoningEffort.High, "high")]
    public async Task ReasoningEffortMapsToReasoningEffort(ReasoningEffort effort, string wire)
    {
        var request = await CaptureAsync(Hi, new ChatOptions { Reasoning = new ReasoningOptions { Effort = effort } }, streaming: false);
        Assert.Equal(wire, request.Json.GetProperty("reasoning").GetProperty("effort").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StoreExtraAndOtherDocumentedExtrasAreSent(bool streaming)
    {
        var options = new ChatOptions { AdditionalProperties = new() { ["store"] = false, ["enable_thinking"] = true, ["AppMetadata"] = "not sent" } };
        await AssertBodyAsync(
            """{"model":"qwen3.8-max","input":[{"role":"user","content":"What can you do?"}],"store":false,"enable_thinking":true}""",
            Hi, options, streaming);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HistoryBecomesInputItemsInOrder(bool streaming)
    {
        ChatMessage[] history =
        [
            new(ChatRole.System, "You are a weather bot."),
            new(ChatRole.User, [new TextContent("Weather here?"), new UriContent("https://example.com/sky.png", "image/png"), new DataContent(new byte[] { 1, 2, 3 }, "image/png")]),
            new(ChatRole.Assistant, [new TextContent("Let me check."), new FunctionCallContent("call_1", "get_current_weather", new Dictionary<string, object?> { ["location"] = "北京" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "北京今天是晴天。")]),
            new(ChatRole.User, [new TextContent("And the PDF?"), new UriContent("https://example.com/a.pdf", "application/pdf")]),
        ];

        await AssertBodyAsync(
            """
            {"model":"qwen3.8-max","input":[
              {"role":"system","content":"You are a weather bot."},
              {"role":"user","content":[{"type":"input_text","text":"Weather here?"},{"type":"input_image","image_url":"https://example.com/sky.png"},{"type":"input_image","image_url":"data:image/png;base64,AQID"}]},
              {"role":"assistant","content":"Let me check."},
              {"type":"function_call","call_id":"call_1","name":"get_current_weather","arguments":"{\"location\":\"北京\"}"},
              {"type":"function_call_output","call_id":"call_1","output":"北京今天是晴天。"},
              {"role":"user","content":[{"type":"input_text","text":"And the PDF?"},{"type":"input_file","file_url":"https://example.com/a.pdf"}]}
            ]}
            """,
            history, null, streaming);
    }

    [Fact]
    public async Task FunctionLoopItemsMatchTheDocumentedShapes()
    {
        // The docs' function-calling loop (section 1.12): the client appends exactly these two items.
        var documented = Fixture.Text("ResponsesApi/doc-function-loop-items.jsonl").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        ChatMessage[] history =
        [
            new(ChatRole.User, "北京天气咋样"),
            new(ChatRole.Assistant, [new FunctionCallContent("<fc.call_id>", "get_current_weather", new Dictionary<string, object?> { ["location"] = "北京" })]),
            new(ChatRole.Tool, [new FunctionResultContent("<fc.call_id>", "北京今天是晴天。")]),
        ];

        var input = (await CaptureAsync(history, null, streaming: false)).Json.GetProperty("input");

        // The documented arguments string has a space after the colon (Python's json.dumps); the client writes compact JSON.
        JsonAssert.Equal(documented[0].Replace("\\\": \\\"", "\\\":\\\"", StringComparison.Ordinal), input[1]);
        JsonAssert.Equal(documented[1], input[2]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ConversationIdSendsPreviousResponseIdAndOnlyTheNewMessages(bool streaming)
    {
        ChatMessage[] history =
        [
            new(ChatRole.User, "Hi"),
            new(ChatRole.Assistant, "Hello!"),
            new(ChatRole.User, "What did I say?"),
        ];
        var options = new ChatOptions { ConversationId = "resp_prev", Instructions = "Be brief." };

        await AssertBodyAsync(
            """{"model":"qwen3.8-max","input":[{"role":"user","content":"What did I say?"}],"instructions":"Be brief.","previous_response_id":"resp_prev"}""",
            history, options, streaming);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FunctionToolsAreFlatAndHostedToolsHaveTheirTypes(bool streaming)
    {
        var options = new ChatOptions
        {
            Tools =
            [
                Weather,
                new HostedWebSearchTool(new Dictionary<string, object?> { ["web_extractor"] = true, ["web_search_image"] = true, ["image_search"] = true }),
                new HostedCodeInterpreterTool(),
                new HostedFileSearchTool { Inputs = [new HostedVectorStoreContent("kb_123")] },
                new HostedMcpServerTool("amap-maps", "https://dashscope.aliyuncs.com/api/v1/mcps/amap-maps/sse")
                {
                    ServerDescription = "Maps",
                    Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer mcp-token" },
                },
            ],
        };

        await AssertBodyAsync(
            """
            {"model":"qwen3.8-max","input":[{"role":"user","content":"What can you do?"}],"tools":[
              {"type":"function","name":"get_current_weather","description":"Gets the weather of a city.","parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}},
              {"type":"web_search"},{"type":"web_extractor"},{"type":"web_search_image"},{"type":"image_search"},
              {"type":"code_interpreter"},
              {"type":"file_search","vector_store_ids":["kb_123"]},
              {"type":"mcp","server_protocol":"sse","server_label":"amap-maps","server_description":"Maps","server_url":"https://dashscope.aliyuncs.com/api/v1/mcps/amap-maps/sse","headers":{"Authorization":"Bearer mcp-token"}}
            ]}
            """,
            Hi, options, streaming);
    }

    [Fact]
    public async Task McpNeverRequireApprovalRunsAsDocumented()
    {
        var tool = new HostedMcpServerTool("s", "https://example.com/sse") { ApprovalMode = HostedMcpServerToolApprovalMode.NeverRequire };
        var request = await CaptureAsync(Hi, new ChatOptions { Tools = [tool] }, streaming: false);
        Assert.Equal("mcp", request.Json.GetProperty("tools")[0].GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("none", """ "none" """)]
    [InlineData("auto", """ "auto" """)]
    [InlineData("required-one", """ "required" """)]
    [InlineData("required-many", """ {"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"get_current_weather"},{"type":"function","name":"get_current_time"}]} """)]
    [InlineData("specific", """ {"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"get_current_time"}]} """)]
    public async Task ToolModeFollowsTheDocumentedRules(string mode, string expected)
    {
        IList<AITool> tools = mode == "required-one" ? [Weather] : [Weather, Time];
        ChatToolMode toolMode = mode switch
        {
            "none" => ChatToolMode.None,
            "auto" => ChatToolMode.Auto,
            "required-one" or "required-many" => ChatToolMode.RequireAny,
            _ => ChatToolMode.RequireSpecific("get_current_time"),
        };

        var request = await CaptureAsync(Hi, new ChatOptions { Tools = tools, ToolMode = toolMode }, streaming: false);
        JsonAssert.Equal(expected, request.Json.GetProperty("tool_choice"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task JsonSchemaResponseFormatIsCarriedAsAnInstruction(bool streaming)
    {
        var options = new ChatOptions
        {
            Instructions = "Be brief.",
            ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}""").RootElement, "city"),
        };

        var body = (await CaptureAsync(Hi, options, streaming)).Json;

        Assert.False(body.TryGetProperty("text", out _));
        Assert.Equal(
            "Be brief.\n\nRespond only with a JSON object ('city') that conforms to this JSON schema: {\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}",
            body.GetProperty("instructions").GetString());
    }

    [Theory]
    [InlineData(true, "enable")]
    [InlineData("enable", "enable")]
    [InlineData(false, "disable")]
    [InlineData("disable", "disable")]
    public async Task SessionCacheIsARequestHeaderNotABodyField(object value, string header)
    {
        var options = new ChatOptions { ConversationId = "resp_prev", AdditionalProperties = new() { [QwenPropertyNames.SessionCache] = value } };
        foreach (var streaming in new[] { false, true })
        {
            var request = await CaptureAsync(Hi, options, streaming);
            Assert.Equal(header, request.Header("x-dashscope-session-cache"));
            Assert.False(request.Json.TryGetProperty("x-dashscope-session-cache", out _));
        }
    }

    public static TheoryData<string, ChatOptions, Type, string> Refusals => new()
    {
        { "max_output_tokens", new ChatOptions { MaxOutputTokens = 8 }, typeof(ArgumentOutOfRangeException), "ChatOptions.MaxOutputTokens must be ≥ 16; got 8." },
        { "temperature", new ChatOptions { Temperature = 2 }, typeof(ArgumentOutOfRangeException), "ChatOptions.Temperature must be in [0, 2); got 2." },
        { "top_p", new ChatOptions { TopP = 0 }, typeof(ArgumentOutOfRangeException), "ChatOptions.TopP must be in (0, 1]; got 0." },
        { "store-false-with-previous", new ChatOptions { ConversationId = "resp_prev", AdditionalProperties = new() { ["store"] = false } }, typeof(ArgumentException), "the service refuses to continue a conversation" },
        { "background", new ChatOptions { AllowBackgroundResponses = true }, typeof(NotSupportedException), "synchronously only" },
        { "file-search-none", new ChatOptions { Tools = [new HostedFileSearchTool()] }, typeof(ArgumentException), "takes exactly one" },
        { "file-search-two", new ChatOptions { Tools = [new HostedFileSearchTool { Inputs = [new HostedVectorStoreContent("a"), new HostedVectorStoreContent("b")] }] }, typeof(ArgumentException), "with 2 knowledge bases" },
        { "mcp-always", new ChatOptions { Tools = [new HostedMcpServerTool("s", "https://example.com/sse") { ApprovalMode = HostedMcpServerToolApprovalMode.AlwaysRequire }] }, typeof(NotSupportedException), "no approval step" },
        { "mcp-specific", new ChatOptions { Tools = [new HostedMcpServerTool("s", "https://example.com/sse") { ApprovalMode = HostedMcpServerToolApprovalMode.RequireSpecific(["a"], null) }] }, typeof(NotSupportedException), "no approval step" },
        { "mcp-allowed-tools", new ChatOptions { Tools = [new HostedMcpServerTool("s", "https://example.com/sse") { AllowedTools = ["a"] }] }, typeof(NotSupportedException), "no tool filter" },
        { "image-generation", new ChatOptions { Tools = [new HostedImageGenerationTool()] }, typeof(NotSupportedException), "HostedImageGenerationTool, which DashScope's Responses API does not offer" },
        { "specific-unknown", new ChatOptions { Tools = [Weather], ToolMode = ChatToolMode.RequireSpecific("nope") }, typeof(ArgumentException), "requires the function 'nope'" },
        { "reasoning-extra", new ChatOptions { AdditionalProperties = new() { ["reasoning"] = "high" } }, typeof(ArgumentException), "Use ChatOptions.Reasoning.Effort." },
        { "session-cache-bad", new ChatOptions { AdditionalProperties = new() { [QwenPropertyNames.SessionCache] = "sometimes" } }, typeof(ArgumentException), "must be true/false or \"enable\"/\"disable\"" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task InvalidOptionsFailBeforeSending(string name, ChatOptions options, Type exceptionType, string message)
    {
        _ = name;
        foreach (var streaming in new[] { false, true })
        {
            var handler = new FakeHttpHandler();
            using var client = Create(handler);
            var ex = await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                if (streaming)
                {
                    await foreach (var update in client.GetStreamingResponseAsync(Hi, options))
                    {
                        _ = update;
                    }
                }
                else
                {
                    await client.GetResponseAsync(Hi, options);
                }
            });

            Assert.IsType(exceptionType, ex);
            Assert.Contains(message, ex.Message, StringComparison.Ordinal);
            Assert.Equal(0, handler.RequestCount);
        }
    }

    [Fact]
    public async Task AudioInputIsRefusedWithTheDocsReason()
    {
        using var client = Create(new FakeHttpHandler());
        var ex = await Assert.ThrowsAsync<NotSupportedException>(() =>
            client.GetResponseAsync([new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1 }, "audio/wav")])]));
        Assert.Contains("does not support audio or video input", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamingRefusesBeforeEnumeration()
    {
        using var client = Create(new FakeHttpHandler());
        Assert.Throws<ArgumentOutOfRangeException>(() => client.GetStreamingResponseAsync(Hi, new ChatOptions { MaxOutputTokens = 1 }));
        await Task.CompletedTask;
    }
}
