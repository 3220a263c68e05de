using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.TestUtilities.TestClient;

namespace Qwen.Extensions.AI.Tests.Mapping;

/// <summary>Qwen-Omni audio (dashscope-more.md section 5): audio in (5.2), streamed audio out (5.3, 5.4) and audio answers as history (5.5).</summary>
public sealed class OmniAudioTests
{
    private const string Pcm = "audio/L16;rate=24000;channels=1";

    public static TheoryData<bool> BothPaths => new() { false, true };

    /// <summary>Ten PCM bytes 0..9 ("AAECAwQFBgcICQ==") cut where no piece is decodable alone, with and without the final padding.</summary>
    public static TheoryData<string[]> UnalignedPieces => new()
    {
        new[] { "AAECA", "wQFBgc", "ICQ==" },
        new[] { "AAECA", "wQFBgcICQ" },
        new[] { "A", "A", "ECAwQFBgcICQ==" },
        new[] { "AAEC", "AwQF", "BgcI", "CQ==" },
    };

    private static readonly byte[] TenBytes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

    // ---- Audio in (issue 10 item 19) ----

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task AudioInAUserMessageForOmniBecomesAnInputAudioPart(bool streaming) =>
        AssertStreamOnlyRequestAsync(
            """
            {"model":"qwen3-omni-flash","messages":[{"role":"user","content":[
              {"type":"input_audio","input_audio":{"data":"data:audio/wav;base64,AQID","format":"wav"}},
              {"type":"input_audio","input_audio":{"data":"data:audio/mpeg;base64,BAU=","format":"mp3"}},
              {"type":"input_audio","input_audio":{"data":"https://help-static-aliyun-doc.aliyuncs.com/file-manage-files/zh-CN/20250211/tixcef/cherry.wav","format":"wav"}},
              {"type":"text","text":"What is said?"}]}]}
            """,
            [
                new(ChatRole.User,
                [
                    new DataContent(new byte[] { 1, 2, 3 }, "audio/wav"),
                    new DataContent(new byte[] { 4, 5 }, "audio/mpeg"),
                    new UriContent("https://help-static-aliyun-doc.aliyuncs.com/file-manage-files/zh-CN/20250211/tixcef/cherry.wav", "audio/wav"),
                    new TextContent("What is said?"),
                ]),
            ],
            new ChatOptions { ModelId = "qwen3-omni-flash" },
            streaming);

    [Theory]
    [InlineData("qwen-omni-turbo", "audio/x-wav", "wav")]
    [InlineData("qwen3.5-omni-plus", "audio/mp3", "mp3")]
    [InlineData("Qwen3-Omni-Flash-2025-12-01", "audio/aac", "aac")]
    [InlineData("qwen-omni-turbo", "audio/amr", "amr")]
    public async Task TheAudioFormatComesFromTheMediaType(string model, string mediaType, string format)
    {
        var body = await CaptureRequestAsync([new(ChatRole.User, [new DataContent(new byte[] { 1, 2, 3 }, mediaType)])], new ChatOptions { ModelId = model }, streaming: true);

        var part = body.GetProperty("messages")[0].GetProperty("content")[0];
        Assert.Equal("input_audio", part.GetProperty("type").GetString());
        Assert.Equal($"data:{mediaType};base64,AQID", part.GetProperty("input_audio").GetProperty("data").GetString());
        Assert.Equal(format, part.GetProperty("input_audio").GetProperty("format").GetString());
    }

