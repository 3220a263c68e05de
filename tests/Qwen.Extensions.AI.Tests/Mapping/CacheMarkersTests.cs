using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.TestUtilities.TestClient;

namespace Qwen.Extensions.AI.Tests.Mapping;

/// <summary>
/// docs/wire-mapping.md, the context-cache request rows: <c>cache_control</c> markers from a content's <c>AdditionalProperties</c>
/// and from <see cref="QwenContextCacheExtensions"/>, the automatic policy (<see cref="QwenContextCachePolicy.Auto"/>) by model, and
/// the four-marker limit; golden bodies on both paths (marker shape verbatim from dashscope-more.md 3.2).
/// </summary>
public sealed class CacheMarkersTests
{
    private const string Marker = """{"type":"ephemeral"}""";

    public static TheoryData<bool> BothPaths => new() { false, true };

    /// <summary>Every accepted way of writing the marker value, on both paths.</summary>
    public static TheoryData<string, bool> MarkerValues()
    {
        var data = new TheoryData<string, bool>();
        foreach (var kind in new[] { "JsonElement", "Dictionary", "JsonObject", "String", "StringJsonElement" })
        {
            data.Add(kind, false);
            data.Add(kind, true);
        }

        return data;
    }

    private static object MarkerValue(string kind) => kind switch
    {
        "JsonElement" => JsonDocument.Parse(Marker).RootElement.Clone(),
        "Dictionary" => new Dictionary<string, object?> { ["type"] = "ephemeral" },
        "JsonObject" => new JsonObject { ["type"] = "ephemeral" },
        "String" => "ephemeral",
        _ => JsonDocument.Parse("\"ephemeral\"").RootElement.Clone(),
    };

