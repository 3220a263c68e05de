using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Emulator;

namespace Qwen.Extensions.AI.IntegrationTests.Emulator;

/// <summary>
/// Audio in on the emulator (dashscope-more.md 5.2/5.3; the qwen3-asr chat page): <c>input_audio</c> for Qwen-Omni and
/// qwen3-asr only, a deterministic transcript with the <c>audio_info</c> annotation, and audio tokens in usage. Raw HTTP where
/// the emulator itself is tested; one round trip through <see cref="QwenChatClient"/> at the end.
/// </summary>
public sealed class EmulatorAudioTests : IAsyncLifetime
{
    private const string WelcomeMp3 = "https://dashscope.oss-cn-beijing.aliyuncs.com/audios/welcome.mp3";

    private QwenEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await QwenEmulator.StartAsync();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task Qwen3Asr_TheDocsRequest_GetsATranscriptWithTheAudioInfoAnnotationAndAudioTokens()
    {
        // The qwen3-asr chat page's request, verbatim but for the Python wrapping (extra_body → top level).
        var (status, body) = await PostAsync(
            $$$"""{"model":"qwen3-asr-flash","messages":[{"content":[{"type":"input_audio","input_audio":{"data":"{{{WelcomeMp3}}}"}}],"role":"user"}],"stream":false,"asr_options":{"enable_itn":false}}""");

        Assert.Equal(200, status);
        using var json = JsonDocument.Parse(body);
        var message = json.RootElement.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("Transcript of welcome.mp3.", message.GetProperty("content").GetString());
        var annotation = Assert.Single(message.GetProperty("annotations").EnumerateArray().ToList());
        Assert.Equal("""{"emotion":"neutral","language":"en","type":"audio_info"}""", annotation.GetRawText());
        var usage = json.RootElement.GetProperty("usage");
        Assert.Equal(25, usage.GetProperty("prompt_tokens_details").GetProperty("audio_tokens").GetInt32());
        Assert.Equal(
            usage.GetProperty("prompt_tokens").GetInt32(),
            usage.GetProperty("prompt_tokens_details").GetProperty("audio_tokens").GetInt32() + usage.GetProperty("prompt_tokens_details").GetProperty("text_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("completion_tokens_details").GetProperty("text_tokens").GetInt32());
    }

    [Fact]
    public async Task Qwen3Asr_AsrOptionsLanguage_IsTheAnnotationsLanguage_AndBase64AudioIsDescribed()
    {
        var data = "data:;base64," + Convert.ToBase64String(new byte[3000]);
        var (status, body) = await PostAsync(
            $$$"""{"model":"qwen3-asr-flash-2026-02-10","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"{{{data}}}","format":"wav"}}]}],"asr_options":{"language":"zh"}}""");

        Assert.Equal(200, status);
        using var json = JsonDocument.Parse(body);
        var message = json.RootElement.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("Transcript of 3000 bytes of unnamed audio.", message.GetProperty("content").GetString());
        Assert.Equal("zh", message.GetProperty("annotations")[0].GetProperty("language").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("usage").GetProperty("prompt_tokens_details").GetProperty("audio_tokens").GetInt32());
    }

    [Fact]
    public async Task Qwen3Asr_Streaming_CarriesTheAnnotationOnTheFinishChunk()
    {
        var (status, body) = await PostAsync(
            $$$"""{"model":"qwen3-asr-flash","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"{{{WelcomeMp3}}}"}}]}]}""");

        Assert.Equal(200, status);
        var text = new StringBuilder();
        JsonElement? annotations = null;
        JsonElement? usage = null;
        foreach (var line in body.Split('\n').Where(l => l.StartsWith("data: {", StringComparison.Ordinal)))
        {
            using var chunk = JsonDocument.Parse(line["data: ".Length..]);
            foreach (var choice in chunk.RootElement.GetProperty("choices").EnumerateArray())
            {
                var delta = choice.GetProperty("delta");
                text.Append(delta.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null);
                if (delta.TryGetProperty("annotations", out var a))
                {
                    Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
                    annotations = a.Clone();
                }
            }

            if (chunk.RootElement.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object)
            {
                usage = u.Clone();
            }
        }

        Assert.Equal("Transcript of welcome.mp3.", text.ToString());
        Assert.Equal("audio_info", annotations?[0].GetProperty("type").GetString());
        Assert.Equal(25, usage?.GetProperty("prompt_tokens_details").GetProperty("audio_tokens").GetInt32());
    }

    [Theory]
    [InlineData("qwen3-omni-flash")]
    [InlineData("qwen3.5-omni-plus")]
    public async Task Omni_TakesInputAudio_AndReportsAudioTokens(string model)
    {
        var (status, body) = await PostAsync(
            $$$"""{"model":"{{{model}}}","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"data:audio/wav;base64,{{{Convert.ToBase64String(new byte[5000])}}}","format":"wav"}},{"type":"text","text":"What is said?"}]}]}""");

        Assert.Equal(200, status);
        var usageLine = body.Split('\n').Last(l => l.StartsWith("data: {\"choices\":[]", StringComparison.Ordinal));
        using var usage = JsonDocument.Parse(usageLine["data: ".Length..]);
        var details = usage.RootElement.GetProperty("usage").GetProperty("prompt_tokens_details");
        Assert.Equal(5, details.GetProperty("audio_tokens").GetInt32());
        Assert.True(details.GetProperty("text_tokens").GetInt32() > 0);
        var text = string.Concat(body.Split('\n').Where(l => l.StartsWith("data: {\"choices\":[{", StringComparison.Ordinal)).Select(l =>
        {
            using var chunk = JsonDocument.Parse(l["data: ".Length..]);
            return chunk.RootElement.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        }));
        Assert.StartsWith("The audio you sent (5000 bytes of audio/wav audio) arrived intact.", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("qwen-plus")]
    [InlineData("qwen-vl-max")]
    [InlineData("qwen3-asr-flash-filetrans")]
    public async Task OtherModels_RefuseInputAudio(string model)
    {
        var (status, body) = await PostAsync(
            $$$"""{"model":"{{{model}}}","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"{{{WelcomeMp3}}}"}}]}]}""");

        Assert.Equal(400, status);
        using var json = JsonDocument.Parse(body);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("invalid_parameter_error", error.GetProperty("code").GetString());
        Assert.Equal($"<400> InternalError.Algo.InvalidParameter: The model {model} does not support audio input (input_audio): audio is taken by Qwen-Omni (qwen-omni-*, qwen3-omni-*, qwen3.5-omni-*) and qwen3-asr-flash", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("""{"type":"input_audio","input_audio":{}}""", "input_audio.data is required")]
    [InlineData("""{"type":"input_audio","input_audio":{"data":"data:audio/wav;base64,@@@"}}""", "The audio data URI is not a valid base64 data URI")]
    [InlineData("""{"type":"input_audio","input_audio":{"data":"not a url"}}""", "The audio url is invalid: not a url")]
    [InlineData("""{"type":"input_audio","input_audio":{"data":"https://x/a.wav","format":3}}""", "input_audio.format should be a string")]
    public async Task AMalformedInputAudioPart_Gets400(string part, string message)
    {
        var (status, body) = await PostAsync($$$"""{"model":"qwen3-asr-flash","messages":[{"role":"user","content":[{{{part}}}]}]}""");

        Assert.Equal(400, status);
        Assert.EndsWith(message, ErrorMessage(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AsrOptionsThatIsNotAnObject_Gets400()
    {
        var (status, body) = await PostAsync($$$"""{"model":"qwen3-asr-flash","asr_options":"zh","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"{{{WelcomeMp3}}}"}}]}]}""");

        Assert.Equal(400, status);
        Assert.EndsWith("asr_options should be an object", ErrorMessage(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAudioDataUriOverTenMegabytes_GetsTheCapturedDataUriMessage()
    {
        var data = "data:audio/mpeg;base64," + new string('A', 10_485_760);
        var (status, body) = await PostAsync($$$"""{"model":"qwen3-asr-flash","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"{{{data}}}"}}]}]}""");

        Assert.Equal(400, status);
        Assert.Equal("Exceeded limit on max bytes per data-uri item : 10485760", ErrorMessage(body));
    }

    [Fact]
    public async Task TheClientTranscribesThroughTheEmulatorOnBothPaths()
    {
        using var client = _emulator.CreateChatClient("qwen3-asr-flash");
        ChatMessage[] audio = [new(ChatRole.User, [new UriContent(WelcomeMp3, "audio/mpeg")])];
        var options = new ChatOptions { AdditionalProperties = new() { [QwenPropertyNames.AsrOptions] = new Dictionary<string, object?> { ["language"] = "en" } } };

        var response = await client.GetResponseAsync(audio, options);
        var streamed = await client.GetStreamingResponseAsync(audio, options).ToChatResponseAsync();

        foreach (var answer in new[] { response, streamed })
        {
            Assert.Equal("Transcript of welcome.mp3.", answer.Text);
            var annotations = Assert.IsType<JsonElement>(answer.Messages[0].AdditionalProperties?[QwenPropertyNames.Annotations]);
            Assert.Equal("en", annotations[0].GetProperty("language").GetString());
#pragma warning disable MEAI001
            Assert.Equal(25, answer.Usage?.InputAudioTokenCount);
#pragma warning restore MEAI001
        }

        Assert.Equal("mp3", JsonDocument.Parse(_emulator.Requests[0].Body).RootElement.GetProperty("messages")[0].GetProperty("content")[0].GetProperty("input_audio").GetProperty("format").GetString());
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
