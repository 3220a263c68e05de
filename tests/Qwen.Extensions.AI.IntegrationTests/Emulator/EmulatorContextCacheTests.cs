using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Emulator;

namespace Qwen.Extensions.AI.IntegrationTests.Emulator;

/// <summary>
/// The emulator's context cache against dashscope-more.md section 3 (raw HTTP: explicit markers, the 1,024 / 256 token minimums,
/// the 5-minute lifetime on its clock, the four-marker limit, explicit/implicit exclusivity, per-model isolation), then a cache hit
/// through MEAI with the client's automatic policy.
/// </summary>
public sealed class EmulatorContextCacheTests : IAsyncLifetime
{
    /// <summary>1,100 words: with the message's 4 tokens, a 1,104-token system block in the emulator's count.</summary>
    private static readonly string LongPrompt = string.Join(' ', Enumerable.Range(0, 1100).Select(i => "rule" + (char)('a' + (i % 26))));

    private readonly ManualClock _clock = new();
    private QwenEmulator _emulator = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _emulator = await QwenEmulator.StartAsync(new QwenEmulatorOptions { TimeProvider = _clock });
        _http = new HttpClient { Timeout = TestTimeout.Duration };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task AMarkedPrefixIsCreatedThenHitWithAllFourFields()
    {
        var body = Body("qwen-plus", LongPrompt, marked: true, "Hi");

        var first = await UsageAsync(body);
        var second = await UsageAsync(body);

        AssertExplicit(first, cached: 0, created: 1104);
        AssertExplicit(second, cached: 1104, created: 0);
        Assert.Equal(first.GetProperty("prompt_tokens").GetInt32(), second.GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task TheStreamedUsageChunkCarriesTheSameFields()
    {
        var body = Body("qwen-plus", LongPrompt, marked: true, "Hi", stream: true);

        AssertExplicit(await UsageAsync(body), cached: 0, created: 1104);
        AssertExplicit(await UsageAsync(body), cached: 1104, created: 0);
    }

    [Fact]
    public async Task AnEntryLivesFiveMinutesFromItsLastHit()
    {
        var body = Body("qwen-plus", LongPrompt, marked: true, "Hi");
        AssertExplicit(await UsageAsync(body), cached: 0, created: 1104);

        _clock.Advance(TimeSpan.FromMinutes(4.9));
        AssertExplicit(await UsageAsync(body), cached: 1104, created: 0);

        // The hit renewed the lifetime: 9.8 minutes after creation it is still there.
        _clock.Advance(TimeSpan.FromMinutes(4.9));
        AssertExplicit(await UsageAsync(body), cached: 1104, created: 0);

        _clock.Advance(TimeSpan.FromMinutes(5));
        AssertExplicit(await UsageAsync(body), cached: 0, created: 1104);
    }

    [Fact]
    public async Task APrefixUnder1024TokensIsNotCreated()
    {
        var body = Body("qwen-plus", "You are terse.", marked: true, "Hi");

        AssertExplicit(await UsageAsync(body), cached: 0, created: 0);
        AssertExplicit(await UsageAsync(body), cached: 0, created: 0);
    }

    [Fact]
    public async Task ALaterMarkerHitsAnEarlierBlockAndOnlyTheIncrementIsCreated()
    {
        AssertExplicit(await UsageAsync(Body("qwen-plus", LongPrompt, marked: true, "Hi")), cached: 0, created: 1104);

        // The next turn marks only its last user message: the system block is found looking back, the rest is the increment.
        var next = JsonNode.Parse(Body("qwen-plus", LongPrompt, marked: false, "Hi"))!;
        var messages = next["messages"]!.AsArray();
        messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = "Hello." });
        messages.Add(new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "And now?", ["cache_control"] = new JsonObject { ["type"] = "ephemeral" } }) });
        var usage = await UsageAsync(next.ToJsonString());

        var prompt = usage.GetProperty("prompt_tokens").GetInt32();
        AssertExplicit(usage, cached: 1104, created: prompt - 1104);
    }

    [Fact]
    public async Task OnlyTheLastFourMarkersTakeEffect()
    {
        // Five markers: the system prompt's is the first, so it is ignored (no error) and its block is not created.
        var node = JsonNode.Parse(Body("qwen-plus", LongPrompt, marked: true, "One"))!;
        var messages = node["messages"]!.AsArray();
        messages[1]!["content"] = MarkedText("One");
        foreach (var turn in new[] { "Two", "Three", "Four" })
        {
            messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = "ok" });
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = MarkedText(turn) });
        }

        using (var response = await PostAsync(node.ToJsonString()))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Had the system marker counted, its 1,104-token block would now be a hit.
        AssertExplicit(await UsageAsync(Body("qwen-plus", LongPrompt, marked: true, "Other")), cached: 0, created: 1104);
    }

    [Fact]
    public async Task ExplicitAndImplicitAreExclusivePerRequest()
    {
        // The same long prefix, first without markers (an implicit entry), then with one: the explicit request does not read it.
        await UsageAsync(Body("qwen-plus", LongPrompt, marked: false, "Hi"));
        AssertExplicit(await UsageAsync(Body("qwen-plus", LongPrompt, marked: true, "Hi")), cached: 0, created: 1104);
    }

    [Fact]
    public async Task CachesAreIsolatedPerModel()
    {
        AssertExplicit(await UsageAsync(Body("qwen-plus", LongPrompt, marked: true, "Hi")), cached: 0, created: 1104);
        AssertExplicit(await UsageAsync(Body("qwen-flash", LongPrompt, marked: true, "Hi")), cached: 0, created: 1104);
    }

    [Fact]
    public async Task AModelWithoutExplicitCacheIgnoresMarkersAndCachesImplicitly()
    {
        var body = Body("qwen-max", LongPrompt, marked: true, "Hi");
        AssertImplicit(await UsageAsync(body), cached: 0);
        var second = await UsageAsync(body);
        AssertImplicit(second, cached: second.GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task ImplicitHitsNeedAPrefixOfAtLeast256TokensAndExpire()
    {
        var shortBody = Body("qwen-plus", "You are terse.", marked: false, "Hi");
        await UsageAsync(shortBody);
        AssertImplicit(await UsageAsync(shortBody), cached: 0);

        var prompt300 = string.Join(' ', Enumerable.Repeat("word", 300));
        var longBody = Body("qwen-plus", prompt300, marked: false, "Hi");
        AssertImplicit(await UsageAsync(longBody), cached: 0);
        var hit = await UsageAsync(longBody);
        AssertImplicit(hit, cached: hit.GetProperty("prompt_tokens").GetInt32());

        _clock.Advance(TimeSpan.FromMinutes(5));
        AssertImplicit(await UsageAsync(longBody), cached: 0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheAutoPolicyGetsAHitThroughMeai(bool streaming)
    {
        var options = _emulator.CreateClientOptions("qwen-plus");
        options.ContextCache = QwenContextCachePolicy.Auto;
        using var client = new QwenChatClient(options);
        List<ChatMessage> history = [new(ChatRole.System, LongPrompt), new(ChatRole.User, "Hello")];

        var first = await GetAsync(client, history, streaming);
        history.AddMessages(first);
        history.Add(new(ChatRole.User, "And one more thing?"));
        var second = await GetAsync(client, history, streaming);

        Assert.Equal(0, first.Usage!.CachedInputTokenCount);
        Assert.True(first.Usage.AdditionalCounts![QwenPropertyNames.CacheCreationInputTokens] >= 1104);
        Assert.Equal(1, first.Usage.AdditionalCounts[QwenPropertyNames.CacheTypeEphemeral]);
        Assert.True(second.Usage!.CachedInputTokenCount > 0);
        Assert.True(second.Usage.CachedInputTokenCount >= 1104);
        Assert.Equal(1, second.Usage.AdditionalCounts![QwenPropertyNames.CacheTypeEphemeral]);
    }

    private static async Task<ChatResponse> GetAsync(IChatClient client, List<ChatMessage> history, bool streaming) =>
        streaming
            ? await client.GetStreamingResponseAsync(history, null, TestTimeout.Token).ToChatResponseAsync(TestTimeout.Token)
            : await client.GetResponseAsync(history, null, TestTimeout.Token);

    private static JsonArray MarkedText(string text) =>
        new(new JsonObject { ["type"] = "text", ["text"] = text, ["cache_control"] = new JsonObject { ["type"] = "ephemeral" } });

    private static string Body(string model, string system, bool marked, string user, bool stream = false)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = marked ? MarkedText(system) : JsonValue.Create(system) },
                new JsonObject { ["role"] = "user", ["content"] = user }),
        };
        if (stream)
        {
            body["stream"] = true;
            body["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        return body.ToJsonString();
    }

    private static void AssertExplicit(JsonElement usage, int cached, int created)
    {
        var details = usage.GetProperty("prompt_tokens_details");
        Assert.Equal(cached, details.GetProperty("cached_tokens").GetInt32());
        Assert.Equal(created, details.GetProperty("cache_creation_input_tokens").GetInt32());
        Assert.Equal(created, details.GetProperty("cache_creation").GetProperty("ephemeral_5m_input_tokens").GetInt32());
        Assert.Equal("ephemeral", details.GetProperty("cache_type").GetString());
    }

    private static void AssertImplicit(JsonElement usage, int cached)
    {
        var details = usage.GetProperty("prompt_tokens_details");
        Assert.Equal(cached, details.GetProperty("cached_tokens").GetInt32());
        Assert.Equal(["cached_tokens"], details.EnumerateObject().Select(p => p.Name));
    }

    private async Task<JsonElement> UsageAsync(string body)
    {
        using var response = await PostAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            text = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.Trim()).Where(e => e.StartsWith("data: {", StringComparison.Ordinal)).Last()["data: ".Length..];
        }

        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("usage").Clone();
    }

    private async Task<HttpResponseMessage> PostAsync(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _emulator.Endpoint + "/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _emulator.ApiKey);
        return await _http.SendAsync(request, TestTimeout.Token);
    }

    /// <summary>A clock that moves only when told (the emulator reads only <see cref="GetUtcNow"/>).</summary>
    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
