using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Emulator;

namespace Qwen.Extensions.AI.IntegrationTests.Emulator;

/// <summary>
/// The emulator's reasoning and structured-output rules by model (dashscope-more.md 4 and 6), over raw HTTP: tiers, the refused
/// combinations with the service's verbatim messages, <c>preserve_thinking</c>, and the client against them.
/// </summary>
public sealed class EmulatorReasoningRulesTests : IAsyncLifetime
{
    private const string Hi = """[{"role":"user","content":"What is 6 * 7?"}]""";
    private const string Tool = """[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]""";
    private const string Schema = """{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object","properties":{"answer":{"type":"string"}}}}}""";

    private QwenEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await QwenEmulator.StartAsync();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    // ---- reasoning_effort (4.2, 4.3) ----

    [Theory]
    [InlineData("qwen3.8-max")]
    [InlineData("qwen-plus")]
    public async Task ReasoningEffortWithThinkingBudgetIsRefusedVerbatim(string model)
    {
        var (status, body) = await PostAsync($$"""{"model":"{{model}}","reasoning_effort":"high","thinking_budget":1000,"messages":{{Hi}}}""");

        AssertError(status, body, "'reasoning_effort' and 'thinking_budget' cannot be set simultaneously");
    }

    [Fact]
    public async Task ReasoningEffortWithThinkingBudgetOnAStreamIsTheCapturedErrorEvent()
    {
        var (status, body) = await PostAsync($$"""{"model":"qwen3.8-max","stream":true,"reasoning_effort":"high","thinking_budget":1000,"messages":{{Hi}}}""");

        // dashscope-more.md 4.3: data: {"error":{"code","param","message","type"},"id":"chatcmpl-..."} and nothing else.
        Assert.Equal(200, status);
        var line = Assert.Single(body.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("data: {\"error\":{\"code\":\"invalid_parameter_error\",\"param\":null,\"message\":\"'reasoning_effort' and 'thinking_budget' cannot be set simultaneously\",\"type\":\"invalid_request_error\"},\"id\":\"chatcmpl-", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"extreme\"")]
    [InlineData("\"HIGH\"")]
    [InlineData("3")]
    public async Task AnInvalidReasoningEffortGetsTheVerbatimEnumMessage(string effort)
    {
        var (status, body) = await PostAsync($$"""{"model":"qwen3.8-flash","reasoning_effort":{{effort}},"messages":{{Hi}}}""");

        AssertError(status, body, "'reasoning_effort' must be one of: 'none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'");
    }

    [Fact]
    public async Task ReasoningEffortNoneTurnsThinkingOffOnATieredModel()
    {
        var (status, body) = await PostAsync($$"""{"model":"qwen3.8-flash","reasoning_effort":"none","messages":{{Hi}}}""");

        Assert.Equal(200, status);
        using var json = JsonDocument.Parse(body);
        Assert.False(json.RootElement.GetProperty("choices")[0].GetProperty("message").TryGetProperty("reasoning_content", out _));
    }

    [Fact]
    public async Task ATieredModelThinksByDefaultAndHigherTiersReasonLonger()
    {
        var none = await ReasoningTokensAsync("qwen3.8-max", "");
        var low = await ReasoningTokensAsync("qwen3.8-max", "\"reasoning_effort\":\"low\",");
        var high = await ReasoningTokensAsync("qwen3.8-max", "\"reasoning_effort\":\"high\",");
        var max = await ReasoningTokensAsync("qwen3.8-max", "\"reasoning_effort\":\"max\",");

        Assert.True(none > 0, "qwen3.8-max thinks by default (dashscope-more.md 4.1)");
        Assert.True(low < none && none < high && high < max, $"low {low} < default {none} < high {high} < max {max}");
    }

    [Fact]
    public async Task AModelThatIgnoresTiersReasonsTheSameAtEveryTier()
    {
        var low = await ReasoningTokensAsync("qwen3.7-flash", "\"reasoning_effort\":\"low\",");
        var high = await ReasoningTokensAsync("qwen3.7-flash", "\"reasoning_effort\":\"high\",");

        Assert.True(low > 0);
        Assert.Equal(low, high);
    }

    [Theory]
    [InlineData("\"enable_thinking\":false,")]
    [InlineData("\"thinking\":{\"type\":\"disabled\"},")]
    public async Task TheNewGenerationTurnsThinkingOffTheDocumentedWays(string off)
    {
        Assert.Equal(0, await ReasoningTokensAsync("qwen3.8-max", off));
    }

    // ---- forced tool choice in thinking mode (4.3, seed 003) ----

    [Theory]
    [InlineData("\"required\"", "")]
    [InlineData("""{"type":"function","function":{"name":"get_weather"}}""", "")]
    [InlineData("\"required\"", "\"reasoning_effort\":\"high\",")]
    public async Task ForcedToolChoiceOnQwen38FlashThinkingIsRefused(string toolChoice, string extra)
    {
        var (status, body) = await PostAsync($$"""{"model":"qwen3.8-flash",{{extra}}"tools":{{Tool}},"tool_choice":{{toolChoice}},"messages":{{Hi}}}""");

        AssertError(status, body, "The tool_choice parameter does not support being set to required or object in thinking mode");
    }

    [Theory]
    [InlineData("qwen3.8-flash", "\"enable_thinking\":false,")]
    [InlineData("qwen3.8-flash", "\"reasoning_effort\":\"none\",")]
    [InlineData("qwen3.8-max", "")]
    [InlineData("qwen3.7-plus", "")]
    public async Task ForcedToolChoiceIsAcceptedWithoutThinkingOrOnTheOtherNewModels(string model, string extra)
    {
        var (status, _) = await PostAsync($$"""{"model":"{{model}}",{{extra}}"tools":{{Tool}},"tool_choice":"required","messages":{{Hi}}}""");

        Assert.Equal(200, status);
    }

    // ---- JSON mode while thinking (6.2) and the json keyword (6.3) ----

    [Theory]
    [InlineData("qwen3.5-plus", "", Schema)]
    [InlineData("qwen3.5-plus", "", """{"type":"json_object"}""")]
    [InlineData("qwen-plus", "\"enable_thinking\":true,", """{"type":"json_object"}""")]
    [InlineData("qwen3.6-plus", "", Schema)]
    public async Task JsonModeWhileThinkingIsRefusedByOlderModels(string model, string thinking, string format)
    {
        var (status, body) = await PostAsync($$"""{"model":"{{model}}",{{thinking}}"response_format":{{format}},"messages":[{"role":"user","content":"Answer in JSON: what is 6 * 7?"}]}""");

        AssertError(status, body, "Json mode response is not supported when enable_thinking is true");
    }

    [Theory]
    [InlineData("qwen3.5-plus", "\"enable_thinking\":false,")]
    [InlineData("qwen3.8-max", "")]
    [InlineData("qwen3.7-flash", "\"enable_thinking\":true,")]
    public async Task JsonModeIsAnsweredWithoutThinkingOrByTheNewGeneration(string model, string thinking)
    {
        var (status, body) = await PostAsync($$"""{"model":"{{model}}",{{thinking}}"response_format":{{Schema}},"messages":{{Hi}}}""");

        Assert.Equal(200, status);
        using var json = JsonDocument.Parse(body);
        using var content = JsonDocument.Parse(json.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!);
        Assert.Equal(JsonValueKind.Object, content.RootElement.ValueKind);
    }

    [Fact]
    public async Task JsonObjectWithoutTheWordJsonGetsTheVerbatimMessage()
    {
        var (status, body) = await PostAsync($$"""{"model":"qwen-plus","response_format":{"type":"json_object"},"messages":{{Hi}}}""");

        AssertError(status, body, "<400> InternalError.Algo.InvalidParameter: 'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.");
    }

    // ---- preserve_thinking (4.4) ----

    private const string TwoTurns = """[{"role":"user","content":"What is 1+1?"},{"role":"assistant","content":"2","reasoning_content":"One plus one makes two, a small sum."},{"role":"user","content":"And 2+2?"}]""";

    [Fact]
    public async Task PreserveThinkingReadsEarlierReasoningBack()
    {
        var (_, off) = await PostAsync($$"""{"model":"qwen3.7-plus","preserve_thinking":false,"messages":{{TwoTurns}}}""");
        var (_, on) = await PostAsync($$"""{"model":"qwen3.7-plus","preserve_thinking":true,"messages":{{TwoTurns}}}""");

        using var offJson = JsonDocument.Parse(off);
        using var onJson = JsonDocument.Parse(on);
        Assert.Equal(PromptTokens(offJson) + 10, PromptTokens(onJson)); // the 10 tokens of the earlier reasoning
        Assert.StartsWith("Earlier I reasoned: \"One plus one makes two", Reasoning(onJson), StringComparison.Ordinal);
        Assert.DoesNotContain("Earlier", Reasoning(offJson), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreserveThinkingIsOnByDefaultForQwen38MaxOnly()
    {
        var (_, max) = await PostAsync($$"""{"model":"qwen3.8-max","messages":{{TwoTurns}}}""");
        var (_, flash) = await PostAsync($$"""{"model":"qwen3.8-flash","messages":{{TwoTurns}}}""");

        using var maxJson = JsonDocument.Parse(max);
        using var flashJson = JsonDocument.Parse(flash);
        Assert.StartsWith("Earlier I reasoned", Reasoning(maxJson), StringComparison.Ordinal);
        Assert.DoesNotContain("Earlier", Reasoning(flashJson), StringComparison.Ordinal);
    }

    // ---- the client against these rules ----

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheClientsTiersAreHonouredAndItsStructuredOutputIsAcceptedOnEveryKindOfModel(bool streaming)
    {
        foreach (var model in (string[])["qwen3.8-max", "qwen3.5-plus", "qwen3.6-plus", "qwen-max"])
        {
            using var client = _emulator.CreateChatClient(model);
            var options = new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonDocument.Parse("""{"type":"object","properties":{"answer":{"type":"string"}}}""").RootElement, "answer") };
            var response = streaming
                ? await client.GetStreamingResponseAsync("What is 6 * 7?", options).ToChatResponseAsync()
                : await client.GetResponseAsync("What is 6 * 7?", options);

            using var content = JsonDocument.Parse(response.Text);
            Assert.Equal(JsonValueKind.Object, content.RootElement.ValueKind);
        }

        Assert.All(_emulator.Requests, r => Assert.Equal(200, r.StatusCode));
    }

    [Fact]
    public async Task TheClientsReasoningEffortNoneGetsNoReasoningOnATieredModel()
    {
        using var client = _emulator.CreateChatClient("qwen3.8-flash");

        var response = await client.GetResponseAsync("What is 6 * 7?", new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.None } });

