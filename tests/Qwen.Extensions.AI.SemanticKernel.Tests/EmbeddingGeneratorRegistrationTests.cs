using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace Qwen.Extensions.AI.SemanticKernel.Tests;

/// <summary>IKernelBuilder.AddQwenEmbeddingGenerator: keyed by service id, default dimensions, the DI package's plumbing underneath.</summary>
public sealed class EmbeddingGeneratorRegistrationTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;

    public async Task InitializeAsync() => _server = await EmulatorServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task TheKernelResolvesTheGeneratorByServiceIdWithItsDimensions()
    {
        var kernel = Kernel.CreateBuilder()
            .AddQwenEmbeddingGenerator("text-embedding-v4", _server.ApiKey, _server.Endpoint, dimensions: 512, serviceId: "docs")
            .AddQwenEmbeddingGenerator(o => { o.ApiKey = _server.ApiKey; o.Endpoint = _server.Endpoint; o.DefaultModelId = "text-embedding-v3"; })
            .Build();

        var docs = await kernel.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>("docs").GenerateAsync(["a", "b"]);
        var plain = await kernel.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["a"]);
        var explicitSize = await kernel.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>("docs")
            .GenerateAsync(["a"], new EmbeddingGenerationOptions { Dimensions = 64 });

        Assert.Equal([512, 512], docs.Select(e => e.Vector.Length));
        Assert.Equal(1024, plain[0].Vector.Length);
        Assert.Equal(64, explicitSize[0].Vector.Length);
        Assert.Equal(["text-embedding-v4", "text-embedding-v3", "text-embedding-v4"], _server.EmbeddingRequests.Select(r => r.GetProperty("model").GetString()));
    }

    [Fact]
    public void ABlankModelOrSizeIsRefusedAtRegistration()
    {
        Assert.Throws<ArgumentException>(() => Kernel.CreateBuilder().AddQwenEmbeddingGenerator(" "));
        Assert.Throws<ArgumentOutOfRangeException>(() => Kernel.CreateBuilder().AddQwenEmbeddingGenerator("text-embedding-v4", dimensions: 0));
    }
}
