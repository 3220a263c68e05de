using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Services;
using Qwen.Extensions.AI.SemanticKernel.Tests.Infrastructure;

namespace Qwen.Extensions.AI.SemanticKernel.Tests;

/// <summary>What AddQwenChatCompletion registers, keyed by service id, through the kernel builder and the service collection.</summary>
public sealed class RegistrationTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;

    public async Task InitializeAsync() => _server = await EmulatorServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ServiceIdsSelectTheModelThroughExecutionSettings()
    {
        var kernel = Kernel.CreateBuilder()
            .AddQwenChatCompletion("qwen-turbo", _server.ApiKey, _server.Endpoint, serviceId: "fast")
            .AddQwenChatCompletion("qwen3-max", _server.ApiKey, _server.Endpoint, serviceId: "smart")
            .Build();

        await kernel.InvokePromptAsync("Hi", new KernelArguments(new PromptExecutionSettings { ServiceId = "smart" }));
        await kernel.InvokePromptAsync("Hi", new KernelArguments(new PromptExecutionSettings { ServiceId = "fast" }));

        Assert.Equal(["qwen3-max", "qwen-turbo"], _server.Requests.Select(r => r.GetProperty("model").GetString()));
        Assert.Equal("qwen3-max", kernel.GetRequiredService<IChatCompletionService>("smart").GetModelId());
    }

    [Fact]
    public async Task TheServiceCollectionOverloadRegistersIChatClientAndIChatCompletionServiceSharingOnePipeline()
    {
        var services = new ServiceCollection();
        services.AddQwenChatCompletion(o => { o.ApiKey = _server.ApiKey; o.Endpoint = _server.Endpoint; o.DefaultModelId = "qwen-plus"; });
        services.AddKernel();
        await using var provider = services.BuildServiceProvider();

        var chatClient = provider.GetRequiredService<IChatClient>();
        var kernel = provider.GetRequiredService<Kernel>();
        _server.Enqueue(Reply.Text("ok"));
        var result = await kernel.InvokePromptAsync("Hi");

        Assert.Equal("ok", result.ToString());
        Assert.NotNull(chatClient.GetService<QwenChatClient>());
        Assert.NotNull(chatClient.GetService<FunctionInvokingChatClient>()); // SK's KernelFunctionInvokingChatClient derives from it
        Assert.Equal(_server.Endpoint.ToString(), provider.GetRequiredService<IChatCompletionService>().GetEndpoint());
    }

    [Fact]
    public async Task AnHttpClientPassedToTheRegistrationIsUsed()
    {
        var handler = new CountingHandler { InnerHandler = new HttpClientHandler() };
        using var httpClient = new HttpClient(handler);
        var kernel = Kernel.CreateBuilder().AddQwenChatCompletion("qwen-plus", _server.ApiKey, _server.Endpoint, httpClient: httpClient).Build();

        await kernel.InvokePromptAsync("Hi");

        Assert.Equal(1, handler.Count);
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        public int Count { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Count++;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
