using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Qwen.Extensions.AI.Tests.Validation;

/// <summary>
/// The misuse catalogue: each case is refused before any I/O (the handler sees no request), with a specific exception type
/// whose message names the argument and what it may be (the service's own limits where its documentation gives them).
/// Every case runs through both <c>GetResponseAsync</c> and <c>GetStreamingResponseAsync</c>.
/// </summary>
public sealed class MisuseCatalogueTests
{
    private static readonly ChatMessage[] Hello = [new(ChatRole.User, "Hello")];

    private static readonly Dictionary<string, Misuse> Cases = new()
    {
        ["messages null"] = new(typeof(ArgumentNullException), ["messages"], Messages: null),
        ["messages empty"] = new(typeof(ArgumentException), ["messages", "at least one message"], Messages: []),
        ["null message in the list"] = new(typeof(ArgumentException), ["messages[1]", "must be a ChatMessage"], Messages: [new(ChatRole.User, "a"), null!]),
        ["no model anywhere"] = new(typeof(InvalidOperationException), ["ChatOptions.ModelId", "QwenClientOptions.DefaultModelId"], Configure: o => o.DefaultModelId = null),
        ["whitespace model"] = new(typeof(ArgumentException), ["ChatOptions.ModelId", "empty or whitespace", "qwen-plus"], Options: new() { ModelId = "  " }),
        ["negative MaxOutputTokens"] = new(typeof(ArgumentOutOfRangeException), ["ChatOptions.MaxOutputTokens", "≥ 1"], Options: new() { MaxOutputTokens = -5 }),
        ["zero MaxOutputTokens"] = new(typeof(ArgumentOutOfRangeException), ["ChatOptions.MaxOutputTokens", "≥ 1"], Options: new() { MaxOutputTokens = 0 }),
        ["TopP 0"] = new(typeof(ArgumentOutOfRangeException), ["ChatOptions.TopP", "(0, 1]"], Options: new() { TopP = 0 }),
        ["TopP 1.5"] = new(typeof(ArgumentOutOfRangeException), ["ChatOptions.TopP", "(0, 1]"], Options: new() { TopP = 1.5f }),
        ["Temperature 2"] = new(typeof(ArgumentOutOfRangeException), ["ChatOptions.Temperature", "[0, 2)"], Options: new() { Temperature = 2 }),
        ["Temperature negative"] = new(typeof(ArgumentOutOfRangeException), ["ChatOptions.Temperature", "[0, 2)"], Options: new() { Temperature = -0.1f }),
        ["Temperature NaN"] = new(typeof(ArgumentOutOfRangeException), ["ChatOptions.Temperature", "[0, 2)"], Options: new() { Temperature = float.NaN }),
        ["Seed negative"] = new(typeof(ArgumentOutOfRangeException), ["ChatOptions.Seed", "[0, 2^31-1]"], Options: new() { Seed = -1 }),
        ["Seed above 2^31-1"] = new(typeof(ArgumentOutOfRangeException), ["ChatOptions.Seed", "[0, 2^31-1]"], Options: new() { Seed = 1L << 31 }),
        ["PresencePenalty 2.5"] = new(typeof(ArgumentOutOfRangeException), ["ChatOptions.PresencePenalty", "[-2, 2]"], Options: new() { PresencePenalty = 2.5f }),
        ["FrequencyPenalty non-zero"] = new(typeof(NotSupportedException), ["ChatOptions.FrequencyPenalty", "PresencePenalty", "repetition_penalty"], Options: new() { FrequencyPenalty = 0.5f }),
        ["TopK negative"] = new(typeof(ArgumentOutOfRangeException), ["ChatOptions.TopK", "≥ 0"], Options: new() { TopK = -1 }),
        ["20 MB image"] = new(typeof(ArgumentException), ["messages[0]", "image/png", "10,485,760 bytes"], Messages: [new(ChatRole.User, [new DataContent(new byte[20 * 1024 * 1024], "image/png")])]),
        ["image data URI without a media type"] = new(typeof(NotSupportedException), ["messages[0]", "image/*", "video/*"], Messages: [new(ChatRole.User, [new DataContent("data:;base64,iVBORw0KGgo=")])]),
        ["pdf document"] = new(typeof(NotSupportedException), ["messages[0]", "application/pdf", "image/*", "video/*"], Messages: [new(ChatRole.User, [new DataContent(new byte[] { 0x25, 0x50, 0x44, 0x46 }, "application/pdf")])]),
        ["audio in a user message"] = new(typeof(NotSupportedException), ["messages[0]", "audio/wav", "image/*"], Messages: [new(ChatRole.User, [new DataContent(new byte[] { 1, 2 }, "audio/wav")])]),
        ["image in a system message"] = new(typeof(NotSupportedException), ["messages[0]", "DataContent", "system message", "Supported"], Messages: [new(ChatRole.System, [new DataContent(new byte[] { 1 }, "image/png")]), new(ChatRole.User, "hi")]),
        ["function result without a matching call"] = new(typeof(ArgumentException), ["messages[1]", "call id 'call_x'", "FunctionCallContent"], Messages: [new(ChatRole.User, "hi"), new(ChatRole.Tool, [new FunctionResultContent("call_x", "42")])]),
        ["function call without a call id"] = new(typeof(ArgumentException), ["messages[1]", "CallId"], Messages: [new(ChatRole.User, "hi"), new(ChatRole.Assistant, [new FunctionCallContent("", "get_weather")])]),
        ["tool name with a space"] = new(typeof(ArgumentException), ["ChatOptions.Tools[0]", "get weather", "1 to 64 characters", "'_' and '-'"], Options: new() { Tools = [AIFunctionFactory.Create(() => 1, "get weather")] }),
        ["tool name longer than 64"] = new(typeof(ArgumentException), ["ChatOptions.Tools[0]", "1 to 64 characters"], Options: new() { Tools = [AIFunctionFactory.Create(() => 1, new string('f', 65))] }),
        ["two tools with one name"] = new(typeof(ArgumentException), ["ChatOptions.Tools", "get_time", "unique"], Options: new() { Tools = [AIFunctionFactory.Create(() => 1, "get_time"), AIFunctionFactory.Create(() => 2, "get_time")] }),
        ["null tool"] = new(typeof(ArgumentException), ["ChatOptions.Tools[0]", "null"], Options: new() { Tools = [null!] }),
        ["required tool that is not offered"] = new(typeof(ArgumentException), ["ChatOptions.ToolMode", "'lookup'", "ChatOptions.Tools"], Options: new() { Tools = [AIFunctionFactory.Create(() => 1, "get_time")], ToolMode = ChatToolMode.RequireSpecific("lookup") }),
        ["empty stop sequence"] = new(typeof(ArgumentException), ["ChatOptions.StopSequences", "null or empty"], Options: new() { StopSequences = ["end", ""] }),
        ["ConversationId"] = new(typeof(NotSupportedException), ["ChatOptions.ConversationId", "history"], Options: new() { ConversationId = "conv_1" }),
        ["extra value that cannot be serialized"] = new(typeof(ArgumentException), ["AdditionalProperties[\"custom_setting\"]", "cannot be serialized", "JsonElement"], Options: Extra("custom_setting", new Unserializable())),
        ["extra NaN"] = new(typeof(ArgumentException), ["AdditionalProperties[\"custom_ratio\"]", "NaN", "JSON"], Options: Extra("custom_ratio", double.NaN)),
        ["extra n 0"] = new(typeof(ArgumentOutOfRangeException), ["AdditionalProperties[\"n\"]", "1 to 4"], Options: Extra("n", 0)),
        ["extra top_logprobs above 5"] = new(typeof(ArgumentOutOfRangeException), ["AdditionalProperties[\"top_logprobs\"]", "0 to 5"], Options: Extra("top_logprobs", 9)),
        ["extra thinking_budget 0"] = new(typeof(ArgumentOutOfRangeException), ["AdditionalProperties[\"thinking_budget\"]", "≥ 1"], Options: Extra("thinking_budget", 0)),
        ["extra temperature 3"] = new(typeof(ArgumentOutOfRangeException), ["AdditionalProperties[\"temperature\"]", "[0, 2)"], Options: Extra("temperature", 3.0)),
        ["extra enable_thinking not a boolean"] = new(typeof(ArgumentException), ["AdditionalProperties[\"enable_thinking\"]", "true or false"], Options: Extra("enable_thinking", "maybe")),
        ["extra search_options not an object"] = new(typeof(ArgumentException), ["AdditionalProperties[\"search_options\"]", "JSON object"], Options: Extra("search_options", "pro")),
        ["extra model"] = new(typeof(ArgumentException), ["AdditionalProperties[\"model\"]", "ChatOptions.ModelId"], Options: Extra("model", "qwen-max")),
        ["extra stream"] = new(typeof(ArgumentException), ["AdditionalProperties[\"stream\"]", "GetStreamingResponseAsync"], Options: Extra("stream", true)),
        ["relative endpoint"] = new(typeof(ArgumentException), ["QwenClientOptions.Endpoint", "absolute URL", "compatible-mode/v1"], Configure: o => o.Endpoint = new Uri("/compatible-mode/v1", UriKind.Relative)),
        ["ftp endpoint"] = new(typeof(ArgumentException), ["QwenClientOptions.Endpoint", "http(s)", "ftp"], Configure: o => o.Endpoint = new Uri("ftp://dashscope.example.com/v1")),
        ["plain http to a remote host"] = new(typeof(ArgumentException), ["QwenClientOptions.Endpoint", "https", "AllowInsecureHttp"], Configure: o => o.Endpoint = new Uri("http://dashscope.example.com/compatible-mode/v1")),
        ["whitespace default model"] = new(typeof(ArgumentException), ["QwenClientOptions.DefaultModelId", "qwen-plus"], Configure: o => o.DefaultModelId = " "),
        ["negative MaxRetries"] = new(typeof(ArgumentOutOfRangeException), ["QwenClientOptions.MaxRetries", "from 0", "to 10"], Configure: o => o.MaxRetries = -1),
        ["MaxRetries above 10"] = new(typeof(ArgumentOutOfRangeException), ["QwenClientOptions.MaxRetries", "from 0", "to 10"], Configure: o => o.MaxRetries = 11),
        ["RetryBaseDelay above 8 s"] = new(typeof(ArgumentOutOfRangeException), ["QwenClientOptions.RetryBaseDelay", "from 0 to 8 s"], Configure: o => o.RetryBaseDelay = TimeSpan.FromSeconds(10)),
        ["zero RequestTimeout"] = new(typeof(ArgumentOutOfRangeException), ["QwenClientOptions.RequestTimeout", "positive", "InfiniteTimeSpan"], Configure: o => o.RequestTimeout = TimeSpan.Zero),
        ["negative StreamingIdleTimeout"] = new(typeof(ArgumentOutOfRangeException), ["QwenClientOptions.StreamingIdleTimeout", "positive", "InfiniteTimeSpan"], Configure: o => o.StreamingIdleTimeout = TimeSpan.FromSeconds(-5)),
        ["negative StreamingHeadersTimeout"] = new(typeof(ArgumentOutOfRangeException), ["QwenClientOptions.StreamingHeadersTimeout", "positive", "InfiniteTimeSpan"], Configure: o => o.StreamingHeadersTimeout = TimeSpan.FromSeconds(-5)),
    };