        Assert.DoesNotContain(response.Messages[0].Contents, c => c is TextReasoningContent);
        Assert.Equal("none", Assert.Single(_emulator.Requests).Json!.Value.GetProperty("reasoning_effort").GetString());
    }

    private static int PromptTokens(JsonDocument json) => json.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();

    private static string Reasoning(JsonDocument json) => json.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("reasoning_content").GetString()!;

    private async Task<int> ReasoningTokensAsync(string model, string extra)
    {
        var (status, body) = await PostAsync($$"""{"model":"{{model}}",{{extra}}"messages":{{Hi}}}""");
        Assert.Equal(200, status);
        using var json = JsonDocument.Parse(body);
        var usage = json.RootElement.GetProperty("usage");
        return usage.TryGetProperty("completion_tokens_details", out var details) && details.TryGetProperty("reasoning_tokens", out var r) ? r.GetInt32() : 0;
    }

    private static void AssertError(int status, string body, string message)
    {
        Assert.Equal(400, status);
        using var json = JsonDocument.Parse(body);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("invalid_parameter_error", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(message, error.GetProperty("message").GetString());
    }

    private async Task<(int Status, string Body)> PostAsync(string body)
    {
        using var http = new HttpClient { Timeout = TestTimeout.Duration };
        using var request = new HttpRequestMessage(HttpMethod.Post, _emulator.Endpoint + "/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _emulator.ApiKey);
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
