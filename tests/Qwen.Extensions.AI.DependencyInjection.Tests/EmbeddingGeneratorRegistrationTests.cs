using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Qwen.Extensions.AI.DependencyInjection.Tests;

/// <summary>AddQwenEmbeddingGenerator: its own configuration section and HttpClient name, keyed generators, MEAI middleware, misconfiguration.</summary>
public sealed class EmbeddingGeneratorRegistrationTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;

    public async Task InitializeAsync() => _server = await EmulatorServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task TheEmbeddingsSectionIsBoundApartFromTheChatSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Qwen:ApiKey"] = _server.ApiKey,
            ["Qwen:Endpoint"] = _server.Endpoint.ToString(),
            ["Qwen:DefaultModelId"] = "qwen-plus",
            ["Qwen:Embeddings:ApiKey"] = _server.ApiKey,
            ["Qwen:Embeddings:Endpoint"] = _server.Endpoint.ToString(),
            ["Qwen:Embeddings:DefaultModelId"] = "text-embedding-v3",
        }).Build();
        var services = new ServiceCollection();
        services.AddQwenChatClient(configuration.GetSection(QwenChatClientServiceCollectionExtensions.DefaultSectionName));
        services.AddQwenEmbeddingGenerator(configuration.GetSection(QwenEmbeddingGeneratorServiceCollectionExtensions.DefaultSectionName));
        await using var provider = services.BuildServiceProvider();

        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var result = await generator.GenerateAsync(["hello"]);
        _server.Enqueue(Reply.Text("ok"));
        await provider.GetRequiredService<IChatClient>().GetResponseAsync("Hi");

        Assert.Equal(1024, result[0].Vector.Length);
        Assert.Equal("text-embedding-v3", Assert.Single(_server.EmbeddingRequests).GetProperty("model").GetString());
        Assert.Equal("qwen-plus", Assert.Single(_server.Requests).GetProperty("model").GetString());
        Assert.Equal("text-embedding-v3", generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);
    }

    [Fact]
    public async Task KeyedGeneratorsKeepTheirOwnSettingsAndMiddlewareApplies()
    {
        var services = new ServiceCollection();
        var calls = 0;
        services.AddKeyedQwenEmbeddingGenerator("small", o => { o.ApiKey = _server.ApiKey; o.Endpoint = _server.Endpoint; o.DefaultModelId = "text-embedding-v4"; })
            .ConfigureOptions(o => o.Dimensions ??= 256)
            .Use((values, options, inner, ct) =>
            {
                Interlocked.Increment(ref calls);
                return inner.GenerateAsync(values, options, ct);
            });
        services.AddQwenEmbeddingGenerator(o => { o.ApiKey = _server.ApiKey; o.Endpoint = _server.Endpoint; });
        await using var provider = services.BuildServiceProvider();

        var small = await provider.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>("small").GenerateAsync(["a"]);
        var plain = await provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["a"]);

        Assert.Equal(256, small[0].Vector.Length);
        Assert.Equal(1024, plain[0].Vector.Length);
        Assert.Equal(1, calls);
        Assert.Equal("QwenEmbeddings:small", QwenEmbeddingGeneratorServiceCollectionExtensions.GetHttpClientName("small"));
    }

    [NoApiKeyEnvironmentFact]
    public async Task AMissingKeyNamesTheRegistration()
    {
        var services = new ServiceCollection();
        services.AddKeyedQwenEmbeddingGenerator("docs", new ConfigurationBuilder().Build().GetSection("Qwen:Embeddings"));
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>("docs"));

        Assert.Contains("The Qwen embedding generator with key 'docs' has no DashScope API key", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Qwen:Embeddings", ex.Message, StringComparison.Ordinal);
    }
}
