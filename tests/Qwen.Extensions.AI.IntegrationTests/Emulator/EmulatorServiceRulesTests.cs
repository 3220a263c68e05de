using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Qwen.Extensions.AI.Emulator;

namespace Qwen.Extensions.AI.IntegrationTests.Emulator;

/// <summary>
/// The service's documented rules (seed 003's parameter reference, dashscope-more.md §4-§7), enforced by the emulator with
/// the service's error bodies, checked with raw HTTP over real sockets (no client in between).
/// </summary>
public sealed class EmulatorServiceRulesTests : IAsyncLifetime
{
    private const string Hi = """[{"role":"user","content":"hi"}]""";
    private const string Tool = """[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]""";

    private QwenEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await QwenEmulator.StartAsync();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task N_ReturnsThatManyChoicesEachWithItsIndex(int n)
    {
        var (status, body) = await PostAsync($$"""{"model":"qwen-plus","n":{{n}},"messages":[{"role":"user","content":"What is 6 * 7?"}]}""");

        Assert.Equal(200, status);
        using var json = JsonDocument.Parse(body);
        var choices = json.RootElement.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, n), choices.Select(c => c.GetProperty("index").GetInt32()));
        Assert.All(choices, c => Assert.Equal("6 * 7 = 42.", c.GetProperty("message").GetProperty("content").GetString()));
        Assert.All(choices, c => Assert.Equal("stop", c.GetProperty("finish_reason").GetString()));
    }

    [Fact]
    public async Task N_Streaming_EachChoiceStreamsItsOwnIndexAndFinishes()
    {
        var (status, body) = await PostAsync("""{"model":"qwen-plus","n":3,"stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"What is 6 * 7?"}]}""");

        Assert.Equal(200, status);
        var texts = new Dictionary<int, StringBuilder>();
        var finished = new HashSet<int>();
        foreach (var line in body.Split('\n').Where(l => l.StartsWith("data: {", StringComparison.Ordinal)))
        {
            using var chunk = JsonDocument.Parse(line["data: ".Length..]);
            foreach (var choice in chunk.RootElement.GetProperty("choices").EnumerateArray())
            {
                var index = choice.GetProperty("index").GetInt32();
                var text = texts.TryGetValue(index, out var sb) ? sb : texts[index] = new StringBuilder();
                if (choice.GetProperty("delta").TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                {
                    text.Append(content.GetString());
                }

                if (choice.GetProperty("finish_reason").ValueKind == JsonValueKind.String)
                {
                    finished.Add(index);
                }
            }
        }

        Assert.Equal([0, 1, 2], texts.Keys.Order());
        Assert.All(texts.Values, t => Assert.Equal("6 * 7 = 42.", t.ToString()));
        Assert.Equal([0, 1, 2], finished.Order());
        Assert.EndsWith("data: [DONE]", body.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonObject_WithoutTheWordJson_Gets400WithTheServiceMessage()
    {
        var (status, body) = await PostAsync("""{"model":"qwen-plus","response_format":{"type":"json_object"},"messages":[{"role":"user","content":"Give me a city and its country."}]}""");

        AssertError(status, body, "<400> InternalError.Algo.InvalidParameter: 'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.");
    }

    [Theory]
    [InlineData("""[{"role":"system","content":"Answer in JSON."},{"role":"user","content":"Give me a city."}]""")]
    [InlineData("""[{"role":"user","content":[{"type":"text","text":"Give me a city as Json."}]}]""")]
    public async Task JsonObject_WithTheWordJsonInASystemOrUserMessage_IsAnswered(string messages)
    {
        var (status, body) = await PostAsync($$"""{"model":"qwen-plus","response_format":{"type":"json_object"},"messages":{{messages}}}""");

        Assert.Equal(200, status);
        using var json = JsonDocument.Parse(body);
        using var content = JsonDocument.Parse(json.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!);
        Assert.Equal(JsonValueKind.Object, content.RootElement.ValueKind);
    }

    [Theory]
    [InlineData("\"required\"", "qwen-plus", "\"enable_thinking\":true,")]
    [InlineData("""{"type":"function","function":{"name":"get_weather"}}""", "qwen-plus", "\"enable_thinking\":true,")]
    [InlineData("\"required\"", "qwen3-8b", "")]
    [InlineData("\"required\"", "qwq-plus", "")]
    public async Task ForcedToolChoice_InThinkingMode_IsRejected(string toolChoice, string model, string thinking)
    {
        var (status, body) = await PostAsync($$"""{"model":"{{model}}",{{thinking}}"stream":true,"tools":{{Tool}},"tool_choice":{{toolChoice}},"messages":{{Hi}}}""");

        AssertError(status, body, "The tool_choice parameter does not support being set to required or object in thinking mode");
    }

    [Theory]
    [InlineData("\"auto\"")]
    [InlineData("\"none\"")]
    public async Task AutoAndNoneToolChoice_InThinkingMode_AreAccepted(string toolChoice)
    {
        var (status, _) = await PostAsync($$"""{"model":"qwen-plus","enable_thinking":true,"stream":true,"tools":{{Tool}},"tool_choice":{{toolChoice}},"messages":{{Hi}}}""");

        Assert.Equal(200, status);
    }

    [Theory]
    [InlineData("\"required\"", "", "needs at least one tool")]
    [InlineData("\"sometimes\"", "", "tool_choice should be auto, none, required or a function object")]
    [InlineData("3", "", "tool_choice should be a string or an object")]
    [InlineData("\"auto\"", "\"n\":2,", "n must be 1 when tools are given")]
    public async Task ToolChoiceAndNRules(string toolChoice, string extra, string message)
    {
        var tools = message.StartsWith("needs", StringComparison.Ordinal) ? string.Empty : $"\"tools\":{Tool},";
        var (status, body) = await PostAsync($$"""{"model":"qwen-plus",{{extra}}{{tools}}"tool_choice":{{toolChoice}},"messages":{{Hi}}}""");

        Assert.Equal(400, status);
        Assert.Contains(message, ErrorMessage(body), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"temperature\":2", "Temperature should be in [0.0, 2.0)")]
    [InlineData("\"temperature\":-0.1", "Temperature should be in [0.0, 2.0)")]
    [InlineData("\"top_p\":0", "Range of top_p should be (0.0, 1.0]")]
    [InlineData("\"top_p\":1.01", "Range of top_p should be (0.0, 1.0]")]
    [InlineData("\"top_k\":-1", "top_k must be a non-negative integer")]
    [InlineData("\"top_k\":1.5", "top_k must be a non-negative integer")]
    [InlineData("\"presence_penalty\":2.1", "presence_penalty should be in [-2.0, 2.0]")]
    [InlineData("\"presence_penalty\":-2.1", "presence_penalty should be in [-2.0, 2.0]")]
    [InlineData("\"frequency_penalty\":3", "frequency_penalty should be in [-2.0, 2.0]")]
    [InlineData("\"max_tokens\":0", "max_tokens must be a positive integer")]
    [InlineData("\"seed\":-1", "seed should be in [0, 2147483647]")]
    [InlineData("\"seed\":2147483648", "seed should be in [0, 2147483647]")]
    [InlineData("\"n\":0", "n should be in [1, 4]")]
    [InlineData("\"n\":5", "n should be in [1, 4]")]
    [InlineData("\"top_logprobs\":6", "top_logprobs should be an integer in [0, 5]")]
    [InlineData("\"logprobs\":\"yes\"", "logprobs should be a boolean")]
    [InlineData("\"stream\":1", "stream should be a boolean")]
    [InlineData("\"modalities\":[\"audio\"]", "modalities should be")]
    [InlineData("\"stop\":5", "stop should be a string or a list of strings")]
    [InlineData("\"thinking_budget\":0", "<400> InternalError.Algo.InvalidParameter: The thinking_budget parameter must be a positive integer and not greater than 0")]
    [InlineData("\"reasoning_effort\":\"extreme\"", "'reasoning_effort' must be one of: 'none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'")]
    [InlineData("\"reasoning_effort\":\"low\",\"thinking_budget\":100", "'reasoning_effort' and 'thinking_budget' cannot be set simultaneously")]
    [InlineData("\"n\":2,\"enable_thinking\":true", "n greater than 1 is not supported in thinking mode")]
    public async Task ParameterOutOfRange_Gets400InvalidParameterError(string parameter, string message)
    {
        var (status, body) = await PostAsync($$"""{"model":"qwen-plus",{{parameter}},"messages":{{Hi}}}""");

        Assert.Equal(400, status);
        Assert.Contains(message, ErrorMessage(body), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"temperature\":0,\"top_p\":1,\"top_k\":0,\"presence_penalty\":-2,\"frequency_penalty\":2,\"max_tokens\":1,\"seed\":2147483647,\"n\":4,\"logprobs\":true,\"top_logprobs\":5")]
    [InlineData("\"temperature\":1.99,\"top_p\":0.01,\"top_k\":100,\"presence_penalty\":2,\"seed\":0,\"n\":1,\"thinking_budget\":1,\"reasoning_effort\":null")]
    [InlineData("\"reasoning_effort\":\"xhigh\",\"stop\":[\"x\"]")]
    public async Task ParametersAtTheEdgesOfTheirRanges_AreAccepted(string parameters)
    {
        var (status, body) = await PostAsync($$"""{"model":"qwen-plus",{{parameters}},"messages":{{Hi}}}""");

        Assert.True(status == 200, body);
    }

    [Theory]
    [InlineData("qvq-max", "", "This model only support stream mode, please enable the stream parameter to access the model. ")]
    [InlineData("qwq-plus", "", "This model only support stream mode, please enable the stream parameter to access the model. ")]
    [InlineData("qwen-omni-turbo", "", "This model only support stream mode, please enable the stream parameter to access the model. ")]
    [InlineData("qwen3-omni-flash", "\"modalities\":[\"text\",\"audio\"],\"audio\":{\"voice\":\"Cherry\",\"format\":\"wav\"},", "'audio' output only support with stream=true")]
    [InlineData("qwq-32b", "", "current user api does not support http call")]
    [InlineData("qvq-72b-preview", "", "current user api does not support http call")]
    [InlineData("qwen3-235b-a22b-thinking-2507", "", "current user api does not support http call")]
    [InlineData("qwen3-8b", "", "parameter.enable_thinking must be set to false for non-streaming calls")]
    [InlineData("qwen3-8b", "\"enable_thinking\":true,", "parameter.enable_thinking must be set to false for non-streaming calls")]
    [InlineData("qwen3.5-27b", "", "parameter.enable_thinking only support stream call")]
    public async Task StreamOnlyModels_WithoutStream_GetTheServiceMessage(string model, string extra, string message)
    {
        var (status, body) = await PostAsync($$"""{"model":"{{model}}",{{extra}}"messages":{{Hi}}}""");

        AssertError(status, body, message);
        var (streamStatus, _) = await PostAsync($$"""{"model":"{{model}}",{{extra}}"stream":true,"messages":{{Hi}}}""");
        Assert.Equal(200, streamStatus);
    }

    [Fact]
    public async Task OpenSourceQwen3_WithThinkingOff_AnswersWithoutStream()
    {
        var (status, body) = await PostAsync($$"""{"model":"qwen3-8b","enable_thinking":false,"messages":{{Hi}}}""");

        Assert.True(status == 200, body);
    }

    /// <summary>{1} and {2} stand for two files uploaded first: the emulator refuses ids it does not hold (see EmulatorFilesTests).</summary>
    [Theory]
    [InlineData("qwen-long", """[{"role":"system","content":"You are a helpful assistant."},{"role":"system","content":"fileid://{1}"},{"role":"system","content":"fileid://{2}"},{"role":"user","content":"What do these say?"}]""")]
    [InlineData("qwen-doc-turbo", """[{"role":"system","content":"You are a helpful assistant."},{"role":"system","content":"fileid://{1},fileid://{2}"},{"role":"user","content":"What do these say?"}]""")]
    [InlineData("qwen-plus", """[{"role":"system","content":"You are terse."},{"role":"user","content":"hi"},{"role":"system","content":"Be brief."},{"role":"user","content":"hi again"}]""")]
    public async Task LaterSystemMessages_FileReferencesForQwenLongAndOthersAsDocumented_AreAccepted(string model, string messages)
    {
        using var files = _emulator.CreateFileClient();
        var first = await files.UploadAsync(new MemoryStream("One."u8.ToArray()), fileName: "1.txt");
        var second = await files.UploadAsync(new MemoryStream("Two."u8.ToArray()), fileName: "2.txt");
        messages = messages.Replace("{1}", first.FileId, StringComparison.Ordinal).Replace("{2}", second.FileId, StringComparison.Ordinal);

        var (status, body) = await PostAsync($$"""{"model":"{{model}}","messages":{{messages}}}""");

        Assert.True(status == 200, body);
    }

    [Theory]
    [InlineData("qwen-plus", """[{"role":"system","content":"You are a helpful assistant."},{"role":"system","content":"fileid://file-fe-1"},{"role":"user","content":"hi"}]""", "supported only by qwen-long and qwen-doc-turbo")]
    [InlineData("qwen-long", """[{"role":"system","content":"fileid://file-fe-1"},{"role":"user","content":"hi"}]""", "must follow the leading system message")]
    public async Task MisplacedFileReferences_AreRejected(string model, string messages, string message)
    {
        var (status, body) = await PostAsync($$"""{"model":"{{model}}","messages":{{messages}}}""");

        Assert.Equal(400, status);
        Assert.Contains(message, ErrorMessage(body), StringComparison.Ordinal);
    }

    private static void AssertError(int status, string body, string message)
    {
        Assert.Equal(400, status);
        using var json = JsonDocument.Parse(body);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("invalid_parameter_error", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(message, error.GetProperty("message").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("request_id").GetString()));
    }

    private static string ErrorMessage(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("error").GetProperty("message").GetString()!;
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
