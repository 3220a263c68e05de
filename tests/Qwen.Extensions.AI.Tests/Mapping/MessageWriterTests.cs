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
    public Task InstructionsComeFirstAsSystemThenEveryRoleInOrder(bool streaming) =>
        AssertRequestAsync(
            Fixture.Text("Requests/roles-and-instructions.json"),
            [
                new(ChatRole.System, "You are a helpful assistant."),
                new(ChatRole.User, "Who are you?"),
                new(ChatRole.Assistant, "I am Qwen."),
                new(ChatRole.User, "And what can you do?"),
            ],
            new ChatOptions { Instructions = "Answer in English." },
            streaming);

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
