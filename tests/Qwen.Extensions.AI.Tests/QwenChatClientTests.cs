using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.TestUtilities.TestClient;

namespace Qwen.Extensions.AI.Tests;

/// <summary>The client's contract: input checked before any request, GetService, ownership of the HttpClient, no key in ToString.</summary>
public sealed class QwenChatClientTests
{
    public static TheoryData<bool> BothPaths => new() { false, true };

    private static List<ChatMessage> Hi() => [new(ChatRole.User, "Hi")];

    private static async Task<TException> RefusedBeforeAnyRequestAsync<TException>(IEnumerable<ChatMessage> messages, ChatOptions? options, bool streaming, string? defaultModel = "qwen-plus")
        where TException : Exception
    {
        var handler = new FakeHttpHandler(CannedResponse.MinimalCompletion(), CannedResponse.MinimalStream());
        using var client = Create(handler, defaultModel);
        var ex = await Assert.ThrowsAsync<TException>(() => GetAsync(client, messages, options, streaming));
        Assert.Empty(handler.Requests);
        return ex;
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task NoModelAnywhereIsInvalidOperationBeforeAnyRequest(bool streaming)
    {
        var ex = await RefusedBeforeAnyRequestAsync<InvalidOperationException>(Hi(), null, streaming, defaultModel: null);
        Assert.Contains("ModelId", ex.Message);
        Assert.Contains("DefaultModelId", ex.Message);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task AWhitespaceModelIdIsRefused(bool streaming)
    {
        var ex = await RefusedBeforeAnyRequestAsync<ArgumentException>(Hi(), new ChatOptions { ModelId = "  " }, streaming);
        Assert.Contains("ModelId", ex.Message);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task TheModelFromOptionsIsEnoughWithoutADefault(bool streaming)
    {
        var handler = new FakeHttpHandler(streaming ? CannedResponse.MinimalStream() : CannedResponse.MinimalCompletion());
        using var client = Create(handler, defaultModelId: null);
        await GetAsync(client, Hi(), new ChatOptions { ModelId = "qwen-turbo" }, streaming);
        Assert.Equal("qwen-turbo", handler.SingleRequest.Json.GetProperty("model").GetString());
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task NullMessagesIsArgumentNull(bool streaming)
    {
        var ex = await RefusedBeforeAnyRequestAsync<ArgumentNullException>(null!, null, streaming);
        Assert.Equal("messages", ex.ParamName);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task AnEmptyMessageListIsRefused(bool streaming)
    {
        var ex = await RefusedBeforeAnyRequestAsync<ArgumentException>([], null, streaming);
        Assert.Equal("messages", ex.ParamName);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task ANullMessageInTheListIsRefusedNamingItsIndex(bool streaming)
    {
        var ex = await RefusedBeforeAnyRequestAsync<ArgumentException>([new(ChatRole.User, "Hi"), null!], null, streaming);
        Assert.Contains("messages[1]", ex.Message);
    }

    [Theory]
    [InlineData("application/pdf", false)]
    [InlineData("application/pdf", true)]
    [InlineData("audio/wav", false)]
    [InlineData("audio/mpeg", true)]
    [InlineData("text/plain", false)]
    public async Task UnsupportedDataContentMediaTypesAreRefusedNamingTheMediaType(string mediaType, bool streaming)
    {
        var ex = await RefusedBeforeAnyRequestAsync<NotSupportedException>(
            [new(ChatRole.User, [new TextContent("Read this"), new DataContent(new byte[] { 1, 2, 3 }, mediaType)])], null, streaming);
        Assert.Contains(mediaType, ex.Message);
        Assert.Contains("messages[0]", ex.Message);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task AnUnsupportedUriContentMediaTypeIsRefusedNamingTheMediaType(bool streaming)
    {
        var ex = await RefusedBeforeAnyRequestAsync<NotSupportedException>(
            [new(ChatRole.User, [new UriContent("https://example.com/doc.pdf", "application/pdf")])], null, streaming);
        Assert.Contains("application/pdf", ex.Message);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task AnUnsupportedAIContentIsRefusedNamingItsType(bool streaming)
    {
        var ex = await RefusedBeforeAnyRequestAsync<NotSupportedException>([new(ChatRole.User, [new CustomContent()])], null, streaming);
        Assert.Contains(nameof(CustomContent), ex.Message);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task ImagesInAnAssistantMessageAreRefused(bool streaming)
    {
        var ex = await RefusedBeforeAnyRequestAsync<NotSupportedException>(
            [new(ChatRole.User, "Hi"), new(ChatRole.Assistant, [new UriContent("https://example.com/a.png", "image/png")])], null, streaming);
        Assert.Contains("messages[1]", ex.Message);
        Assert.Contains(nameof(UriContent), ex.Message);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task MediaInASystemMessageIsRefused(bool streaming)
    {
        var ex = await RefusedBeforeAnyRequestAsync<NotSupportedException>(
            [new(ChatRole.System, [new UriContent("https://example.com/a.png", "image/png")]), new(ChatRole.User, "Hi")], null, streaming);
        Assert.Contains("messages[0]", ex.Message);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task TextInAToolMessageIsRefused(bool streaming)
    {
        var ex = await RefusedBeforeAnyRequestAsync<NotSupportedException>(
            [new(ChatRole.User, "Hi"), new(ChatRole.Tool, "a bare tool text")], null, streaming);
        Assert.Contains("messages[1]", ex.Message);
        Assert.Contains(nameof(TextContent), ex.Message);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task AnUnknownRoleIsRefusedNamingIt(bool streaming)
    {
        var ex = await RefusedBeforeAnyRequestAsync<NotSupportedException>([new(new ChatRole("developer"), "Hi")], null, streaming);
        Assert.Contains("developer", ex.Message);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task AToolResultThatAnswersNoCallIsRefused(bool streaming)
    {
        var ex = await RefusedBeforeAnyRequestAsync<ArgumentException>(
            [new(ChatRole.User, "Hi"), new(ChatRole.Tool, [new FunctionResultContent("call_missing", "x")])], null, streaming);
        Assert.Contains("call_missing", ex.Message);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task ADataUriOverTheServiceLimitIsRefusedBeforeEncoding(bool streaming)
    {
        var ex = await RefusedBeforeAnyRequestAsync<ArgumentException>(
            [new(ChatRole.User, [new DataContent(new byte[8 * 1024 * 1024], "image/png")])], null, streaming);
        Assert.Contains("10,485,760", ex.Message);
    }

    [Fact]
    public void StreamingValidatesAtTheCallNotAtFirstEnumeration()
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler, defaultModelId: null);
        Assert.Throws<InvalidOperationException>(() => client.GetStreamingResponseAsync(Hi()));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task EachEnumerationOfAStreamingResponseSendsANewRequest()
    {
        // MEAI's clients send on every enumeration of the returned sequence; ours did once and then threw.
        var handler = new FakeHttpHandler(CannedResponse.MinimalStream("one"), CannedResponse.MinimalStream("two"), CannedResponse.MinimalStream("three"));
        using var client = Create(handler);
        var updates = client.GetStreamingResponseAsync(Hi(), new ChatOptions { Temperature = 0.5f });
        Assert.Empty(handler.Requests);

        Assert.Equal("one", string.Concat((await DrainAsync(updates)).Select(u => u.Text)));
        Assert.Equal("two", string.Concat((await DrainAsync(updates)).Select(u => u.Text)));

        // An abandoned enumeration releases its answer, and the next one still sends the same body.
        await using (var e = updates.GetAsyncEnumerator())
        {
            Assert.True(await e.MoveNextAsync());
        }

        Assert.Equal(3, handler.Requests.Count);
        Assert.All(handler.Requests, r => JsonAssert.Equal(handler.Requests[0].BodyText, r.BodyText));
        Assert.True(handler.Requests[0].Json.GetProperty("stream").GetBoolean());
        Assert.Equal(0.5, handler.Requests[2].Json.GetProperty("temperature").GetDouble(), 3);
    }

    [Fact]
    public void GetServiceReturnsMetadataWithProviderEndpointAndDefaultModel()
    {
        using var client = Create(new FakeHttpHandler());
        var metadata = client.GetService<ChatClientMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("qwen", metadata.ProviderName);
        Assert.Equal(QwenEndpoints.Singapore, metadata.ProviderUri);
        Assert.Equal("qwen-plus", metadata.DefaultModelId);
    }

    [Fact]
    public void GetServiceReturnsTheClientItselfAndTheCallersHttpClient()
    {
        var httpClient = new HttpClient(new FakeHttpHandler());
        using var client = new QwenChatClient(new QwenClientOptions { ApiKey = ApiKey }, httpClient);

        Assert.Same(client, client.GetService<QwenChatClient>());
        Assert.Same(client, client.GetService<IChatClient>());
        Assert.Same(httpClient, client.GetService<HttpClient>());
        Assert.Null(client.GetService<QwenChatClient>("some-key"));
        Assert.Null(client.GetService<string>());
        Assert.Throws<ArgumentNullException>(() => client.GetService(null!));
    }

    [Fact]
    public void GetServiceThroughAPipelineStillFindsTheMetadata()
    {
        using var client = Create(new FakeHttpHandler());
        using var pipeline = new ChatClientBuilder(client).UseFunctionInvocation().Build();
        Assert.Equal("qwen", pipeline.GetService<ChatClientMetadata>()?.ProviderName);
        Assert.Same(client, pipeline.GetService<QwenChatClient>());
    }

    [Fact]
    public async Task TheCallersHttpClientIsNeverDisposed()
    {
        var handler = new FakeHttpHandler(CannedResponse.MinimalCompletion(), CannedResponse.MinimalCompletion("again"));
        var httpClient = new HttpClient(handler);
        var client = new QwenChatClient(new QwenClientOptions { ApiKey = ApiKey, DefaultModelId = "qwen-plus" }, httpClient);
        await client.GetResponseAsync(Hi());

        client.Dispose();

        Assert.False(handler.Disposed);
        using var second = new QwenChatClient(new QwenClientOptions { ApiKey = ApiKey, DefaultModelId = "qwen-plus" }, httpClient);
        Assert.Equal("again", (await second.GetResponseAsync(Hi())).Text);
        httpClient.Dispose();
        Assert.True(handler.Disposed);
    }

    [Fact]
    public void ToStringShowsEndpointAndModelButNeverTheKey()
    {
        var options = new QwenClientOptions { ApiKey = ApiKey, DefaultModelId = "qwen-plus" };
        using var client = new QwenChatClient(options, new HttpClient(new FakeHttpHandler()));

        Assert.DoesNotContain("sk-test", client.ToString());
        Assert.Contains("dashscope-intl.aliyuncs.com", client.ToString());
        Assert.Contains("qwen-plus", client.ToString());
        Assert.DoesNotContain("sk-test", options.ToString());
        Assert.Contains("***", options.ToString());
    }

    [Fact]
    public void AMissingKeyIsInvalidOperationNamingTheEnvironmentVariable()
    {
        var saved = Environment.GetEnvironmentVariable(QwenClientOptions.ApiKeyEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(QwenClientOptions.ApiKeyEnvironmentVariable, null);
            var ex = Assert.Throws<InvalidOperationException>(() => new QwenChatClient(new QwenClientOptions(), new HttpClient(new FakeHttpHandler())));
            Assert.Contains("DASHSCOPE_API_KEY", ex.Message);

            // The string constructor (the README's quick start) fails the same way for a null or empty key.
            Assert.Equal(ex.Message, Assert.Throws<InvalidOperationException>(() => new QwenChatClient(null!, "qwen-plus")).Message);
            Assert.Equal(ex.Message, Assert.Throws<InvalidOperationException>(() => new QwenChatClient(string.Empty, "qwen-plus")).Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(QwenClientOptions.ApiKeyEnvironmentVariable, saved);
        }
    }

    [Fact]
    public void TheStringConstructorFallsBackToTheEnvironmentKeyWhenGivenNullOrEmpty()
    {
        var saved = Environment.GetEnvironmentVariable(QwenClientOptions.ApiKeyEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(QwenClientOptions.ApiKeyEnvironmentVariable, "sk-from-env");
            Assert.Null(Record.Exception(() => new QwenChatClient(null!, "qwen-plus").Dispose()));
            Assert.Null(Record.Exception(() => new QwenChatClient(" ", "qwen-plus").Dispose()));
        }
        finally
        {
            Environment.SetEnvironmentVariable(QwenClientOptions.ApiKeyEnvironmentVariable, saved);
        }
    }

    [Fact]
    public async Task TheKeyFromTheEnvironmentIsSentAsBearer()
    {
        var saved = Environment.GetEnvironmentVariable(QwenClientOptions.ApiKeyEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(QwenClientOptions.ApiKeyEnvironmentVariable, "sk-from-env");
            var handler = new FakeHttpHandler(CannedResponse.MinimalCompletion());
            using var client = new QwenChatClient(new QwenClientOptions { DefaultModelId = "qwen-plus" }, new HttpClient(handler));
            await client.GetResponseAsync(Hi());
            Assert.Equal("Bearer sk-from-env", handler.SingleRequest.Header("Authorization"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(QwenClientOptions.ApiKeyEnvironmentVariable, saved);
        }
    }

    [Theory]
    [InlineData("ftp://dashscope-intl.aliyuncs.com/compatible-mode/v1")]
    [InlineData("http://dashscope-intl.aliyuncs.com/compatible-mode/v1")]
    public void UnsafeOrNonHttpEndpointsAreRefused(string endpoint)
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new QwenChatClient(new QwenClientOptions { ApiKey = ApiKey, Endpoint = new Uri(endpoint) }, new HttpClient(new FakeHttpHandler())));
        Assert.DoesNotContain(ApiKey, ex.Message);
    }

    [Fact]
    public void ARelativeEndpointIsRefused() =>
        Assert.Throws<ArgumentException>(() =>
            new QwenChatClient(new QwenClientOptions { ApiKey = ApiKey, Endpoint = new Uri("/compatible-mode/v1", UriKind.Relative) }, new HttpClient(new FakeHttpHandler())));

    [Fact]
    public void AKeyWithWhitespaceIsRefusedWithoutShowingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => new QwenChatClient(new QwenClientOptions { ApiKey = "sk-test abc\n" }, new HttpClient(new FakeHttpHandler())));
        Assert.DoesNotContain("sk-test", ex.Message);
    }

    private sealed class CustomContent : AIContent;
}
