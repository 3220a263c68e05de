using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.TestUtilities.TestClient;

namespace Qwen.Extensions.AI.Tests.Mapping;

/// <summary>
/// The opt-in recovery of tool calls that Qwen 3.5/3.6 write inside <c>reasoning_content</c> and then stop (issue 13 item 7;
/// QwenLM/Qwen3.6#125, vercel/ai#14754). The leaked shapes are those of the captures: Hermes JSON in <c>&lt;tool_call&gt;</c>, and the
/// Qwen3-Coder/3.5 XML form (sglang#26172's capture; qwen-code#3730's).
/// </summary>
public sealed class LeakedToolCallRecoveryTests
{
    private const string HermesLeak = "The user wants the weather in Hangzhou. I will call the tool.\n<tool_call>\n{\"name\": \"get_current_weather\", \"arguments\": {\"location\": \"Hangzhou\", \"days\": 3}}\n</tool_call>";

    /// <summary>Verbatim reasoning of the sglang#26172 "before" capture (Qwen3.5 via qwen3_coder + qwen3 parsers).</summary>
    private const string XmlLeak = "<tool_call>\n<function=get_current_weather>\n<parameter=location>\nBoston, MA\n</parameter>\n</function>\n</tool_call>";

    public static TheoryData<bool> BothPaths => new() { false, true };

    private static ChatOptions Options(bool? perRequest = null, ChatToolMode? mode = null)
    {
        var options = new ChatOptions
        {
            ModelId = "qwen3.5-plus",
            Tools = [AIFunctionFactory.Create((string location, int days) => $"{location}: sunny for {days} days", "get_current_weather", "Gets the weather.")],
            ToolMode = mode,
        };
        if (perRequest is { } on)
        {
            options.AdditionalProperties = new() { [QwenPropertyNames.RecoverToolCallsFromReasoning] = on };
        }

        return options;
    }

    private static QwenChatClient Client(FakeHttpHandler handler, bool recover = true) =>
        new(new QwenClientOptions { ApiKey = ApiKey, MaxRetries = 0, RecoverToolCallsFromReasoning = recover }, new HttpClient(handler));

    /// <summary>The answer the captures show: reasoning only, <c>finish_reason: "stop"</c>, no <c>tool_calls</c>; streamed in pieces that cut the call.</summary>
    private static CannedResponse Leaked(string reasoning, bool streaming, string content = "", string? toolCallsJson = null)
    {
        if (!streaming)
        {
            var calls = toolCallsJson is null ? string.Empty : $",\"tool_calls\":{toolCallsJson}";
            return CannedResponse.Json(
                $$$"""{"choices":[{"finish_reason":"{{{(toolCallsJson is null ? "stop" : "tool_calls")}}}","index":0,"message":{"role":"assistant","content":{{{JsonSerializer.Serialize(content)}}},"reasoning_content":{{{JsonSerializer.Serialize(reasoning)}}}{{{calls}}}}}],"object":"chat.completion","usage":{"prompt_tokens":330,"completion_tokens":29,"total_tokens":359},"created":1779344467,"model":"qwen3.5-plus","id":"chatcmpl-leak"}""");
        }

        const string Tail = ",\"object\":\"chat.completion.chunk\",\"created\":1779344467,\"model\":\"qwen3.5-plus\",\"id\":\"chatcmpl-leak\"}";
        var sse = new StringBuilder();
        for (var i = 0; i < reasoning.Length; i += 17)
        {
            var piece = reasoning.Substring(i, Math.Min(17, reasoning.Length - i));
            sse.Append("data: {\"choices\":[{\"delta\":{\"reasoning_content\":").Append(JsonSerializer.Serialize(piece)).Append("},\"finish_reason\":null,\"index\":0}]").Append(Tail).Append("\n\n");
        }

        if (toolCallsJson is not null)
        {
            sse.Append("data: {\"choices\":[{\"delta\":{\"tool_calls\":").Append(toolCallsJson).Append("},\"finish_reason\":null,\"index\":0}]").Append(Tail).Append("\n\n");
        }

        if (content.Length > 0)
        {
            sse.Append("data: {\"choices\":[{\"delta\":{\"content\":").Append(JsonSerializer.Serialize(content)).Append("},\"finish_reason\":null,\"index\":0}]").Append(Tail).Append("\n\n");
        }

        sse.Append("data: {\"choices\":[{\"delta\":{\"content\":\"\"},\"finish_reason\":\"").Append(toolCallsJson is null ? "stop" : "tool_calls").Append("\",\"index\":0}]").Append(Tail).Append("\n\n");
        sse.Append("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":330,\"completion_tokens\":29,\"total_tokens\":359}").Append(Tail).Append("\n\n");
        sse.Append("data: [DONE]\n\n");
        return CannedResponse.Sse(sse.ToString());
    }

