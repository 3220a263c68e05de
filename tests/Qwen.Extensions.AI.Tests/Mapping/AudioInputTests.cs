using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.TestUtilities.TestClient;

namespace Qwen.Extensions.AI.Tests.Mapping;

/// <summary>
/// Audio in beyond the basic Omni mapping (issue 13 item 6): audio URLs, qwen3-asr (size limit, <c>asr_options</c>, the US region,
/// <c>annotations</c>), the refusal for other models, and Omni's audio/text token counts (dashscope-more.md 5.2, 5.3).
/// </summary>
public sealed class AudioInputTests
{
    private const string CherryWav = "https://help-static-aliyun-doc.aliyuncs.com/file-manage-files/zh-CN/20250211/tixcef/cherry.wav";
    private const string WelcomeMp3 = "https://dashscope.oss-cn-beijing.aliyuncs.com/audios/welcome.mp3";

    public static TheoryData<bool> BothPaths => new() { false, true };

    // ---- Audio URLs ----

    // Omni models only stream, so GetResponseAsync streams too (StreamOnlyFallbackTests): one path covers both.
    [Fact]
    public Task AnAudioUrlWithoutAConcreteTypeTakesItsFormatFromTheExtensionOrGoesWithout() =>
        AssertRequestAsync(
            $$$"""
            {"model":"qwen3-omni-flash","messages":[{"role":"user","content":[
              {"type":"input_audio","input_audio":{"data":"{{{CherryWav}}}","format":"wav"}},
              {"type":"input_audio","input_audio":{"data":"{{{WelcomeMp3}}}?x=1","format":"mp3"}},
              {"type":"input_audio","input_audio":{"data":"https://example.com/audio/stream"}},
              {"type":"text","text":"Compare them."}]}]}
            """,
            [
                new(ChatRole.User,
                [
                    new UriContent(CherryWav, "audio/*"),
                    new UriContent(WelcomeMp3 + "?x=1", "audio/*"),
                    new UriContent("https://example.com/audio/stream", "audio/*"),
                    new TextContent("Compare them."),
                ]),
            ],
            new ChatOptions { ModelId = "qwen3-omni-flash" },
            streaming: true);

