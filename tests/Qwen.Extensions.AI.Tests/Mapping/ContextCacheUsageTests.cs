using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.TestUtilities.TestClient;

namespace Qwen.Extensions.AI.Tests.Mapping;

/// <summary>
/// docs/wire-mapping.md, the context-cache usage rows: the explicit-cache fields of <c>usage.prompt_tokens_details</c> captured from
/// qwen3.8-max (dashscope-more.md 3.4, verbatim) → <see cref="UsageDetails"/>, on both paths (the streamed one in the final usage chunk).
/// </summary>
public sealed class ContextCacheUsageTests
{
    public static TheoryData<bool> BothPaths => new() { false, true };

    private static async Task<UsageDetails> UsageOfAsync(string name, bool streaming)
    {
        var canned = streaming ? CannedResponse.SseFixture($"Streams/{name}.sse") : CannedResponse.JsonFixture($"Responses/{name}.json");
        using var client = Create(new FakeHttpHandler(canned), "qwen3.8-max");
        var response = await GetAsync(client, Hello, null, streaming);
        return response.Usage!;
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task ExplicitCacheCreationMapsCreationCountsAndCacheTypeToDocumentedKeys(bool streaming)
    {
        var usage = await UsageOfAsync("explicit-cache-creation", streaming);

        Assert.Equal(3564, usage.InputTokenCount);
        Assert.Equal(23, usage.OutputTokenCount);
        Assert.Equal(3587, usage.TotalTokenCount);
        Assert.Equal(0, usage.CachedInputTokenCount);
        Assert.Equal(
            new Dictionary<string, long>
            {
                [QwenPropertyNames.CacheCreationEphemeral5mInputTokens] = 3550,
                [QwenPropertyNames.CacheCreationInputTokens] = 3550,
                [QwenPropertyNames.CacheTypeEphemeral] = 1,
                ["prompt_tokens_details.text_tokens"] = 3564,
            },
            usage.AdditionalCounts!.ToDictionary(p => p.Key, p => p.Value));
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task ExplicitCacheHitStaysCachedInputTokenCountWithZeroCreation(bool streaming)
    {
        var usage = await UsageOfAsync("explicit-cache-hit", streaming);

        Assert.Equal(3550, usage.CachedInputTokenCount);
        Assert.Equal(0, usage.AdditionalCounts![QwenPropertyNames.CacheCreationInputTokens]);
        Assert.Equal(0, usage.AdditionalCounts[QwenPropertyNames.CacheCreationEphemeral5mInputTokens]);
        Assert.Equal(1, usage.AdditionalCounts[QwenPropertyNames.CacheTypeEphemeral]);
    }

    [Fact]
    public void TheDocumentedKeysAreTheWireNamesUnderPromptTokensDetails()
    {
        Assert.Equal("prompt_tokens_details.cache_creation_input_tokens", QwenPropertyNames.CacheCreationInputTokens);
        Assert.Equal("prompt_tokens_details.cache_creation.ephemeral_5m_input_tokens", QwenPropertyNames.CacheCreationEphemeral5mInputTokens);
        Assert.Equal("prompt_tokens_details.cache_type.ephemeral", QwenPropertyNames.CacheTypeEphemeral);
    }

    [Fact]
    public async Task ImplicitHitCarriesOnlyCachedTokensAndNoCacheKeys()
    {
        // dashscope-more.md 3.4, the implicit hit captured from qwen3.8-max (verbatim usage).
        const string Body = """
            {"choices":[{"message":{"role":"assistant","content":"ok"},"finish_reason":"stop","index":0}],"object":"chat.completion","usage":{"prompt_tokens":3564,"completion_tokens":42,"total_tokens":3606,
             "prompt_tokens_details":{"cached_tokens":3072,"text_tokens":3564}},"created":1756339300,"model":"qwen3.8-max","id":"chatcmpl-implicit"}
            """;
        using var client = Create(new FakeHttpHandler(CannedResponse.Json(Body)), "qwen3.8-max");
        var usage = (await client.GetResponseAsync(Hello)).Usage!;

        Assert.Equal(3072, usage.CachedInputTokenCount);
        Assert.Equal(["prompt_tokens_details.text_tokens"], usage.AdditionalCounts!.Keys);
    }

    [Fact]
    public async Task ReasoningFixtureFromQwen36PlusMapsCacheCreationBesideReasoningTokens()
    {
        // dashscope-more.md 3.4, the qwen3.6-plus fixture with reasoning (usage verbatim).
        const string Body = """
            {"choices":[{"message":{"role":"assistant","content":"ok"},"finish_reason":"stop","index":0}],"object":"chat.completion","created":1,"model":"qwen3.6-plus","id":"c",
            "usage": {"prompt_tokens": 29719, "completion_tokens": 435, "total_tokens": 30154,
              "completion_tokens_details": {"reasoning_tokens": 382, "text_tokens": 435},
              "prompt_tokens_details": {"text_tokens": 29719, "cache_creation": {"ephemeral_5m_input_tokens": 29713},
                "cache_creation_input_tokens": 29713, "cache_type": "ephemeral", "cached_tokens": 0}}}
            """;
        using var client = Create(new FakeHttpHandler(CannedResponse.Json(Body)), "qwen3.6-plus");
        var usage = (await client.GetResponseAsync(Hello)).Usage!;

        Assert.Equal(382, usage.ReasoningTokenCount);
        Assert.Equal(0, usage.CachedInputTokenCount);
        Assert.Equal(29713, usage.AdditionalCounts![QwenPropertyNames.CacheCreationInputTokens]);
        Assert.Equal(29713, usage.AdditionalCounts[QwenPropertyNames.CacheCreationEphemeral5mInputTokens]);
        Assert.Equal(1, usage.AdditionalCounts[QwenPropertyNames.CacheTypeEphemeral]);
    }
}
