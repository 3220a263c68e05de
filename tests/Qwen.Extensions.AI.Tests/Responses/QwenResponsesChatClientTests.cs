using System.Net;
using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.Tests.Responses.ResponsesTestClient;

namespace Qwen.Extensions.AI.Tests.Responses;

/// <summary>The client's conventions (options, GetService, ToString), stored responses, and MEAI's function-invocation loop over it.</summary>
public sealed class QwenResponsesChatClientTests
{
    private static readonly ChatMessage[] Hi = [new(ChatRole.User, "Hi")];

    [Fact]
    public void GetServiceReturnsMetadataHttpClientAndItself()
    {
        using var http = new HttpClient(new FakeHttpHandler());
        using var client = new QwenResponsesChatClient(new QwenClientOptions { ApiKey = TestClient.ApiKey, DefaultModelId = "qwen3.5-plus", Endpoint = QwenEndpoints.Beijing }, http);

        var metadata = Assert.IsType<ChatClientMetadata>(client.GetService(typeof(ChatClientMetadata)));
        Assert.Equal(("qwen", QwenEndpoints.Beijing, "qwen3.5-plus"), (metadata.ProviderName, metadata.ProviderUri, metadata.DefaultModelId));
        Assert.Same(http, client.GetService(typeof(HttpClient)));
        Assert.Same(client, client.GetService(typeof(IChatClient)));
        Assert.Null(client.GetService(typeof(ChatClientMetadata), "key"));
        Assert.DoesNotContain(TestClient.ApiKey, client.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidOptionsFailAtConstruction()
    {
        Assert.Throws<ArgumentNullException>(() => new QwenResponsesChatClient(null!));
        Assert.Throws<ArgumentException>(() => new QwenResponsesChatClient(new QwenClientOptions { ApiKey = TestClient.ApiKey, DefaultModelId = " " }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new QwenResponsesChatClient(new QwenClientOptions { ApiKey = TestClient.ApiKey, MaxRetries = -1 }));
    }

    [Fact]
    public async Task NoModelIsAnInvalidOperation()
    {
        using var client = new QwenResponsesChatClient(new QwenClientOptions { ApiKey = TestClient.ApiKey }, new HttpClient(new FakeHttpHandler()));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync(Hi));
    }

    [Fact]
    public async Task StoredResponseIsRetrievedByGet()
    {
        var handler = new FakeHttpHandler(CannedResponse.JsonFixture("ResponsesApi/capture-reasoning-response.json"));
        using var client = Create(handler);

        var response = await client.GetStoredResponseAsync("resp_b7f63a50-d3ca-96e4-a352-bef7e911ae32");

        var request = handler.SingleRequest;
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("https://dashscope-intl.aliyuncs.com/compatible-mode/v1/responses/resp_b7f63a50-d3ca-96e4-a352-bef7e911ae32", request.Uri.ToString());
        Assert.Empty(request.Body);
        Assert.Equal("Bearer " + TestClient.ApiKey, request.Header("Authorization"));
        Assert.Equal("The capital of France is **Paris**.", response.Text);
        Assert.Equal("resp_b7f63a50-d3ca-96e4-a352-bef7e911ae32", response.ConversationId);
    }

    [Fact]
    public async Task StoredResponseNotFoundIsAQwenApiException()
    {
        var body = """{"request_id":"r-404","code":"NotFound","message":"Response with id 'resp_xxx' not found."}""";
        var handler = new FakeHttpHandler(CannedResponse.Json(body, HttpStatusCode.NotFound, requestId: null));
        using var client = Create(handler);

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.GetStoredResponseAsync("resp_xxx"));

        Assert.Equal((HttpStatusCode.NotFound, "NotFound", "Response with id 'resp_xxx' not found.", "r-404"), (ex.StatusCode!.Value, ex.ErrorCode, ex.ServiceMessage, ex.RequestId));
    }

    [Fact]
    public async Task StoredResponseIsDeletedByDelete()
    {
        var handler = new FakeHttpHandler(CannedResponse.Json("""{"id":"resp_1","deleted":true}"""), CannedResponse.Json("""{"id":"resp 2","deleted":false}"""));
        using var client = Create(handler);

        Assert.True(await client.DeleteStoredResponseAsync("resp_1"));
        Assert.False(await client.DeleteStoredResponseAsync("resp 2"));

        Assert.Equal(HttpMethod.Delete, handler.Requests[0].Method);
        Assert.Equal("https://dashscope-intl.aliyuncs.com/compatible-mode/v1/responses/resp_1", handler.Requests[0].Uri.ToString());
        Assert.Equal("/compatible-mode/v1/responses/resp%202", handler.Requests[1].Uri.AbsolutePath);
    }

    [Fact]
    public async Task BlankResponseIdIsRefused()
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetStoredResponseAsync(" "));
        await Assert.ThrowsAsync<ArgumentException>(() => client.DeleteStoredResponseAsync(""));
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.GetStoredResponseAsync(null!));
        Assert.Equal(0, handler.RequestCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FunctionInvocationLoopContinuesOnTheServer(bool streaming)
    {
        var handler = new FakeHttpHandler(
            ResponsesStreams.Answer(FunctionCallResponse("resp_1", "call_1", "get_weather", """{"city":"Paris"}"""), streaming),
            ResponsesStreams.Answer(Response("Sunny in Paris.", "resp_2"), streaming));
        using var inner = Create(handler);
        using var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();
        var weather = AIFunctionFactory.Create((string city) => "sunny in " + city, "get_weather");
        var options = new ChatOptions { Tools = [weather], Instructions = "Answer briefly." };

        var response = await TestClient.GetAsync(client, [new ChatMessage(ChatRole.User, "Weather in Paris?")], options, streaming);

        Assert.Equal("Sunny in Paris.", response.Text);
        Assert.Equal("resp_2", response.ConversationId);
        Assert.Equal(2, handler.RequestCount);

        // The second turn sends only what the server does not have (the tool result), the previous id, and the instructions again.
        var second = handler.Requests[1].Json;
        Assert.Equal("resp_1", second.GetProperty("previous_response_id").GetString());
        Assert.Equal("Answer briefly.", second.GetProperty("instructions").GetString());
        JsonAssert.Equal("""[{"type":"function_call_output","call_id":"call_1","output":"sunny in Paris"}]""", second.GetProperty("input"));
        Assert.False(handler.Requests[0].Json.TryGetProperty("previous_response_id", out _));
    }

    [Fact]
    public async Task FunctionInvocationLoopWithStoreFalseResendsTheHistory()
    {
        var handler = new FakeHttpHandler(
            CannedResponse.Json(FunctionCallResponse("resp_1", "call_1", "get_weather", """{"city":"Paris"}""")),
            CannedResponse.Json(Response("Sunny.", "resp_2")));
        using var inner = Create(handler);
        using var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();
        var weather = AIFunctionFactory.Create((string city) => "sunny in " + city, "get_weather");

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Weather in Paris?")], new ChatOptions { Tools = [weather], AdditionalProperties = new() { ["store"] = false } });

        Assert.Null(response.ConversationId);
        var second = handler.Requests[1].Json;
        Assert.False(second.TryGetProperty("previous_response_id", out _));
        Assert.Equal(3, second.GetProperty("input").GetArrayLength());
    }
}
