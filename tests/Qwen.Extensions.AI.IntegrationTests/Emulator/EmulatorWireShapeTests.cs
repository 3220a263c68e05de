using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Qwen.Extensions.AI.Emulator;

namespace Qwen.Extensions.AI.IntegrationTests.Emulator;

/// <summary>Every field of the service's own payloads (docs/seeds) is present, with the same JSON kind, in what the emulator sends.</summary>
public sealed class EmulatorWireShapeTests : IAsyncLifetime
{
    // Real payloads from the service's documentation (compatible mode, vision page).
    private const string SeedCompletion = """
        {"choices":[{"message":{"content":"In Figure 1, a woman ...","role":"assistant"},"finish_reason":"stop","index":0,"logprobs":null}],
         "object":"chat.completion","usage":{"prompt_tokens":2509,"completion_tokens":34,"total_tokens":2543},"created":1724729556,
         "system_fingerprint":null,"model":"qwen-vl-plus","id":"chatcmpl-1abb4eb9-f508-9637-a8ba-ac7fc6f73e53"}
        """;

    private const string SeedFirstChunk = """{"choices":[{"delta":{"content":"","role":"assistant"},"index":0,"logprobs":null,"finish_reason":null}],"object":"chat.completion.chunk","usage":null,"created":1724729595,"system_fingerprint":null,"model":"qwen-vl-plus","id":"chatcmpl-4c83f437-303f-907b-9de5-79cac83d6b18"}""";

    private const string SeedContentChunk = """{"choices":[{"finish_reason":null,"delta":{"content":"In the"},"index":0,"logprobs":null}],"object":"chat.completion.chunk","usage":null,"created":1724729595,"system_fingerprint":null,"model":"qwen-vl-plus","id":"chatcmpl-4c83f437-303f-907b-9de5-79cac83d6b18"}""";

    private const string SeedUsageChunk = """{"choices":[],"object":"chat.completion.chunk","usage":{"prompt_tokens":1276,"completion_tokens":79,"total_tokens":1355},"created":1724729595,"system_fingerprint":null,"model":"qwen-vl-plus","id":"chatcmpl-4c83f437-303f-907b-9de5-79cac83d6b18"}""";

    private const string SeedError = """{"error":{"message":"Incorrect API key provided. ","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""";

    private QwenEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await QwenEmulator.StartAsync();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task CompletionHasEverySeedField()
    {
        var (_, body) = await PostAsync(_emulator.ApiKey, """{"model":"qwen-vl-plus","messages":[{"role":"user","content":"hi"}]}""");
        AssertCovers(SeedCompletion, body);
    }

    [Fact]
    public async Task StreamChunksHaveEverySeedField()
    {
        var (contentType, body) = await PostAsync(_emulator.ApiKey, """{"model":"qwen-vl-plus","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Write a haiku"}]}""");
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToList();

        Assert.Equal("text/event-stream; charset=UTF-8", contentType);
        Assert.Equal("[DONE]", events[^1]);
        AssertCovers(SeedFirstChunk, events[0]);
        AssertCovers(SeedContentChunk, events[1]);
        AssertCovers(SeedUsageChunk, events[^2]);
    }

    [Fact]
    public async Task ErrorBodyHasEverySeedField()
    {
        var (_, body) = await PostAsync("sk-wrong", """{"model":"qwen-plus","messages":[{"role":"user","content":"hi"}]}""");
        AssertCovers(SeedError, body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(_emulator.LastRequest!.RequestId, json.RootElement.GetProperty("request_id").GetString());
    }

    private static void AssertCovers(string seed, string actual)
    {
        using var seedJson = JsonDocument.Parse(seed);
        using var actualJson = JsonDocument.Parse(actual);
        var expected = Paths(seedJson.RootElement, "$").ToList();
        var got = Paths(actualJson.RootElement, "$").ToHashSet();
        Assert.All(expected, path => Assert.True(got.Contains(path), $"{path} missing from {actual}"));
    }

    /// <summary>Each property path with its JSON kind (null is its own kind: the service sends explicit nulls).</summary>
    private static IEnumerable<string> Paths(JsonElement element, string path)
    {
        yield return $"{path}:{element.ValueKind}";
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                foreach (var p in Paths(property.Value, path + "." + property.Name))
                {
                    yield return p;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array && element.GetArrayLength() > 0)
        {
            foreach (var p in Paths(element[0], path + "[0]"))
            {
                yield return p;
            }
        }
    }

    private async Task<(string? ContentType, string Body)> PostAsync(string key, string body)
    {
        using var http = new HttpClient { Timeout = TestTimeout.Duration };
        using var request = new HttpRequestMessage(HttpMethod.Post, _emulator.Endpoint + "/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);
        return (response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync());
    }
}
