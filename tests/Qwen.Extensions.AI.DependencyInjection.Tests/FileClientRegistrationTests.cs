using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Qwen.Extensions.AI.DependencyInjection.Tests;

/// <summary>AddQwenFileClient: its own configuration section and HttpClient name, keyed clients, the named HttpClient, misconfiguration.</summary>
public sealed class FileClientRegistrationTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;

    public async Task InitializeAsync() => _server = await EmulatorServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task TheFilesSectionIsBoundAndADocumentIsAnsweredAboutByTheRegisteredChatClient()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Qwen:ApiKey"] = _server.ApiKey,
            ["Qwen:Endpoint"] = _server.Endpoint.ToString(),
            ["Qwen:DefaultModelId"] = "qwen-long",
            ["Qwen:Files:ApiKey"] = _server.ApiKey,
            ["Qwen:Files:Endpoint"] = _server.Endpoint.ToString(),
        }).Build();
        var services = new ServiceCollection();
        services.AddQwenChatClient(configuration.GetSection(QwenChatClientServiceCollectionExtensions.DefaultSectionName));
        services.AddQwenFileClient(configuration.GetSection(QwenFileClientServiceCollectionExtensions.DefaultSectionName));
        await using var provider = services.BuildServiceProvider();

        var files = provider.GetRequiredService<IHostedFileClient>();
        var document = await files.UploadAsync(new MemoryStream("The launch is planned for the ninth of May."u8.ToArray()), fileName: "plan.txt");
        var answer = await provider.GetRequiredService<IChatClient>().GetResponseAsync([new ChatMessage(ChatRole.User, [document, new TextContent("When is the launch planned?")])]);

        Assert.IsType<QwenFileClient>(files);
        Assert.Equal("According to plan.txt: \"The launch is planned for the ninth of May.\"", answer.Text);
        Assert.Equal("qwen", files.GetService<HostedFileClientMetadata>()?.ProviderName);
    }

    [Fact]
    public async Task TheChatSectionCanServeTheFileClientToo()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Qwen:ApiKey"] = _server.ApiKey,
            ["Qwen:Endpoint"] = _server.Endpoint.ToString(),
            ["Qwen:DefaultModelId"] = "qwen-long",
        }).Build();
        var services = new ServiceCollection();
        services.AddQwenFileClient(configuration.GetSection("Qwen"));
        await using var provider = services.BuildServiceProvider();

        var files = provider.GetRequiredService<IHostedFileClient>();

        Assert.Null(await files.GetFileInfoAsync("file-fe-000000000000000000000000"));
    }

    [Fact]
    public async Task AKeyedClientSendsThroughItsNamedHttpClient()
    {
        var services = new ServiceCollection();
        var sent = 0;
        services.AddKeyedQwenFileClient("docs", o => { o.ApiKey = _server.ApiKey; o.Endpoint = _server.Endpoint; });
        services.AddHttpClient(QwenFileClientServiceCollectionExtensions.GetHttpClientName("docs")).AddHttpMessageHandler(() => new CountingHandler(() => Interlocked.Increment(ref sent)));
        await using var provider = services.BuildServiceProvider();

        var files = provider.GetRequiredKeyedService<IHostedFileClient>("docs");
        var uploaded = await files.UploadAsync(new MemoryStream("x"u8.ToArray()), fileName: "x.md");

        Assert.StartsWith("file-fe-", uploaded.FileId, StringComparison.Ordinal);
        Assert.Equal(1, sent);
        Assert.Null(provider.GetService<IHostedFileClient>());
        Assert.Equal("QwenFiles:docs", QwenFileClientServiceCollectionExtensions.GetHttpClientName("docs"));
        Assert.Equal("QwenFiles", QwenFileClientServiceCollectionExtensions.GetHttpClientName(null));
    }

    [NoApiKeyEnvironmentFact]
    public async Task AMissingKeyNamesTheRegistrationAndSection()
    {
        var services = new ServiceCollection();
        services.AddKeyedQwenFileClient("docs", new ConfigurationBuilder().Build().GetSection("Qwen:Files"));
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredKeyedService<IHostedFileClient>("docs"));

        Assert.Contains("The Qwen file client with key 'docs' has no DashScope API key", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Qwen:Files", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMisconfiguredEndpointNamesWhereItCameFrom()
    {
        var services = new ServiceCollection();
        services.AddQwenFileClient(o => { o.ApiKey = _server.ApiKey; o.Endpoint = new Uri("/relative", UriKind.Relative); });
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IHostedFileClient>());

        Assert.Contains("The Qwen file client is misconfigured in the configure callback of AddQwenFileClient", ex.Message, StringComparison.Ordinal);
    }

    private sealed class CountingHandler(Action onSend) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            onSend();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
