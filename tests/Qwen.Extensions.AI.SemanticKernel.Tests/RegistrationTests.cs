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
    public async Task TheServiceCollectionOverloadRegistersOnlyIChatCompletionServiceAsSKConnectorsDo()
    {
        // Issue 10, item 17: this test used to assert an unkeyed IChatClient was registered too; that registration replaced the
        // app's own IChatClient. SK's connectors register the IChatCompletionService only, and so does this one now.
        var services = new ServiceCollection();
        services.AddQwenChatCompletion(o => { o.ApiKey = _server.ApiKey; o.Endpoint = _server.Endpoint; o.DefaultModelId = "qwen-plus"; });
        services.AddKernel();
        await using var provider = services.BuildServiceProvider();

        var kernel = provider.GetRequiredService<Kernel>();
        _server.Enqueue(Reply.Text("ok"));
        var result = await kernel.InvokePromptAsync("Hi");

        Assert.Equal("ok", result.ToString());
        Assert.Null(provider.GetService<IChatClient>());
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IChatClient));
        Assert.Equal(_server.Endpoint.ToString(), provider.GetRequiredService<IChatCompletionService>().GetEndpoint());
    }

    [Fact]
    public async Task AddQwenChatCompletionAfterAddQwenChatClientLeavesTheAppsIChatClientInPlace()
    {
        var services = new ServiceCollection();
        services.AddQwenChatClient(o => { o.ApiKey = _server.ApiKey; o.Endpoint = _server.Endpoint; o.DefaultModelId = "qwen-turbo"; });
        services.AddQwenChatCompletion(o => { o.ApiKey = _server.ApiKey; o.Endpoint = _server.Endpoint; o.DefaultModelId = "qwen3-max"; });
        services.AddKernel();
        await using var provider = services.BuildServiceProvider();

        var appClient = provider.GetRequiredService<IChatClient>();
        _server.Enqueue(Reply.Text("app"), Reply.Text("kernel"));
        var app = await appClient.GetResponseAsync("Hi");
        var kernel = await provider.GetRequiredService<Kernel>().InvokePromptAsync("Hi");

        Assert.Equal("app", app.Text);
        Assert.Equal("kernel", kernel.ToString());
        Assert.Equal(["qwen-turbo", "qwen3-max"], _server.Requests.Select(r => r.GetProperty("model").GetString()));
        Assert.Null(appClient.GetService<FunctionInvokingChatClient>()); // the app's pipeline, not SK's
        Assert.Single(services, d => d.ServiceType == typeof(IChatClient));
    }

    [Fact]
    public void TheKernelServiceRunsQwenUnderSKFunctionInvocation()
    {
        var kernel = Kernel.CreateBuilder().AddQwenChatCompletion("qwen-plus", _server.ApiKey, _server.Endpoint).Build();

        var service = Assert.IsType<QwenChatCompletionService>(kernel.GetRequiredService<IChatCompletionService>());

        Assert.NotNull(service.ChatClient.GetService<QwenChatClient>());
        Assert.NotNull(service.ChatClient.GetService<FunctionInvokingChatClient>()); // SK's KernelFunctionInvokingChatClient derives from it
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
