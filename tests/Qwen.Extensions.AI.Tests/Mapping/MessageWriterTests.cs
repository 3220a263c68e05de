using System.Text.Json;
using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.TestUtilities.TestClient;

namespace Qwen.Extensions.AI.Tests.Mapping;

/// <summary>docs/wire-mapping.md "Request body: ChatMessage → messages[]": every row, on both paths, against a golden request.</summary>
public sealed class MessageWriterTests
{
    public static TheoryData<bool> BothPaths => new() { false, true };

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task InstructionsAndEverySystemMessageBecomeOneLeadingSystemMessage(bool streaming) =>
        AssertRequestAsync(
            Fixture.Text("Requests/roles-and-instructions.json"),
            [
                new(ChatRole.System, "You are a helpful assistant."),
                new(ChatRole.User, "Who are you?"),
                new(ChatRole.Assistant, "I am Qwen."),

                // A system message mid-history (MEAI's summarizing reducer adds one): the service reads system only in messages[0].
                new(ChatRole.System, "Summary so far: the user asked who I am."),
                new(ChatRole.User, "And what can you do?"),
            ],
            new ChatOptions { Instructions = "Answer in English." },
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task ATrailingSystemMessageJoinsTheLeadingOneWithoutInstructions(bool streaming) =>
        AssertRequestAsync(
            """{"model":"qwen-plus","messages":[{"role":"system","content":"Be brief.\n\nSummary: greetings exchanged."},{"role":"user","content":"Hi"}]}""",
            [
                new(ChatRole.System, "Be brief."),
                new(ChatRole.User, "Hi"),
                new(ChatRole.System, "Summary: greetings exchanged."),
            ],
            null,
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task FileIdSystemMessagesFollowTheMergedSystemMessageInOrder(bool streaming) =>
        AssertRequestAsync(
            """
            {"model":"qwen-long","messages":[
              {"role":"system","content":"Answer briefly.\n\nYou are a helpful assistant."},
              {"role":"system","content":"fileid://file-fe-xxx1"},
              {"role":"system","content":"fileid://file-fe-xxx2"},
              {"role":"user","content":"这两篇文章讲了什么？"}]}
            """,
            [
                new(ChatRole.System, "fileid://file-fe-xxx1"),
                new(ChatRole.System, "You are a helpful assistant."),
                new(ChatRole.System, "fileid://file-fe-xxx2"),
                new(ChatRole.User, "这两篇文章讲了什么？"),
            ],
            new ChatOptions { ModelId = "qwen-long", Instructions = "Answer briefly." },
            streaming);

    /// <summary>The qwen-long document page's shape (dashscope-more.md §7.3): the system message, then one fileid:// message per file, in order.</summary>
    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task HostedFileContentInAUserMessageBecomesAFileIdSystemMessageAfterTheSystemMessage(bool streaming) =>
        AssertRequestAsync(
            """
            {"model":"qwen-long","messages":[
              {"role":"system","content":"You are a helpful assistant."},
              {"role":"system","content":"fileid://file-fe-xxx1"},
              {"role":"system","content":"fileid://file-fe-xxx2"},
              {"role":"user","content":"这两篇文章讲了什么？"}]}
            """,
            [
                new(ChatRole.System, "You are a helpful assistant."),
                new(ChatRole.User, [new HostedFileContent("file-fe-xxx1"), new HostedFileContent("file-fe-xxx2"), new TextContent("这两篇文章讲了什么？")]),
            ],
            new ChatOptions { ModelId = "qwen-long" },
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task FileReferencesFromSystemTextAndHostedFilesKeepTheirHistoryOrder(bool streaming) =>
        AssertRequestAsync(
            """
            {"model":"qwen-long","messages":[
              {"role":"system","content":"Answer briefly.\n\nCite the file."},
              {"role":"system","content":"fileid://file-fe-a,fileid://file-fe-b"},
              {"role":"system","content":"fileid://file-fe-c"},
              {"role":"system","content":"fileid://file-fe-d"},
              {"role":"user","content":"Compare them."},
              {"role":"assistant","content":"They differ."},
              {"role":"user","content":"And this one?"}]}
            """,
            [
                new(ChatRole.System, "fileid://file-fe-a,fileid://file-fe-b"),
                new(ChatRole.System, [new TextContent("Cite the file."), new HostedFileContent("file-fe-c")]),
                new(ChatRole.User, [new TextContent("Compare them.")]),
                new(ChatRole.Assistant, "They differ."),
                new(ChatRole.User, [new TextContent("And this one?"), new HostedFileContent("file-fe-d")]),
            ],
            new ChatOptions { ModelId = "qwen-long", Instructions = "Answer briefly." },
            streaming);

    /// <summary>With no system text, the documented "You are a helpful assistant." leads, so the references follow a system message as the docs show.</summary>
    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task AHostedFileWithoutSystemTextGetsTheDocumentedLeadingSystemMessage(bool streaming) =>
        AssertRequestAsync(
            """
            {"model":"qwen-long","messages":[
              {"role":"system","content":"You are a helpful assistant."},
              {"role":"system","content":"fileid://file-fe-5d5eb068893f4b5e8551ada4"},
              {"role":"user","content":"Summarize the document."}]}
            """,
            [new(ChatRole.User, [new HostedFileContent("file-fe-5d5eb068893f4b5e8551ada4"), new TextContent("Summarize the document.")])],
            new ChatOptions { ModelId = "qwen-long" },
            streaming);

    [Fact]
    public async Task AUserMessageWithOnlyAHostedFileSendsNoEmptyUserMessage()
    {
        var body = await CaptureRequestAsync(
            [new(ChatRole.User, [new HostedFileContent("file-fe-1")]), new(ChatRole.User, "What does it say?")],
            new ChatOptions { ModelId = "qwen-long" },
            streaming: false);

        JsonAssert.Equal(
            """[{"role":"system","content":"You are a helpful assistant."},{"role":"system","content":"fileid://file-fe-1"},{"role":"user","content":"What does it say?"}]""",
            body.GetProperty("messages"));
    }

    [Fact]
    public async Task OneHundredFileIdsAreSent()
    {
        var files = Enumerable.Range(0, 99).Select(i => (AIContent)new HostedFileContent("file-fe-" + i)).Append(new TextContent("Which is longest?")).ToList();

        var body = await CaptureRequestAsync(
            [new(ChatRole.System, "fileid://file-fe-x"), new(ChatRole.User, files)],
            new ChatOptions { ModelId = "qwen-long" },
            streaming: false);

        Assert.Equal(1 + 100 + 1, body.GetProperty("messages").GetArrayLength());
    }

    [Theory]
    [InlineData(101, false)]
    [InlineData(100, true)]
    public async Task MoreThanOneHundredFileIdsAreRefusedBeforeSending(int hostedFiles, bool plusOneInText)
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);
        var contents = Enumerable.Range(0, hostedFiles).Select(i => (AIContent)new HostedFileContent("file-fe-" + i)).Append(new TextContent("Summarize.")).ToList();
        List<ChatMessage> messages = [new(ChatRole.User, contents)];
        if (plusOneInText)
        {
            messages.Insert(0, new ChatMessage(ChatRole.System, "fileid://file-fe-extra"));
        }

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(messages, new ChatOptions { ModelId = "qwen-long" }));

        Assert.Contains("101 files", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at most 100", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, handler.RequestCount);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task NestedJsonKeepsNonAsciiAndHtmlSensitiveCharactersRaw(bool streaming)
    {
        var handler = new FakeHttpHandler(streaming ? CannedResponse.MinimalStream() : CannedResponse.MinimalCompletion());
        using var client = Create(handler);
        await GetAsync(
            client,
            [
                new(ChatRole.User, "北京的天气？"),
                new(ChatRole.Assistant,
                [
                    new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "北京", ["note"] = "<a & 'b' + c>" }),
                    new FunctionCallContent("call_2", "get_weather", new Dictionary<string, object?> { ["city"] = "上海" }),
                ]),
                new(ChatRole.Tool,
                [
                    new FunctionResultContent("call_1", new Dictionary<string, object?> { ["weather"] = "晴 <25°C> & 'dry' +" }),
                    new FunctionResultContent("call_2", JsonDocument.Parse("""{"weather":"\u96E8 \u003C18\u00B0C\u003E"}""").RootElement),
                ]),
            ],
            null,
            streaming);

        var body = handler.SingleRequest.BodyText;
        JsonAssert.Equal(
            ForPath(
                """
                {"model":"qwen-plus","messages":[
                  {"role":"user","content":"北京的天气？"},
                  {"role":"assistant","content":"","tool_calls":[
                    {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"北京\",\"note\":\"<a & 'b' + c>\"}"}},
                    {"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"上海\"}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"{\"weather\":\"晴 <25°C> & 'dry' +\"}"},
                  {"role":"tool","tool_call_id":"call_2","content":"{\"weather\":\"雨 <18°C>\"}"}]}
                """,
                streaming),
            body);

        // Raw on the wire: no \uXXXX anywhere, the nested JSON's own quotes are the only escapes.
        Assert.DoesNotContain("\\u", body, StringComparison.Ordinal);
        Assert.Contains("""\"city\":\"北京\",\"note\":\"<a & 'b' + c>\"}""", body, StringComparison.Ordinal);
        Assert.Contains("""{\"weather\":\"晴 <25°C> & 'dry' +\"}""", body, StringComparison.Ordinal);
        Assert.Contains("""{\"weather\":\"雨 <18°C>\"}""", body, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, bool> SniffedImages => new()
    {
        { "iVBORw0KGgoAAAANSUhEUg==", "image/png", false }, { "iVBORw0KGgoAAAANSUhEUg==", "image/png", true },
        { "/9j/4AAQSkZJRg==", "image/jpeg", false }, { "/9j/4AAQSkZJRg==", "image/jpeg", true },
        { "R0lGODlhAQABAA==", "image/gif", false }, { "R0lGODlhAQABAA==", "image/gif", true },
        { "UklGRiQAAABXRUJQVlA4IA==", "image/webp", false }, { "UklGRiQAAABXRUJQVlA4IA==", "image/webp", true },
        { "Qk02AAAAAAAAADYAAAAoAA==", "image/bmp", false }, { "Qk02AAAAAAAAADYAAAAoAA==", "image/bmp", true },
        { "SUkqAAgAAAA=", "image/tiff", false }, { "TU0AKgAAAAg=", "image/tiff", true },
    };

    [Theory]
    [MemberData(nameof(SniffedImages))]
    public Task AWildcardImageMediaTypeIsSentAsTheTypeSniffedFromTheBytes(string base64, string sniffed, bool streaming) =>
        AssertRequestAsync(
            $$$"""
            {"model":"qwen-vl-plus","messages":[{"role":"user","content":[
              {"type":"text","text":"What is this?"},
              {"type":"image_url","image_url":{"url":"data:{{{sniffed}}};base64,{{{base64}}}"}},
              {"type":"image_url","image_url":{"url":"data:{{{sniffed}}};base64,{{{base64}}}"}}]}]}
            """,
            [
                new(ChatRole.User,
                [
                    new TextContent("What is this?"),
                    new DataContent(Convert.FromBase64String(base64), "image/*"),
                    new DataContent(Convert.FromBase64String(base64), "application/octet-stream"),
                ]),
            ],
            new ChatOptions { ModelId = "qwen-vl-plus" },
            streaming);

    [Theory]
    [InlineData("image/*", false)]
    [InlineData("image/*", true)]
    [InlineData("video/*", false)]
    [InlineData("video/*", true)]
    public async Task AWildcardMediaTypeWithUnknownBytesIsRefusedBeforeSendingNamingTheFix(string mediaType, bool streaming)
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);
        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            GetAsync(client, [new(ChatRole.User, [new TextContent("What is this?"), new DataContent(new byte[] { 1, 2, 3, 4 }, mediaType)])], null, streaming));
        Assert.Contains($"'{mediaType}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("new DataContent(bytes, \"image/png\")", ex.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task AFileUriIsRefusedBeforeSendingPointingToDataContent(bool streaming)
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);
        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            GetAsync(client, [new(ChatRole.User, [new TextContent("Describe it."), new UriContent(new Uri("file:///home/me/cat.png"), "image/png")])], null, streaming));
        Assert.Contains("file:///home/me/cat.png", ex.Message, StringComparison.Ordinal);
        Assert.Contains("new DataContent(File.ReadAllBytes(path)", ex.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public void ADataContentCannotHoldAFileUri() =>
        Assert.ThrowsAny<ArgumentException>(() => new DataContent(new Uri("file:///home/me/cat.png"), "image/png"));

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task UserTextOnlyIsAPlainStringContent(bool streaming) =>
        AssertRequestAsync(Fixture.Text("Requests/user-text.json"), [new(ChatRole.User, "Who are you?")], null, streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task SeveralTextPartsWithoutMediaAreJoinedIntoOneString(bool streaming) =>
        AssertRequestAsync(
            Fixture.Text("Requests/user-text.json"),
            [new(ChatRole.User, [new TextContent("Who "), new TextContent("are you?")])],
            null,
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task ImagesFromUriAndDataContentBecomeImageUrlPartsInOrder(bool streaming) =>
        AssertRequestAsync(
            Fixture.Text("Requests/user-images-in-order.json"),
            [
                new(ChatRole.User,
                [
                    new TextContent("Compare these images."),
                    new UriContent("https://dashscope.oss-cn-beijing.aliyuncs.com/images/dog_and_girl.jpeg", "image/jpeg"),
                    new DataContent(Convert.FromBase64String("iVBORw0KGgo="), "image/png"),
                    new TextContent("Which one is a tiger?"),
                    new UriContent("oss://my-bucket/tiger.png", "image/png"),
                    new DataContent("data:image/jpeg;base64,AQID"),
                ]),
            ],
            new ChatOptions { ModelId = "qwen-vl-plus" },
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task VideoFromUriAndDataContentBecomesVideoUrlParts(bool streaming) =>
        AssertRequestAsync(
            Fixture.Text("Requests/user-video-url.json"),
            [
                new(ChatRole.User,
                [
                    new UriContent("https://help-static-aliyun-doc.aliyuncs.com/file-manage-files/zh-CN/20241115/cqqkru/1.mp4", "video/mp4"),
                    new TextContent("What happens in this video?"),
                    new DataContent(Convert.FromBase64String("AAAAGGZ0eXA="), "video/mp4"),
                ]),
            ],
            new ChatOptions { ModelId = "qwen-vl-plus" },
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task VideoAsFrameListBecomesAVideoPartWithTheFramesInOrder(bool streaming) =>
        AssertRequestAsync(
            Fixture.Text("Requests/user-video-frames.json"),
            [
                new(ChatRole.User,
                [
                    new QwenVideoFramesContent(
                    [
                        new Uri("https://img.alicdn.com/imgextra/i3/O1CN01K3SgGo1eqmlUgeE9b_!!6000000003923-0-tps-3840-2160.jpg"),
                        new Uri("https://img.alicdn.com/imgextra/i4/O1CN01BjZvwg1Y23CF5qIRB_!!6000000003000-0-tps-3840-2160.jpg"),
                        new Uri("https://img.alicdn.com/imgextra/i4/O1CN01Ib0clU27vTgBdbVLQ_!!6000000007859-0-tps-3840-2160.jpg"),
                    ]),
                    new TextContent("Describe the process in this video."),
                ]),
            ],
            new ChatOptions { ModelId = "qwen-vl-max" },
            streaming);

    [Fact]
    public void VideoFramesMustBeAbsoluteAndAtLeastOne()
    {
        Assert.Throws<ArgumentException>("frames", () => new QwenVideoFramesContent([]));
        Assert.Throws<ArgumentException>("frames", () => new QwenVideoFramesContent([new Uri("frame1.jpg", UriKind.Relative)]));
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task FunctionCallsAndResultsRoundTripAsToolCallsAndToolMessages(bool streaming) =>
        AssertRequestAsync(Fixture.Text("Requests/function-call-round-trip.json"), RoundTripHistory(informationalOnly: false), null, streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task InformationalOnlyCallsMarkedByFunctionInvocationAreStillSentAsHistory(bool streaming) =>
        AssertRequestAsync(Fixture.Text("Requests/function-call-round-trip.json"), RoundTripHistory(informationalOnly: true), null, streaming);

    /// <summary>A two-call tool round trip; FunctionInvokingChatClient marks calls it has run as informational-only.</summary>
    private static List<ChatMessage> RoundTripHistory(bool informationalOnly) =>
    [
        new(ChatRole.User, "What is the weather in Hangzhou and Shanghai?"),
        new(ChatRole.Assistant,
        [
            new FunctionCallContent("call_hz", "get_current_weather", new Dictionary<string, object?> { ["location"] = "Hangzhou" }) { InformationalOnly = informationalOnly },
            new FunctionCallContent("call_sh", "get_current_weather", new Dictionary<string, object?> { ["location"] = "Shanghai", ["days"] = 2 }) { InformationalOnly = informationalOnly },
        ]),
        new(ChatRole.Tool,
        [
            new FunctionResultContent("call_hz", "Sunny, 25°C"),
            new FunctionResultContent("call_sh", JsonDocument.Parse("""{"sky":"rain","celsius":18}""").RootElement),
        ]),
        new(ChatRole.Assistant, "Hangzhou is sunny; Shanghai is rainy."),
    ];

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task ReasoningIsEchoedOnlyForAssistantTurnsAfterTheLastUserMessage(bool streaming) =>
        AssertRequestAsync(
            Fixture.Text("Requests/reasoning-echo-after-last-user.json"),
            ReasoningHistory(),
            new ChatOptions { ModelId = "qwen3-plus" },
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task PreserveThinkingEchoesReasoningForTheWholeHistory(bool streaming) =>
        AssertRequestAsync(
            Fixture.Text("Requests/reasoning-echo-preserve-thinking.json"),
            ReasoningHistory(),
            new ChatOptions { ModelId = "qwen3-plus", AdditionalProperties = new() { [QwenPropertyNames.PreserveThinking] = true } },
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task AnEmptyUserTextIsSentAsAnEmptyStringNotRefused(bool streaming) =>
        AssertRequestAsync(
            """{"model":"qwen-plus","messages":[{"role":"user","content":""}]}""",
            [new(ChatRole.User, "")],
            null,
            streaming);

    [Theory]
    [MemberData(nameof(BothPaths))]
    public Task AFailedFunctionResultIsSentAsItsErrorText(bool streaming) =>
        AssertRequestAsync(
            """
            {"model":"qwen-plus","messages":[
              {"role":"user","content":"Weather?"},
              {"role":"assistant","content":"","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_current_weather","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"Error: service down"}]}
            """,
            [
                new(ChatRole.User, "Weather?"),
                new(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_current_weather")]),
                new(ChatRole.Tool, [new FunctionResultContent("call_1", null) { Exception = new InvalidOperationException("service down") }]),
            ],
            null,
            streaming);

    private static List<ChatMessage> ReasoningHistory() =>
    [
        new(ChatRole.User, "Hi"),
        new(ChatRole.Assistant, [new TextReasoningContent("A greeting."), new TextContent("Hello!")]),
        new(ChatRole.User, "Weather in Hangzhou?"),
        new(ChatRole.Assistant,
        [
            new TextReasoningContent("I should call "),
            new TextReasoningContent("the weather tool."),
            new FunctionCallContent("call_1", "get_current_weather", new Dictionary<string, object?> { ["location"] = "Hangzhou" }),
        ]),
        new(ChatRole.Tool, [new FunctionResultContent("call_1", "Sunny")]),
    ];
}
