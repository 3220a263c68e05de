using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Emulator;

namespace Qwen.Extensions.AI.IntegrationTests.Emulator;

/// <summary>The emulator's default behaviour as a QwenChatClient user sees it, and what it received.</summary>
public sealed class EmulatorBehaviourTests : IAsyncLifetime
{
    private QwenEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await QwenEmulator.StartAsync();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task ThinkingStreamsReasoningBeforeTheAnswerAndCountsReasoningTokens()
    {
        using var client = _emulator.CreateChatClient();
        var options = new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High } };
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("What is 2 + 3?", options, TestTimeout.Token))
        {
            updates.Add(update);
        }

        var contents = updates.SelectMany(u => u.Contents).Where(c => c is TextReasoningContent or TextContent).ToList();
        var firstText = contents.FindIndex(c => c is TextContent { Text.Length: > 0 });
        Assert.True(firstText > 0);
        Assert.All(contents.Take(firstText), c => Assert.IsType<TextReasoningContent>(c));
        var response = updates.ToChatResponse();
        Assert.Equal("2 + 3 = 5.", response.Text);
        Assert.True(response.Usage!.ReasoningTokenCount > 0);
        Assert.True(_emulator.LastRequest!.GetProperty("enable_thinking")!.Value.GetBoolean());
    }

    [Fact]
    public async Task ThinkingOffByDefaultOnQwenPlus()
    {
        using var client = _emulator.CreateChatClient();
        var response = await client.GetResponseAsync("What is 2 + 3?", cancellationToken: TestTimeout.Token);

        Assert.DoesNotContain(response.Messages.SelectMany(m => m.Contents), c => c is TextReasoningContent);
        Assert.Null(_emulator.LastRequest!.GetProperty("enable_thinking"));
    }

    [Fact]
    public async Task ThinkingBudgetTruncatesTheReasoning()
    {
        using var client = _emulator.CreateChatClient();
        var options = new ChatOptions { AdditionalProperties = new() { ["enable_thinking"] = true, ["thinking_budget"] = 3 } };
        var response = await client.GetStreamingResponseAsync("What is 2 + 3?", options, TestTimeout.Token).ToChatResponseAsync(TestTimeout.Token);

        var reasoning = string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(r => r.Text));
        Assert.Equal("The user asks", reasoning);
        Assert.Equal(3, _emulator.LastRequest!.GetProperty("thinking_budget")!.Value.GetInt32());
    }

    [Fact]
    public async Task OpenSourceQwen3NonStreamingWithThinkingIsServedThroughTheClientsStreamingFallback()
    {
        using var client = _emulator.CreateChatClient("qwen3-8b");
        var response = await client.GetResponseAsync("What is 2 + 3?", cancellationToken: TestTimeout.Token);

        Assert.Equal("2 + 3 = 5.", response.Text);
        Assert.Equal([400, 200], _emulator.Requests.Select(r => r.StatusCode));
        Assert.True(_emulator.Requests[1].IsStreaming);
    }

    [Fact]
    public async Task OpenSourceQwen3NonStreamingWithThinkingOffIsAnswered()
    {
        using var client = _emulator.CreateChatClient("qwen3-8b");
        var response = await client.GetResponseAsync("What is 2 + 3?", new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.None } }, TestTimeout.Token);

        Assert.Equal("2 + 3 = 5.", response.Text);
        var request = Assert.Single(_emulator.Requests);
        Assert.False(request.GetProperty("enable_thinking")!.Value.GetBoolean());
        Assert.Equal(200, request.StatusCode);
    }

    [Fact]
    public async Task MaxOutputTokensTruncatesWithFinishReasonLength()
    {
        using var client = _emulator.CreateChatClient();
        var response = await client.GetResponseAsync("Who are you?", new ChatOptions { MaxOutputTokens = 4 }, TestTimeout.Token);

        Assert.Equal("I am Qwen,", response.Text);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(4, _emulator.LastRequest!.GetProperty("max_tokens")!.Value.GetInt32());
    }

    [Fact]
    public async Task StopSequencesCutTheAnswer()
    {
        using var client = _emulator.CreateChatClient();
        var response = await client.GetResponseAsync("Who are you?", new ChatOptions { StopSequences = ["model"] }, TestTimeout.Token);

        Assert.Equal("I am Qwen, a large language ", response.Text);
        Assert.Equal(["model"], _emulator.LastRequest!.GetProperty("stop")!.Value.EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task SecondTurnReportsTheSharedPrefixAsCachedInputTokens()
    {
        using var client = _emulator.CreateChatClient();
        // Implicit hits need a prefix of at least 256 tokens (dashscope-more.md 3.1): a 300-word system prompt.
        List<ChatMessage> history = [new(ChatRole.System, "You are a helpful assistant. " + string.Join(' ', Enumerable.Repeat("rule", 300))), new(ChatRole.User, "Hello")];
        var first = await client.GetResponseAsync(history, cancellationToken: TestTimeout.Token);
        history.AddMessages(first);
        history.Add(new(ChatRole.User, "What is 1 + 1?"));
        var second = await client.GetResponseAsync(history, cancellationToken: TestTimeout.Token);

        Assert.Equal(0, first.Usage!.CachedInputTokenCount);
        Assert.True(second.Usage!.CachedInputTokenCount > 0);
        Assert.True(second.Usage.CachedInputTokenCount < second.Usage.InputTokenCount);
    }

    [Fact]
    public async Task ToolModeNoneAnswersWithoutCallingTheTool()
    {
        var invoked = false;
        var tool = AIFunctionFactory.Create((string city) => invoked = true, "get_weather", "Gets the weather in a city.");
        using var client = _emulator.CreateChatClient().AsBuilder().UseFunctionInvocation().Build();
        var response = await client.GetResponseAsync("What is the weather in Paris?", new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.None }, TestTimeout.Token);

        Assert.False(invoked);
        Assert.Equal("none", _emulator.LastRequest!.GetProperty("tool_choice")!.Value.GetString());
        Assert.Single(_emulator.Requests);
        Assert.Contains("What is the weather in Paris?", response.Text);
    }

    [Fact]
    public async Task StreamedToolCallsUseDashScopeFragmentsAndAreInvoked()
    {
        var cities = new List<string>();
        var tool = AIFunctionFactory.Create((string city) =>
        {
            lock (cities)
            {
                cities.Add(city);
            }

            return $"Sunny in {city}";
        }, "get_weather", "Gets the weather in a city.");
        using var client = _emulator.CreateChatClient().AsBuilder().UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [tool], AllowMultipleToolCalls = true };
        var response = await client.GetStreamingResponseAsync("What is the weather in Paris and Tokyo?", options, TestTimeout.Token).ToChatResponseAsync(TestTimeout.Token);

        Assert.Equal(["Paris", "Tokyo"], cities.Order());
        Assert.Equal("Here is what I found. get_weather returned Sunny in Paris. get_weather returned Sunny in Tokyo.", response.Text);
        Assert.All(_emulator.Requests, r => Assert.True(r.IsStreaming));

        // The raw stream of the first turn: first fragment has id and name, continuations carry "id":"".
        _emulator.ClearRequests();
        var raw = await PostRawAsync("""{"model":"qwen-plus","stream":true,"messages":[{"role":"user","content":"What is the weather in Paris?"}],"tools":[{"type":"function","function":{"name":"get_weather","description":"Gets the weather in a city.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]}""");
        var fragments = raw.Split("\n\n").Where(e => e.Contains("tool_calls", StringComparison.Ordinal)).Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("tool_calls")[0]).ToList();
        Assert.StartsWith("call_", fragments[0].GetProperty("id").GetString());
        Assert.Equal("get_weather", fragments[0].GetProperty("function").GetProperty("name").GetString());
        Assert.All(fragments.Skip(1), f => Assert.Equal(string.Empty, f.GetProperty("id").GetString()));
        Assert.Equal("""{"city":"Paris"}""", string.Concat(fragments.Select(f => f.GetProperty("function").TryGetProperty("arguments", out var a) ? a.GetString() : string.Empty)));
    }

    [Fact]
    public async Task JsonObjectResponseFormatAnswersWithAJsonObject()
    {
        using var client = _emulator.CreateChatClient();
        var response = await client.GetResponseAsync("What is 3 + 3? Reply in JSON.", new ChatOptions { ResponseFormat = ChatResponseFormat.Json }, TestTimeout.Token);

        using var json = JsonDocument.Parse(response.Text);
        Assert.Equal("3 + 3 = 6.", json.RootElement.GetProperty("answer").GetString());
        Assert.Equal("json_object", _emulator.LastRequest!.GetProperty("response_format")!.Value.GetProperty("type").GetString());
    }

    [Fact]
    public async Task SequentialCallsReuseOneConnectionForJsonAndStreams()
    {
        using var client = _emulator.CreateChatClient();
        for (var i = 0; i < 3; i++)
        {
            await client.GetResponseAsync("What is 1 + 1?", cancellationToken: TestTimeout.Token);
            await client.GetStreamingResponseAsync("Write a haiku", cancellationToken: TestTimeout.Token).ToChatResponseAsync(TestTimeout.Token);
        }

        Assert.Equal(6, _emulator.Requests.Count);
        Assert.Equal(1, _emulator.TotalConnections);
        Assert.Equal(1, _emulator.OpenConnections);
    }

    [Fact]
    public async Task ResponderAnswersWhenTheScriptIsEmpty()
    {
        _emulator.Responder = request => request.LastUserText == "ping" ? EmulatorReply.Text("pong") : null;
        using var client = _emulator.CreateChatClient();

        Assert.Equal("pong", (await client.GetResponseAsync("ping", cancellationToken: TestTimeout.Token)).Text);
        Assert.Equal("1 + 1 = 2.", (await client.GetResponseAsync("What is 1 + 1?", cancellationToken: TestTimeout.Token)).Text);
    }

    [Fact]
    public async Task ScriptedToolCallIsSentWithTheGivenIdAndArguments()
    {
        _emulator.Enqueue(EmulatorReply.ToolCall("lookup", """{"q":"x"}""", id: "call_fixed"));
        using var client = _emulator.CreateChatClient();
        var response = await client.GetResponseAsync("anything", cancellationToken: TestTimeout.Token);

        var call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages[0].Contents, c => c is FunctionCallContent));
        Assert.Equal("call_fixed", call.CallId);
        Assert.Equal("lookup", call.Name);
        Assert.Equal("x", call.Arguments!["q"]?.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Theory]
    [InlineData("""{"model":"qwen-plus","messages":[{"role":"assistant","content":"","tool_calls":[]},{"role":"user","content":"hi"}]}""", "Empty tool_calls")]
    [InlineData("""{"model":"qwen-plus","messages":[{"role":"robot","content":"hi"}]}""", "Invalid role")]
    [InlineData("""{"model":"qwen-plus","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"bad name"}}]}""", "Invalid tool name")]
    [InlineData("""{"model":"qwen-plus","messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"function","function":{"name":"missing"}}}""", "not in tools")]
    [InlineData("""{"model":"qwen-plus","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,@@@"}}]}]}""", "base64")]
    [InlineData("""{"model":"qwen-plus","messages":[],"stream":true}""", "messages must not be empty")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "Model not specified")]
    [InlineData("""{"model":"qwen-plus","presence_penalty":3,"messages":[{"role":"user","content":"hi"}]}""", "presence_penalty")]
    [InlineData("""{"model":"qwen-plus","seed":-1,"messages":[{"role":"user","content":"hi"}]}""", "seed")]
    [InlineData("""{"model":"qwen-plus","enable_thinking":true,"stream":true,"tool_choice":"required","tools":[{"type":"function","function":{"name":"f"}}],"messages":[{"role":"user","content":"hi"}]}""", "thinking mode")]
    public async Task InvalidRequestsGet400InvalidParameterError(string body, string messagePart)
    {
        using var http = new HttpClient { Timeout = TestTimeout.Duration };
        using var request = new HttpRequestMessage(HttpMethod.Post, _emulator.Endpoint + "/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _emulator.ApiKey);
        using var response = await http.SendAsync(request);

        Assert.Equal(400, (int)response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_parameter_error", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains(messagePart, json.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task OversizedDataUriIsRejectedLikeTheService()
    {
        var dataUri = "data:image/png;base64," + Convert.ToBase64String(new byte[8 * 1024 * 1024]);
        var raw = await PostRawAsync("{\"model\":\"qwen-vl-plus\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + dataUri + "\"}}]}]}");

        using var json = JsonDocument.Parse(raw);
        Assert.Equal("invalid_parameter_error", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("Exceeded limit on max bytes per data-uri item : 10485760", json.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(400, _emulator.LastRequest!.StatusCode);
    }

    [Fact]
    public async Task UnknownModelIs404ModelNotFoundThroughTheClient()
    {
        using var client = _emulator.CreateChatClient("qwen-does-not-exist");
        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.GetResponseAsync("hi", cancellationToken: TestTimeout.Token));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal("model_not_found", ex.ErrorCode);
        Assert.Equal(_emulator.LastRequest!.RequestId, ex.RequestId);
    }

    private async Task<string> PostRawAsync(string body)
    {
        using var http = new HttpClient { Timeout = TestTimeout.Duration };
        using var request = new HttpRequestMessage(HttpMethod.Post, _emulator.Endpoint + "/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _emulator.ApiKey);
        using var response = await http.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }
}