    private static async Task<(JsonElement Body, CapturingLoggerProvider Log)> SendAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options, bool streaming, QwenContextCachePolicy policy = QwenContextCachePolicy.None, string model = "qwen-plus")
    {
        var handler = new FakeHttpHandler(streaming ? CannedResponse.MinimalStream() : CannedResponse.MinimalCompletion());
        var log = new CapturingLoggerProvider();
        using var client = new QwenChatClient(new QwenClientOptions { ApiKey = ApiKey, DefaultModelId = model, MaxRetries = 0, ContextCache = policy, LoggerFactory = log }, new HttpClient(handler));
        await GetAsync(client, messages, options, streaming);
        return (handler.SingleRequest.Json, log);
    }

    [Theory]
    [MemberData(nameof(MarkerValues))]
    public async Task AMarkedSystemPromptBecomesTheDocumentedOnePartArray(string kind, bool streaming)
    {
        var system = new TextContent("<Your specified prompt>") { AdditionalProperties = new() { [QwenPropertyNames.CacheControl] = MarkerValue(kind) } };
        var (body, _) = await SendAsync([new(ChatRole.System, [system]), new(ChatRole.User, "Hi")], null, streaming);

        // The system message is dashscope-more.md 3.2's verbatim example; the user turn stays a plain string.
        JsonAssert.Equal(
            ForPath("""
                {"model":"qwen-plus","messages":[
                  {"role":"system","content":[{"type":"text","text":"<Your specified prompt>","cache_control":{"type":"ephemeral"}}]},
                  {"role":"user","content":"Hi"}]}
                """, streaming),
            body);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task TheHelperMarksUserTextImagesAssistantTurnsAndFunctionResults(bool streaming)
    {
        var image = new UriContent(new Uri("https://example.com/dog.png"), "image/png").WithCacheControl();
        List<ChatMessage> messages =
        [
            new ChatMessage(ChatRole.User, "A long document ...").WithCacheControl(),
            new(ChatRole.Assistant, "Noted."),
            new(ChatRole.User, [new TextContent("What is in this picture?"), image]),
            new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "lookup", new Dictionary<string, object?> { ["q"] = "dog" })]).WithCacheControl(),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "a dog").WithCacheControl()]),
        ];
        var (body, _) = await SendAsync(messages, null, streaming);

        JsonAssert.Equal(
            ForPath("""
                {"model":"qwen-plus","messages":[
                  {"role":"user","content":[{"type":"text","text":"A long document ...","cache_control":{"type":"ephemeral"}}]},
                  {"role":"assistant","content":"Noted."},
                  {"role":"user","content":[{"type":"text","text":"What is in this picture?"},{"type":"image_url","image_url":{"url":"https://example.com/dog.png"},"cache_control":{"type":"ephemeral"}}]},
                  {"role":"assistant","content":[{"type":"text","text":"","cache_control":{"type":"ephemeral"}}],"tool_calls":[{"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{\"q\":\"dog\"}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":[{"type":"text","text":"a dog","cache_control":{"type":"ephemeral"}}]}]}
                """, streaming),
            body);
    }

    [Theory]
    [InlineData("persistent")]
    [InlineData("{\"type\":\"persistent\"}")]
    [InlineData("{\"type\":\"ephemeral\",\"ttl\":\"1h\"}")]
    [InlineData("42")]
    public async Task AMarkerThatIsNotEphemeralFailsBeforeSending(string json)
    {
        object value = json.StartsWith('{') || json == "42" ? JsonDocument.Parse(json).RootElement.Clone() : json;
        var text = new TextContent("Hi") { AdditionalProperties = new() { [QwenPropertyNames.CacheControl] = value } };
        var handler = new FakeHttpHandler(CannedResponse.MinimalCompletion());
        using var client = Create(handler);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, [text])]));
        Assert.Contains("ephemeral", ex.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task AMarkerObjectOfAnotherTypeFailsBeforeSending()
    {
        var text = new TextContent("Hi") { AdditionalProperties = new() { [QwenPropertyNames.CacheControl] = new Uri("https://example.com") } };
        using var client = Create(new FakeHttpHandler(CannedResponse.MinimalCompletion()));

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, [text])]));
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task AutoOnAKnownModelMarksSystemLastUserAndTheLastTwoToolCallBoundariesNeverToolMessages(bool streaming)
    {
        var (body, log) = await SendAsync(AgentLoop(), new ChatOptions { Instructions = "You are an agent." }, streaming, QwenContextCachePolicy.Auto, "qwen-plus");

        JsonAssert.Equal(ForPath(AgentLoopGolden("qwen-plus", marked: true), streaming), body);
        foreach (var message in body.GetProperty("messages").EnumerateArray().Where(m => m.GetProperty("role").GetString() == "tool"))
        {
            Assert.Equal(JsonValueKind.String, message.GetProperty("content").ValueKind);
        }

        Assert.Empty(log.Lines);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task AutoOnAnUnknownModelPlacesNoMarker(bool streaming)
    {
        var (body, _) = await SendAsync(AgentLoop(), new ChatOptions { Instructions = "You are an agent." }, streaming, QwenContextCachePolicy.Auto, "my-finetune");

        JsonAssert.Equal(ForPath(AgentLoopGolden("my-finetune", marked: false), streaming), body);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task AutoFollowsTheModelFactsOverrides(bool streaming)
    {
        var handler = new FakeHttpHandler(streaming ? CannedResponse.MinimalStream() : CannedResponse.MinimalCompletion());
        var options = new QwenClientOptions { ApiKey = ApiKey, DefaultModelId = "my-finetune", MaxRetries = 0, ContextCache = QwenContextCachePolicy.Auto };
        options.ModelCapabilities["my-*"] = QwenModelCapabilities.ExplicitCache;
        using var client = new QwenChatClient(options, new HttpClient(handler));
        await GetAsync(client, AgentLoop(), new ChatOptions { Instructions = "You are an agent." }, streaming);

        JsonAssert.Equal(ForPath(AgentLoopGolden("my-finetune", marked: true), streaming), handler.SingleRequest.Json);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task AutoInAPlainChatMarksTheSystemPromptAndTheLastUserTurn(bool streaming)
    {
        List<ChatMessage> chat =
        [
            new(ChatRole.System, "Be brief."),
            new(ChatRole.User, "Hi"),
            new(ChatRole.Assistant, "Hello!"),
            new(ChatRole.User, "How are you?"),
        ];
        var (body, _) = await SendAsync(chat, null, streaming, QwenContextCachePolicy.Auto);

        JsonAssert.Equal(
            ForPath("""
                {"model":"qwen-plus","messages":[
                  {"role":"system","content":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}]},
                  {"role":"user","content":"Hi"},
                  {"role":"assistant","content":"Hello!"},
                  {"role":"user","content":[{"type":"text","text":"How are you?","cache_control":{"type":"ephemeral"}}]}]}
                """, streaming),
            body);
    }

    [Theory]
    [InlineData("none", false)]
    [InlineData("None", false)]
    [InlineData("auto", true)]
    [InlineData("AUTO", true)]
    public async Task TheRequestKeyOverridesTheClientPolicy(string value, bool marked)
    {
        var clientPolicy = marked ? QwenContextCachePolicy.None : QwenContextCachePolicy.Auto;
        var options = new ChatOptions { Instructions = "You are an agent.", AdditionalProperties = new() { [QwenPropertyNames.ContextCache] = value } };
        var (body, _) = await SendAsync(AgentLoop(), options, streaming: false, clientPolicy, "qwen-plus");

        JsonAssert.Equal(AgentLoopGolden("qwen-plus", marked), body);
        Assert.False(body.TryGetProperty(QwenPropertyNames.ContextCache, out _), "contextCache is read by the client, never sent");
    }

    [Fact]
    public async Task TheRequestKeyTakesTheEnum()
    {
        var options = new ChatOptions { Instructions = "You are an agent.", AdditionalProperties = new() { [QwenPropertyNames.ContextCache] = QwenContextCachePolicy.Auto } };
        var (body, _) = await SendAsync(AgentLoop(), options, streaming: false, QwenContextCachePolicy.None, "qwen-plus");

        JsonAssert.Equal(AgentLoopGolden("qwen-plus", marked: true), body);
    }

    [Fact]
    public async Task ABadRequestKeyFailsBeforeSending()
    {
        var handler = new FakeHttpHandler(CannedResponse.MinimalCompletion());
        using var client = Create(handler);
        var options = new ChatOptions { AdditionalProperties = new() { [QwenPropertyNames.ContextCache] = "always" } };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(Hello, options));
        Assert.Contains("contextCache", ex.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task FiveMarkersKeepTheLastFourAndLogOnce(bool streaming)
    {
        List<ChatMessage> messages =
        [
            new ChatMessage(ChatRole.System, "Rules.").WithCacheControl(),
            new ChatMessage(ChatRole.User, "One").WithCacheControl(),
            new(ChatRole.Assistant, "1"),
            new ChatMessage(ChatRole.User, "Two").WithCacheControl(),
            new(ChatRole.Assistant, "2"),
            new ChatMessage(ChatRole.User, "Three").WithCacheControl(),
            new(ChatRole.Assistant, "3"),
            new ChatMessage(ChatRole.User, "Four").WithCacheControl(),
        ];
        var (body, log) = await SendAsync(messages, null, streaming);

        JsonAssert.Equal(
            ForPath("""
                {"model":"qwen-plus","messages":[
                  {"role":"system","content":"Rules."},
                  {"role":"user","content":[{"type":"text","text":"One","cache_control":{"type":"ephemeral"}}]},
                  {"role":"assistant","content":"1"},
                  {"role":"user","content":[{"type":"text","text":"Two","cache_control":{"type":"ephemeral"}}]},
                  {"role":"assistant","content":"2"},
                  {"role":"user","content":[{"type":"text","text":"Three","cache_control":{"type":"ephemeral"}}]},
                  {"role":"assistant","content":"3"},
                  {"role":"user","content":[{"type":"text","text":"Four","cache_control":{"type":"ephemeral"}}]}]}
                """, streaming),
            body);
        var line = Assert.Single(log.Lines, l => l.Contains("context-cache markers", StringComparison.Ordinal));
        Assert.StartsWith("Warning", line, StringComparison.Ordinal);
        Assert.Contains("5", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserMarkersAndAutoMarkersCountTogether()
    {
        // Two user markers early in the history + auto's four (system, last user, two boundaries) = six: the first two in message
        // order (the system prompt's and "Context A") go, as the service itself would ignore them.
        List<ChatMessage> messages = [new ChatMessage(ChatRole.User, "Context A").WithCacheControl(), new(ChatRole.Assistant, "ok"), new ChatMessage(ChatRole.User, "Context B").WithCacheControl(), new(ChatRole.Assistant, "ok"), .. AgentLoop()];
        var (body, log) = await SendAsync(messages, new ChatOptions { Instructions = "You are an agent." }, streaming: false, QwenContextCachePolicy.Auto, "qwen-plus");

        var marked = body.GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("content").ValueKind == JsonValueKind.Array && m.GetProperty("content").EnumerateArray().Any(p => p.TryGetProperty("cache_control", out _)))
            .Select(m => m.GetProperty("role").GetString() + ":" + m.GetProperty("content")[0].GetProperty("text").GetString())
            .ToList();
        Assert.Equal(["user:Context B", "user:What is the weather in Paris and Rome?", "assistant:", "assistant:Now Rome."], marked);
        Assert.Single(log.Lines);
    }

    [Fact]
    public async Task AFileIdSystemMessageCannotCarryAMarker()
    {
        using var client = Create(new FakeHttpHandler(CannedResponse.MinimalCompletion()));

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.System, "fileid://file-fe-1").WithCacheControl(), new(ChatRole.User, "Hi")]));
    }

    [Fact]
    public void WithCacheControlOnAMessageWithoutContentsFails()
    {
        Assert.Throws<ArgumentException>(() => new ChatMessage(ChatRole.User, (IList<AIContent>)[]).WithCacheControl());
    }

    private static List<ChatMessage> AgentLoop() =>
    [
        new(ChatRole.User, "What is the weather in Paris and Rome?"),
        // FunctionInvokingChatClient marks the calls it invoked as informational; answered, they are still a boundary.
        new(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" }) { InformationalOnly = true }]),
        new(ChatRole.Tool, [new FunctionResultContent("call_1", "Sunny")]),
        new(ChatRole.Assistant, [new TextContent("Now Rome."), new FunctionCallContent("call_2", "get_weather", new Dictionary<string, object?> { ["city"] = "Rome" })]),
        new(ChatRole.Tool, [new FunctionResultContent("call_2", "Rainy")]),
    ];

    private static string AgentLoopGolden(string model, bool marked)
    {
        string Content(string text) => marked ? $$"""[{"type":"text","text":"{{text}}","cache_control":{{Marker}}}]""" : $"\"{text}\"";
        return $$$"""
            {"model":"{{{model}}}","messages":[
              {"role":"system","content":{{{Content("You are an agent.")}}}},
              {"role":"user","content":{{{Content("What is the weather in Paris and Rome?")}}}},
              {"role":"assistant","content":{{{Content("")}}},"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"Sunny"},
              {"role":"assistant","content":{{{Content("Now Rome.")}}},"tool_calls":[{"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},
              {"role":"tool","tool_call_id":"call_2","content":"Rainy"}]}
            """;
    }
}