    [Fact]
    public async Task ALocalAudioFileUriIsRefusedBeforeSending()
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            client.GetResponseAsync([new(ChatRole.User, [new UriContent("file://recordings-server/share/a.wav", "audio/wav")])], new ChatOptions { ModelId = "qwen3-omni-flash" }));

        Assert.Contains("local file", ex.Message);
        Assert.Empty(handler.Requests);
    }

    // ---- qwen3-asr ----

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task Qwen3AsrTakesAnInputAudioUrlAndAsrOptionsAsTheDocsShow(bool streaming) =>
        AssertRequestAsync(
            $$$"""
            {"model":"qwen3-asr-flash","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"{{{WelcomeMp3}}}","format":"mp3"}}]}],
             "asr_options":{"enable_itn":false}}
            """,
            [new(ChatRole.User, [new UriContent(WelcomeMp3, "audio/mpeg")])],
            new ChatOptions { ModelId = "qwen3-asr-flash", AdditionalProperties = new() { [QwenPropertyNames.AsrOptions] = new Dictionary<string, object?> { ["enable_itn"] = false } } },
            streaming);

    [Fact]
    public async Task Qwen3AsrTakesBase64AudioAsADataUrl()
    {
        var body = await CaptureRequestAsync([new(ChatRole.User, [new DataContent(new byte[] { 1, 2, 3 }, "audio/wav")])], new ChatOptions { ModelId = "qwen3-asr-flash-2026-02-10" }, streaming: false);

        JsonAssert.Equal(
            """[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"data:audio/wav;base64,AQID","format":"wav"}}]}]""",
            body.GetProperty("messages"));
    }

    [Fact]
    public async Task Qwen3AsrAudioOverTenMegabytesIsRefusedBeforeSending()
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);
        var audio = new DataContent(new byte[(10 * 1024 * 1024 / 4 * 3) + 3], "audio/mpeg"); // just over 10 MB as base64

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync([new(ChatRole.User, [audio])], new ChatOptions { ModelId = "qwen3-asr-flash" }));

        Assert.Contains("10 MB", ex.Message);
        Assert.Contains("5 minutes", ex.Message);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("zh")]
    [InlineData(42)]
    public async Task AsrOptionsThatIsNotAnObjectIsRefused(object value)
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(
            [new(ChatRole.User, [new UriContent(WelcomeMp3, "audio/mpeg")])],
            new ChatOptions { ModelId = "qwen3-asr-flash", AdditionalProperties = new() { ["asr_options"] = value } }));

        Assert.Contains("asr_options", ex.Message);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("qwen3-asr-flash-us", false)]
    [InlineData("qwen3-asr-flash-2025-09-08-us", false)]
    [InlineData("qwen3-asr-flash", true)]
    public async Task Qwen3AsrInTheUsRegionIsRefusedBeforeSending(string model, bool virginiaEndpoint)
    {
        var handler = new FakeHttpHandler();
        using var client = new QwenChatClient(
            new QwenClientOptions { ApiKey = ApiKey, MaxRetries = 0, Endpoint = virginiaEndpoint ? QwenEndpoints.Virginia : QwenEndpoints.Singapore },
            new HttpClient(handler));

        var ex = await Assert.ThrowsAsync<NotSupportedException>(() =>
            client.GetResponseAsync([new(ChatRole.User, [new UriContent(WelcomeMp3, "audio/mpeg")])], new ChatOptions { ModelId = model }));
        Assert.Throws<NotSupportedException>(() =>
            client.GetStreamingResponseAsync([new(ChatRole.User, [new UriContent(WelcomeMp3, "audio/mpeg")])], new ChatOptions { ModelId = model }));

        Assert.Contains("US", ex.Message);
        Assert.Contains("compatible", ex.Message);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task OmniOnTheVirginiaEndpointIsNotRefusedByTheAsrRule()
    {
        var handler = new FakeHttpHandler(CannedResponse.MinimalStream());
        using var client = new QwenChatClient(new QwenClientOptions { ApiKey = ApiKey, MaxRetries = 0, Endpoint = QwenEndpoints.Virginia }, new HttpClient(handler));

        await StreamAsync(client, [new(ChatRole.User, [new UriContent(CherryWav, "audio/wav")])], new ChatOptions { ModelId = "qwen3-omni-flash" });

        Assert.Single(handler.Requests);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task TheAsrAnnotationsArriveOnTheMessageAndTheResponse(bool streaming)
    {
        var canned = streaming
            ? CannedResponse.Sse(
                """
                data: {"id":"chatcmpl-asr","choices":[{"delta":{"content":"Welcome to ","role":"assistant"},"finish_reason":null,"index":0}],"created":1767683986,"model":"qwen3-asr-flash","object":"chat.completion.chunk","usage":null}

                data: {"id":"chatcmpl-asr","choices":[{"delta":{"annotations":[{"emotion":"neutral","language":"zh","type":"audio_info"}],"content":"Qwen Cloud."},"finish_reason":"stop","index":0}],"created":1767683986,"model":"qwen3-asr-flash","object":"chat.completion.chunk","usage":null}

                data: [DONE]


                """)
            : CannedResponse.JsonFixture("Responses/asr-qwen3-asr-flash.json");
        using var client = Create(new FakeHttpHandler(canned));

        var response = await GetAsync(client, [new(ChatRole.User, [new UriContent(WelcomeMp3, "audio/mpeg")])], new ChatOptions { ModelId = "qwen3-asr-flash" }, streaming);

        Assert.Equal("Welcome to Qwen Cloud.", response.Text);
        var onMessage = Assert.IsType<JsonElement>(Assert.Single(response.Messages).AdditionalProperties?[QwenPropertyNames.Annotations]);
        var info = Assert.Single(onMessage.EnumerateArray().ToList());
        Assert.Equal("audio_info", info.GetProperty("type").GetString());
        Assert.Equal("neutral", info.GetProperty("emotion").GetString());
        Assert.Equal("zh", info.GetProperty("language").GetString());
        if (!streaming)
        {
            // A streaming caller aggregates with MEAI's ToChatResponseAsync, which keeps update properties on the message.
            Assert.Equal(onMessage.GetRawText(), Assert.IsType<JsonElement>(response.AdditionalProperties?[QwenPropertyNames.Annotations]).GetRawText());
        }
    }

    [Fact]
    public async Task AStreamOnlyAggregatedAnswerCarriesTheAnnotationsOnTheResponseToo()
    {
        var stream = CannedResponse.Sse(
            """
            data: {"id":"chatcmpl-asr","choices":[{"delta":{"annotations":[{"emotion":"happy","language":"en","type":"audio_info"}],"content":"Hi."},"finish_reason":"stop","index":0}],"created":1,"model":"qwen3-asr-flash","object":"chat.completion.chunk"}

            data: [DONE]


            """);
        var handler = new FakeHttpHandler(
            CannedResponse.Error(HttpStatusCode.BadRequest, "invalid_parameter_error", "invalid_request_error", "This model only support stream mode, please enable the stream parameter to access the model. "),
            stream);
        using var client = Create(handler);

        var response = await client.GetResponseAsync([new(ChatRole.User, [new UriContent(WelcomeMp3, "audio/mpeg")])], new ChatOptions { ModelId = "qwen3-asr-flash" });

        Assert.Equal("happy", Assert.IsType<JsonElement>(response.AdditionalProperties?[QwenPropertyNames.Annotations])[0].GetProperty("emotion").GetString());
    }

    [Fact]
    public async Task EmptyAnnotationsAreNotSurfaced()
    {
        using var client = Create(new FakeHttpHandler(CannedResponse.Json(
            """{"id":"c","choices":[{"finish_reason":"stop","index":0,"message":{"annotations":[],"content":"Hi","role":"assistant"}}],"created":1,"model":"qwen-plus","object":"chat.completion"}""")));

        var response = await client.GetResponseAsync(Hello);

        Assert.Null(response.Messages[0].AdditionalProperties);
        Assert.False(response.AdditionalProperties?.ContainsKey(QwenPropertyNames.Annotations) ?? false);
    }

    [Fact]
    public async Task TheReadmeAsrExampleWorksAsWritten()
    {
        var handler = new FakeHttpHandler(CannedResponse.JsonFixture("Responses/asr-qwen3-asr-flash.json"));
        using var client = Create(handler);

        // As in README.md "Audio in".
        var transcript = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.User, [new UriContent("https://dashscope.oss-cn-beijing.aliyuncs.com/audios/welcome.mp3", "audio/mpeg")])],
            new ChatOptions { ModelId = "qwen3-asr-flash", AdditionalProperties = new() { [QwenPropertyNames.AsrOptions] = new Dictionary<string, object?> { ["enable_itn"] = false } } });
        var info = (JsonElement)transcript.AdditionalProperties![QwenPropertyNames.Annotations]!;

        Assert.Equal("""[{"emotion":"neutral","language":"zh","type":"audio_info"}]""", info.GetRawText());
        Assert.Equal("Welcome to Qwen Cloud.", transcript.Text);
        JsonAssert.Equal(
            $$$"""{"model":"qwen3-asr-flash","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"{{{WelcomeMp3}}}","format":"mp3"}}]}],"asr_options":{"enable_itn":false}}""",
            handler.SingleRequest.Json);
    }

    // ---- Refusal for other models ----

    [Fact]
    public async Task TheRefusalNamesTheAudioModelsAndHowToDeclareOne()
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);

        var ex = await Assert.ThrowsAsync<NotSupportedException>(() =>
            client.GetResponseAsync([new(ChatRole.User, [new UriContent(CherryWav, "audio/wav")])], new ChatOptions { ModelId = "qwen-plus" }));

        Assert.Contains("qwen3-omni", ex.Message);
        Assert.Contains("qwen3-asr", ex.Message);
        Assert.Contains("QwenClientOptions.ModelCapabilities", ex.Message);
        Assert.Contains("QwenModelCapabilities.AudioInput", ex.Message);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task AModelDeclaredToTakeAudioGetsInputAudioParts()
    {
        var handler = new FakeHttpHandler(CannedResponse.MinimalCompletion());
        var options = new QwenClientOptions { ApiKey = ApiKey, MaxRetries = 0 };
        options.ModelCapabilities["my-audio-model"] = QwenModelCapabilities.AudioInput;
        using var client = new QwenChatClient(options, new HttpClient(handler));

        await client.GetResponseAsync([new(ChatRole.User, [new DataContent(new byte[] { 1, 2, 3 }, "audio/wav")])], new ChatOptions { ModelId = "my-audio-model" });

        Assert.Equal("input_audio", handler.SingleRequest.Json.GetProperty("messages")[0].GetProperty("content")[0].GetProperty("type").GetString());
    }

    // ---- Omni usage (dashscope-more.md 5.3, verbatim) ----

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task TheOmniQuickStartUsageMapsAudioAndTextTokensToTheirMembers(bool streaming)
    {
        // Omni only streams: GetResponseAsync streams from the first call and aggregates.
        var handler = new FakeHttpHandler(CannedResponse.SseFixture("Streams/omni-quick-start.sse"));
        using var client = Create(handler);

        var response = await GetAsync(client, [new(ChatRole.User, "你是谁？")], new ChatOptions { ModelId = "qwen3.5-omni-plus" }, streaming);

#pragma warning disable MEAI001 // the modality members are evaluation APIs in MEAI 10.11
        var usage = response.Usage!;
        Assert.Equal(207, usage.InputTokenCount);
        Assert.Equal(103, usage.OutputTokenCount);
        Assert.Equal(310, usage.TotalTokenCount);
        Assert.Equal(207, usage.InputTextTokenCount);
        Assert.Null(usage.InputAudioTokenCount);
        Assert.Equal(83, usage.OutputAudioTokenCount);
        Assert.Equal(20, usage.OutputTextTokenCount);
#pragma warning restore MEAI001
        Assert.Equal(
            new Dictionary<string, long>
            {
                ["completion_tokens_details.audio_tokens"] = 83,
                ["completion_tokens_details.text_tokens"] = 20,
                ["prompt_tokens_details.text_tokens"] = 207,
            },
            usage.AdditionalCounts!.ToDictionary(p => p.Key, p => p.Value));
        Assert.Equal("I am", response.Text);
    }

    [Fact]
    public async Task AsrInputAudioTokensMapToInputAudioTokenCount()
    {
        using var client = Create(new FakeHttpHandler(CannedResponse.JsonFixture("Responses/asr-qwen3-asr-flash.json")));

        var response = await client.GetResponseAsync([new(ChatRole.User, [new UriContent(WelcomeMp3, "audio/mpeg")])], new ChatOptions { ModelId = "qwen3-asr-flash" });

#pragma warning disable MEAI001
        Assert.Equal(42, response.Usage?.InputAudioTokenCount);
        Assert.Equal(0, response.Usage?.InputTextTokenCount);
        Assert.Equal(6, response.Usage?.OutputTextTokenCount);
        Assert.Null(response.Usage?.OutputAudioTokenCount);
#pragma warning restore MEAI001
    }
}