    // ---- Recovered ----

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task AHermesJsonCallInTheReasoningBecomesAFunctionCallAndTheReasoningStaysAsSent(bool streaming)
    {
        using var client = Client(new FakeHttpHandler(Leaked(HermesLeak, streaming)));

        var response = await GetAsync(client, [new(ChatRole.User, "Weather in Hangzhou for 3 days?")], Options(), streaming);

        var message = Assert.Single(response.Messages);
        var call = Assert.Single(message.Contents.OfType<FunctionCallContent>());
        Assert.Equal("get_current_weather", call.Name);
        Assert.Equal("Hangzhou", call.Arguments?["location"]?.ToString());
        Assert.Equal("3", call.Arguments?["days"]?.ToString());
        Assert.StartsWith("call_", call.CallId, StringComparison.Ordinal);
        Assert.Equal(true, call.AdditionalProperties?["recoveredFromReasoning"]);
        Assert.Equal(HermesLeak, string.Concat(message.Contents.OfType<TextReasoningContent>().Select(r => r.Text)));
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task TheCapturedXmlFormBecomesAFunctionCallWithSchemaTypedValues(bool streaming)
    {
        const string Leak = "<tool_call>\n<function=get_current_weather>\n<parameter=location>\nBoston, MA\n</parameter>\n<parameter=days>\n2\n</parameter>\n</function>\n</tool_call>";
        using var client = Client(new FakeHttpHandler(Leaked(Leak, streaming)));

        var response = await GetAsync(client, [new(ChatRole.User, "Weather in Boston?")], Options(), streaming);

        var call = Assert.Single(response.Messages[0].Contents.OfType<FunctionCallContent>());
        Assert.Equal("get_current_weather", call.Name);
        Assert.Equal("Boston, MA", call.Arguments?["location"]);
        var days = Assert.IsType<JsonElement>(call.Arguments?["days"]);
        Assert.Equal(JsonValueKind.Number, days.ValueKind); // the schema types days as an integer
        Assert.Equal(2, days.GetInt32());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task TheVerbatimSglangCaptureIsRecovered(bool streaming)
    {
        using var client = Client(new FakeHttpHandler(Leaked(XmlLeak, streaming)));

        var response = await GetAsync(client, [new(ChatRole.User, "Weather in Boston?")], Options(), streaming);

        Assert.Equal("Boston, MA", Assert.Single(response.Messages[0].Contents.OfType<FunctionCallContent>()).Arguments?["location"]);
    }

    [Fact]
    public async Task TheBareFunctionFormWithoutAToolCallWrapperIsRecovered()
    {
        using var client = Client(new FakeHttpHandler(Leaked("Let me check.\n<function=get_current_weather>\n<parameter=location>\nParis\n</parameter>\n</function>\n</tool_call>", streaming: false)));

        var response = await client.GetResponseAsync([new(ChatRole.User, "Weather in Paris?")], Options());

        Assert.Equal("Paris", Assert.Single(response.Messages[0].Contents.OfType<FunctionCallContent>()).Arguments?["location"]);
    }

    [Fact]
    public async Task ArgumentsGivenAsAJsonStringAreRead()
    {
        using var client = Client(new FakeHttpHandler(Leaked("<tool_call>{\"name\":\"get_current_weather\",\"arguments\":\"{\\\"location\\\":\\\"Rome\\\"}\"}</tool_call>", streaming: false)));

        var response = await client.GetResponseAsync([new(ChatRole.User, "Weather in Rome?")], Options());

        Assert.Equal("Rome", Assert.Single(response.Messages[0].Contents.OfType<FunctionCallContent>()).Arguments?["location"]?.ToString());
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task TheStreamEmitsTheRecoveredCallInTheFinishUpdateBeforeUsage(bool perRequestOnly)
    {
        // Also: the per-request key turns it on for a client that has it off.
        using var client = Client(new FakeHttpHandler(Leaked(HermesLeak, streaming: true)), recover: !perRequestOnly);

        var updates = await StreamAsync(client, [new(ChatRole.User, "Weather?")], Options(perRequest: perRequestOnly ? true : null));

        var finish = Assert.Single(updates, u => u.FinishReason is not null);
        Assert.Equal(ChatFinishReason.ToolCalls, finish.FinishReason);
        Assert.Single(finish.Contents.OfType<FunctionCallContent>());
        Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.True(updates.IndexOf(finish) < updates.FindIndex(u => u.Contents.OfType<UsageContent>().Any()));
    }

    // ---- Left untouched ----

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task OffByDefault(bool streaming)
    {
        var handler = new FakeHttpHandler(Leaked(HermesLeak, streaming));
        using var client = new QwenChatClient(new QwenClientOptions { ApiKey = ApiKey, MaxRetries = 0 }, new HttpClient(handler));

        var response = await GetAsync(client, [new(ChatRole.User, "Weather?")], Options(), streaming);

        AssertUntouched(response, HermesLeak);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task ThePerRequestKeyTurnsItOff(bool streaming)
    {
        using var client = Client(new FakeHttpHandler(Leaked(HermesLeak, streaming)));

        var response = await GetAsync(client, [new(ChatRole.User, "Weather?")], Options(perRequest: false), streaming);

        AssertUntouched(response, HermesLeak);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task NoToolsOfferedMeansNoRecovery(bool streaming)
    {
        var handler = new FakeHttpHandler(Leaked(HermesLeak, streaming));
        using var client = Client(handler);

        var response = await GetAsync(client, [new(ChatRole.User, "Weather?")], new ChatOptions { ModelId = "qwen3.5-plus" }, streaming);

        AssertUntouched(response, HermesLeak);
        Assert.False(handler.SingleRequest.Json.TryGetProperty("recoverToolCallsFromReasoning", out _));
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task ToolModeNoneMeansNoRecovery(bool streaming)
    {
        using var client = Client(new FakeHttpHandler(Leaked(HermesLeak, streaming)));

        var response = await GetAsync(client, [new(ChatRole.User, "Weather?")], Options(mode: ChatToolMode.None), streaming);

        AssertUntouched(response, HermesLeak);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task ARealToolCallWinsAndNothingIsAdded(bool streaming)
    {
        const string Real = """[{"index":0,"id":"call_real","type":"function","function":{"name":"get_current_weather","arguments":"{\"location\":\"Xi'an\",\"days\":1}"}}]""";
        using var client = Client(new FakeHttpHandler(Leaked(HermesLeak, streaming, toolCallsJson: Real)));

        var response = await GetAsync(client, [new(ChatRole.User, "Weather?")], Options(), streaming);

        var call = Assert.Single(response.Messages[0].Contents.OfType<FunctionCallContent>());
        Assert.Equal("call_real", call.CallId);
        Assert.Null(call.AdditionalProperties);
    }

    public static TheoryData<string> NotComplete => new()
    {
        // An unknown tool name.
        "<tool_call>\n{\"name\": \"get_stock_price\", \"arguments\": {\"symbol\": \"BABA\"}}\n</tool_call>",
        "<tool_call>\n<function=send_email>\n<parameter=to>\na@b.c\n</parameter>\n</function>\n</tool_call>",

        // Partial JSON, an unclosed wrapper, an unclosed function or parameter, stray text between parameters.
        "<tool_call>\n{\"name\": \"get_current_weather\", \"arguments\": {\"location\": \"Hang\n</tool_call>",
        "I will call <tool_call>\n{\"name\": \"get_current_weather\", \"arguments\": {\"location\": \"Hangzhou\"}}",
        "<tool_call>\n<function=get_current_weather>\n<parameter=location>\nBoston\n</parameter>\n</tool_call>",
        "<tool_call>\n<function=get_current_weather>\n<parameter=location>\nBoston\n</function>\n</tool_call>",
        "<tool_call>\n<function=get_current_weather>\n<parameter=location>\nBoston\n</parameter>\nand then\n</function>\n</tool_call>",

        // One good call next to a broken one: all or nothing.
        HermesLeak + "\n<tool_call>\n{\"name\": \"get_current_weather\", \"arguments\": {\"location\"\n</tool_call>",

        // Not an object; no name; a name that is not a string.
        "<tool_call>[\"get_current_weather\"]</tool_call>",
        "<tool_call>{\"arguments\": {\"location\": \"Hangzhou\"}}</tool_call>",
        "<tool_call>{\"name\": 7, \"arguments\": {}}</tool_call>",
        "<tool_call>{\"name\": \"get_current_weather\"}</tool_call>",

        // Plain reasoning that only mentions the tool.
        "I could use get_current_weather here, but the user only said hello.",
    };

    [Theory]
    [MemberData(nameof(NotComplete))]
    public async Task ACallThatIsNotCompleteOrNamesNoOfferedToolLeavesTheAnswerUntouched(string reasoning)
    {
        foreach (var streaming in new[] { false, true })
        {
            using var client = Client(new FakeHttpHandler(Leaked(reasoning, streaming, content: "Hello!")));

            var response = await GetAsync(client, [new(ChatRole.User, "Hi")], Options(), streaming);

            AssertUntouched(response, reasoning);
            Assert.Equal("Hello!", response.Text);
        }
    }

    // ---- The loop ----

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task FunctionInvokingChatClientRunsTheRecoveredCallAndSendsItsResultBack(bool streaming)
    {
        var handler = new FakeHttpHandler(
            Leaked(HermesLeak, streaming),
            streaming ? CannedResponse.MinimalStream("Sunny in Hangzhou.") : CannedResponse.MinimalCompletion("Sunny in Hangzhou."));
        var ran = new List<string>();
        var options = new ChatOptions
        {
            ModelId = "qwen3.5-plus",
            Tools = [AIFunctionFactory.Create((string location, int days) => { ran.Add($"{location}/{days}"); return "sunny"; }, "get_current_weather", "Gets the weather.")],
        };
        using var pipeline = new ChatClientBuilder(Client(handler)).UseFunctionInvocation().Build();

        var response = await GetAsync(pipeline, [new(ChatRole.User, "Weather in Hangzhou for 3 days?")], options, streaming);

        Assert.Equal(["Hangzhou/3"], ran);
        Assert.Equal(2, handler.Requests.Count);
        Assert.EndsWith("Sunny in Hangzhou.", response.Text, StringComparison.Ordinal);
        var messages = handler.Requests[1].Json.GetProperty("messages");
        var assistant = messages[1];
        Assert.Equal("assistant", assistant.GetProperty("role").GetString());
        var sentCall = assistant.GetProperty("tool_calls")[0];
        Assert.Equal("get_current_weather", sentCall.GetProperty("function").GetProperty("name").GetString());
        JsonAssert.Equal("""{"location":"Hangzhou","days":3}""", JsonDocument.Parse(sentCall.GetProperty("function").GetProperty("arguments").GetString()!).RootElement);
        Assert.Equal(HermesLeak, assistant.GetProperty("reasoning_content").GetString()); // the current tool loop echoes it
        Assert.Equal("tool", messages[2].GetProperty("role").GetString());
        Assert.Equal(sentCall.GetProperty("id").GetString(), messages[2].GetProperty("tool_call_id").GetString());
        Assert.Equal("sunny", messages[2].GetProperty("content").GetString());
    }

    private static void AssertUntouched(ChatResponse response, string reasoning)
    {
        var message = Assert.Single(response.Messages);
        Assert.Empty(message.Contents.OfType<FunctionCallContent>());
        Assert.Equal(reasoning, string.Concat(message.Contents.OfType<TextReasoningContent>().Select(r => r.Text)));
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }
}