    public static TheoryData<string, bool> All()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in Cases.Keys)
        {
            data.Add(name, false);
            data.Add(name, true);
        }

        return data;
    }

    [Fact]
    public void TheCatalogueHasAtLeast25Cases() => Assert.True(Cases.Count >= 25, $"{Cases.Count} cases");

    [Theory]
    [MemberData(nameof(All))]
    public async Task MisuseIsRefusedBeforeAnyIoWithAPreciseMessage(string name, bool streaming)
    {
        var misuse = Cases[name];
        var handler = new FakeHttpHandler().Always((_, _) => Task.FromResult(FakeHttpHandler.Json(System.Net.HttpStatusCode.OK, Payloads.Completion())));

        var ex = await Record.ExceptionAsync(async () =>
        {
            var options = new QwenClientOptions { ApiKey = TestClient.ApiKey, DefaultModelId = "qwen-plus", MaxRetries = 0 };
            misuse.Configure?.Invoke(options);
            using var client = new QwenChatClient(options, new HttpClient(handler));
            var messages = misuse.Messages ?? (misuse.MessagesAreNull ? null! : Hello);
            if (streaming)
            {
                await TestClient.DrainAsync(client.GetStreamingResponseAsync(messages, misuse.Options));
            }
            else
            {
                await client.GetResponseAsync(messages, misuse.Options);
            }
        });

        Assert.NotNull(ex);
        Assert.IsType(misuse.Exception, ex);
        foreach (var fragment in misuse.Fragments)
        {
            Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, handler.RequestCount);
        Assert.DoesNotContain(TestClient.ApiKey, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void StreamingCallValidatesAtTheCallNotAtTheFirstMoveNext()
    {
        using var client = new QwenChatClient(new QwenClientOptions { ApiKey = TestClient.ApiKey, DefaultModelId = "qwen-plus" }, new HttpClient(new FakeHttpHandler()));

        Assert.Throws<ArgumentOutOfRangeException>(() => client.GetStreamingResponseAsync(Hello, new ChatOptions { TopP = 0 }));
    }

    [Fact]
    public async Task MoreThanOneChoiceIsRefusedForStreamsOnly()
    {
        var handler = new FakeHttpHandler().ThenCompletion();
        using var client = new QwenChatClient(new QwenClientOptions { ApiKey = TestClient.ApiKey, DefaultModelId = "qwen-plus" }, new HttpClient(handler));
        var options = Extra("n", 2);

        var ex = Assert.Throws<NotSupportedException>(() => client.GetStreamingResponseAsync(Hello, options));
        Assert.Contains("AdditionalProperties[\"n\"]", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, handler.RequestCount);

        await client.GetResponseAsync(Hello, options);
        Assert.Equal(1, handler.RequestCount);
    }

    private static ChatOptions Extra(string key, object? value) => new() { AdditionalProperties = new() { [key] = value } };

    private sealed record Misuse(Type Exception, string[] Fragments, ChatMessage[]? Messages = default, ChatOptions? Options = null, Action<QwenClientOptions>? Configure = null)
    {
        public bool MessagesAreNull { get; } = Messages is null && Fragments is ["messages"];
    }

    private sealed class Unserializable
    {
        public Unserializable Self => this;
    }
}