    [Theory]
    [InlineData("qwen-plus")]
    [InlineData("qwen-vl-max")]
    [InlineData("qwen2-audio-instruct")]
    public async Task AudioForOtherModelsIsStillRefusedNamingOmni(string model)
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);

        var ex = await Assert.ThrowsAsync<NotSupportedException>(() =>
            client.GetResponseAsync([new(ChatRole.User, [new DataContent(new byte[] { 1 }, "audio/wav")])], new ChatOptions { ModelId = model }));

        Assert.Contains("audio/wav", ex.Message);
        Assert.Contains("qwen3-omni", ex.Message);
        Assert.Empty(handler.Requests);
    }

    // ---- Audio answers in history (issue 10 item 7) ----

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task AnAudioAnswerInHistoryIsSentAsItsTranscriptWithoutTheAudio(bool streaming) =>
        AssertStreamOnlyRequestAsync(
            """
            {"model":"qwen3-omni-flash","messages":[
              {"role":"user","content":"Who are you?"},
              {"role":"assistant","content":"I am Qwen."},
              {"role":"assistant","content":"I speak."},
              {"role":"assistant","content":""},
              {"role":"assistant","content":"Before. Spoken."},
              {"role":"user","content":"Say it again."}]}
            """,
            [
                new(ChatRole.User, "Who are you?"),
                new(ChatRole.Assistant, [Audio("I am Qwen.")]),
                new(ChatRole.Assistant, [new TextContent("I speak."), Audio("I speak.")]),
                new(ChatRole.Assistant, [Audio(null)]),
                new(ChatRole.Assistant, [new TextContent("Before. "), Audio("Spoken.")]),
                new(ChatRole.User, "Say it again."),
            ],
            new ChatOptions { ModelId = "qwen3-omni-flash" },
            streaming);

    [Fact]
    public async Task AStreamedOmniAnswerAddedToTheHistoryIsAcceptedOnTheNextTurn()
    {
        var handler = new FakeHttpHandler(OmniStream(["AAECA", "wQFBgcICQ=="], "Hello."), CannedResponse.MinimalStream("again"));
        using var client = Create(handler);
        List<ChatMessage> history = [new(ChatRole.User, "Hi")];
        var options = new ChatOptions { ModelId = "qwen3-omni-flash" };

        var updates = await StreamAsync(client, history, options);
        history.AddMessages(updates);
        await StreamAsync(client, history, options);

        JsonAssert.Equal(
            """[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello."}]""",
            handler.Requests[1].Json.GetProperty("messages"));
    }

    // ---- Streamed audio (issue 10 item 8) ----

    [Theory]
    [MemberData(nameof(UnalignedPieces))]
    public async Task StreamedAudioPiecesNeedNotBeDecodableAloneAndEachDataContentHoldsExactlyTheDecodedBytes(string[] pieces)
    {
        using var client = Create(new FakeHttpHandler(OmniStream(pieces, "Hi.")));

        var updates = await StreamAsync(client, [new(ChatRole.User, "Hi")], new ChatOptions { ModelId = "qwen3-omni-flash" });

        var audio = updates.SelectMany(u => u.Contents).OfType<DataContent>().ToList();
        Assert.NotEmpty(audio);
        Assert.All(audio, a => Assert.Equal(Pcm, a.MediaType));
        Assert.All(audio, a => Assert.NotEqual(0, a.Data.Length));
        Assert.Equal(TenBytes, audio.SelectMany(a => a.Data.ToArray()));
        Assert.Equal("Hi.", string.Concat(updates.Select(u => u.Text)));
    }

    [Fact]
    public async Task GetResponseAsyncReturnsOneAudioDataContentWithEveryByteAndTheTranscriptAsText()
    {
        // Omni is stream-only in the table of model facts: GetResponseAsync streams from the first call (one request).
        var handler = new FakeHttpHandler(OmniStream(["AAECA", "wQFBgc", "ICQ=="], "Hello."));
        using var client = Create(handler);

        var response = await client.GetResponseAsync([new(ChatRole.User, "Hi")], new ChatOptions { ModelId = "qwen3-omni-flash" });

        var message = Assert.Single(response.Messages);
        Assert.Equal("Hello.", message.Text);
        var audio = Assert.Single(message.Contents.OfType<DataContent>());
        Assert.Equal(Pcm, audio.MediaType);
        Assert.Equal(TenBytes, audio.Data.ToArray());
        Assert.True(Assert.Single(handler.Requests).Json.GetProperty("stream").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task AudioThatStartsWithARiffWaveHeaderIsAudioWavAndKeepsItsHeader(bool streaming)
    {
        var wav = Encoding.ASCII.GetBytes("RIFF\u0024\0\0\0WAVEfmt ").Concat(TenBytes).ToArray();
        var base64 = Convert.ToBase64String(wav);
        var canned = streaming
            ? OmniStream([base64[..7], base64[7..13], base64[13..]], "Hi.")
            : CannedResponse.Json($$$"""{"choices":[{"message":{"role":"assistant","content":null,"audio":{"data":"{{{base64}}}","transcript":"Hi.","id":"audio_1","expires_at":1}},"finish_reason":"stop","index":0}],"object":"chat.completion","created":1,"model":"qwen-omni-turbo","id":"chatcmpl-omni"}""");
        // The non-streaming answer shape (message.audio) is read for a model the user marks as not stream-only.
        var options = new QwenClientOptions { ApiKey = ApiKey, DefaultModelId = "qwen-plus", MaxRetries = 0 };
        options.ModelCapabilities["qwen-omni-turbo"] = QwenModelCapabilities.AudioInput;
        using var client = new QwenChatClient(options, new HttpClient(new FakeHttpHandler(canned)));

        var response = await GetAsync(client, [new(ChatRole.User, "Hi")], new ChatOptions { ModelId = "qwen-omni-turbo" }, streaming);

        var message = Assert.Single(response.Messages);
        Assert.Equal("Hi.", message.Text);
        var audio = message.Contents.OfType<DataContent>().ToList(); // a streaming caller gets a piece per delta
        Assert.All(audio, a => Assert.Equal("audio/wav", a.MediaType));
        Assert.Equal(wav, audio.SelectMany(a => a.Data.ToArray()));
    }

    [Fact]
    public async Task ATranscriptInTheAudioDeltaIsSurfacedAsText()
    {
        var sse = new StringBuilder();
        foreach (var (data, transcript) in new[] { ("AAECA", "I am "), ("wQFBgcICQ==", "Qwen.") })
        {
            sse.Append("data: ").Append($$$"""{"choices":[{"delta":{"audio":{"data":"{{{data}}}","transcript":"{{{transcript}}}","id":"audio_1","expires_at":1}},"finish_reason":null,"index":0}],"object":"chat.completion.chunk","created":1,"model":"qwen-omni-turbo","id":"chatcmpl-o"}""").Append("\n\n");
        }

        sse.Append("data: [DONE]\n\n");
        using var client = Create(new FakeHttpHandler(CannedResponse.Sse(sse.ToString())));

        var updates = await StreamAsync(client, [new(ChatRole.User, "Hi")], new ChatOptions { ModelId = "qwen-omni-turbo" });

        Assert.Equal("I am Qwen.", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(TenBytes, updates.SelectMany(u => u.Contents).OfType<DataContent>().SelectMany(a => a.Data.ToArray()));
    }

    [Fact]
    public async Task AudioThatIsNotBase64FailsAsAMalformedStream()
    {
        using var client = Create(new FakeHttpHandler(OmniStream(["AAECA", "###"], "Hi.")));

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => StreamAsync(client, [new(ChatRole.User, "Hi")], new ChatOptions { ModelId = "qwen3-omni-flash" }));

        Assert.Contains("malformed", ex.Message);
    }

    [Fact]
    public async Task TheReadmeOmniExampleWorksAsWritten()
    {
        var handler = new FakeHttpHandler(
            OmniStream(["AAECA", "wQFBgcICQ=="], "Hello."),
            OmniStream(["AAEC"], "Again."));
        using var client = Create(handler);

        // As in README.md "Qwen-Omni audio", with the file's bytes inline.
        var options = new ChatOptions
        {
            ModelId = "qwen3-omni-flash",
            AdditionalProperties = new()
            {
                [QwenPropertyNames.Modalities] = new[] { "text", "audio" },
                [QwenPropertyNames.Audio] = new Dictionary<string, object> { ["voice"] = "Cherry", ["format"] = "wav" },
            },
        };
        List<ChatMessage> history = [new(ChatRole.User, [new TextContent("What is said here?"), new DataContent(new byte[] { 1, 2, 3 }, "audio/wav")])];
        var response = await client.GetResponseAsync(history, options);
        var audio = response.Messages[0].Contents.OfType<DataContent>().Single();
        history.AddMessages(response);
        history.Add(new(ChatRole.User, "Again, please."));
        await client.GetResponseAsync(history, options);

        Assert.Equal("Hello.", response.Text);
        Assert.Equal(TenBytes, audio.Data.ToArray());
        JsonAssert.Equal(
            """
            {"model":"qwen3-omni-flash","messages":[
              {"role":"user","content":[{"type":"text","text":"What is said here?"},{"type":"input_audio","input_audio":{"data":"data:audio/wav;base64,AQID","format":"wav"}}]},
              {"role":"assistant","content":"Hello."},
              {"role":"user","content":"Again, please."}],
             "stream":true,"stream_options":{"include_usage":true},"modalities":["text","audio"],"audio":{"voice":"Cherry","format":"wav"}}
            """,
            handler.Requests[1].Json);
    }

    /// <summary>
    /// Omni is stream-only in the table of model facts, so both paths send the streaming body: <paramref name="golden"/> plus the
    /// stream fields, answered with a stream.
    /// </summary>
    private static async Task AssertStreamOnlyRequestAsync(string golden, IEnumerable<ChatMessage> messages, ChatOptions options, bool streaming)
    {
        var handler = new FakeHttpHandler(CannedResponse.MinimalStream());
        using var client = Create(handler);
        await GetAsync(client, messages, options, streaming);
        JsonAssert.Equal(ForPath(golden, streaming: true), handler.SingleRequest.Json);
    }

    private static DataContent Audio(string? transcript)
    {
        var audio = new DataContent(TenBytes, Pcm);
        if (transcript is not null)
        {
            audio.AdditionalProperties = new() { ["transcript"] = transcript };
        }

        return audio;
    }

    /// <summary>A stream as dashscope-more.md 5.3 shows it: the transcript in delta.content, then audio in delta.audio.data pieces.</summary>
    private static CannedResponse OmniStream(string[] pieces, string transcript)
    {
        const string Tail = "\"object\":\"chat.completion.chunk\",\"usage\":null,\"created\":1757647879,\"system_fingerprint\":null,\"model\":\"qwen3.5-omni-plus\",\"id\":\"chatcmpl-a68eca3b\"}";
        var sse = new StringBuilder();
        sse.Append("data: {\"choices\":[{\"delta\":{\"content\":").Append(JsonSerializer.Serialize(transcript)).Append("},\"finish_reason\":null,\"index\":0,\"logprobs\":null}],").Append(Tail).Append("\n\n");
        foreach (var piece in pieces)
        {
            sse.Append("data: {\"choices\":[{\"delta\":{\"audio\":{\"data\":\"").Append(piece).Append("\",\"expires_at\":1757647879,\"id\":\"audio_a68eca3b\"}},\"finish_reason\":null,\"index\":0,\"logprobs\":null}],").Append(Tail).Append("\n\n");
        }

        sse.Append("data: {\"choices\":[{\"finish_reason\":\"stop\",\"delta\":{\"content\":\"\"},\"index\":0,\"logprobs\":null}],").Append(Tail).Append("\n\n");
        sse.Append("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":207,\"completion_tokens\":103,\"total_tokens\":310,\"completion_tokens_details\":{\"audio_tokens\":83,\"text_tokens\":20}},").Append(Tail.Replace("\"usage\":null,", string.Empty, StringComparison.Ordinal)).Append("\n\n");
        sse.Append("data: [DONE]\n\n");
        return CannedResponse.Sse(sse.ToString());
    }
}
