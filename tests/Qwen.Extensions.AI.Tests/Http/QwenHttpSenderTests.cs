using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.TestUtilities.TestClient;

namespace Qwen.Extensions.AI.Tests.Http;

/// <summary>docs/wire-mapping.md "Endpoint and auth": POST {endpoint}/chat/completions with the bearer key and JSON, on both paths.</summary>
public sealed class QwenHttpSenderTests
{
    public static TheoryData<bool> BothPaths => new() { false, true };

    private static List<ChatMessage> Hi() => [new(ChatRole.User, "Hi")];

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task TheRequestIsAPostToChatCompletionsWithBearerKeyAndJson(bool streaming)
    {
        var handler = new FakeHttpHandler(streaming ? CannedResponse.MinimalStream() : CannedResponse.MinimalCompletion());
        using var client = Create(handler);
        await GetAsync(client, Hi(), null, streaming);

        var request = handler.SingleRequest;
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://dashscope-intl.aliyuncs.com/compatible-mode/v1/chat/completions", request.Uri.AbsoluteUri);
        Assert.Equal($"Bearer {ApiKey}", request.Header("Authorization"));
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal(streaming ? "text/event-stream" : "application/json", request.Header("Accept"));
        Assert.Equal((byte)'{', request.Body[0]);
    }

    public static TheoryData<string, string> Endpoints => new()
    {
        { "https://dashscope-us.aliyuncs.com/compatible-mode/v1", "https://dashscope-us.aliyuncs.com/compatible-mode/v1/chat/completions" },
        { "https://dashscope.aliyuncs.com/compatible-mode/v1/", "https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions" },
        { "http://127.0.0.1:5080/compatible-mode/v1", "http://127.0.0.1:5080/compatible-mode/v1/chat/completions" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task TheEndpointIsFreeFormAndChatCompletionsIsAppended(string endpoint, string expected)
    {
        var handler = new FakeHttpHandler(CannedResponse.MinimalCompletion());
        using var client = new QwenChatClient(new QwenClientOptions { ApiKey = ApiKey, DefaultModelId = "qwen-plus", Endpoint = new Uri(endpoint) }, new HttpClient(handler));
        await client.GetResponseAsync(Hi());

        Assert.Equal(expected, handler.SingleRequest.Uri.AbsoluteUri);
    }

    [Fact]
    public void TheRegionalEndpointsAreTheDocumentedOnes()
    {
        Assert.Equal("https://dashscope-intl.aliyuncs.com/compatible-mode/v1", QwenEndpoints.Singapore.AbsoluteUri.TrimEnd('/'));
        Assert.Equal("https://dashscope-us.aliyuncs.com/compatible-mode/v1", QwenEndpoints.Virginia.AbsoluteUri.TrimEnd('/'));
        Assert.Equal("https://dashscope.aliyuncs.com/compatible-mode/v1", QwenEndpoints.Beijing.AbsoluteUri.TrimEnd('/'));
        Assert.Equal("https://cn-hongkong.dashscope.aliyuncs.com/compatible-mode/v1", QwenEndpoints.HongKong.AbsoluteUri.TrimEnd('/'));
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task ACancelledTokenReachesTheHttpSendAndNothingIsSent(bool streaming)
    {
        var handler = new FakeHttpHandler(streaming ? CannedResponse.MinimalStream() : CannedResponse.MinimalCompletion());
        using var client = Create(handler);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            if (streaming)
            {
                await foreach (var _ in client.GetStreamingResponseAsync(Hi(), null, cts.Token))
                {
                }
            }
            else
            {
                await client.GetResponseAsync(Hi(), null, cts.Token);
            }
        });
        Assert.Empty(handler.Requests);
    }
}
