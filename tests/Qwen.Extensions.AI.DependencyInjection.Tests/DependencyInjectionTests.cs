using System.ComponentModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Qwen.Extensions.AI.DependencyInjection.Tests;

/// <summary>AddQwenChatClient: configuration binding, keyed clients, IHttpClientFactory handlers, MEAI middleware.</summary>
public sealed class DependencyInjectionTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;

    public async Task InitializeAsync() => _server = await EmulatorServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private IConfiguration Configuration(string prefix, string model, string? apiKey = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{prefix}:ApiKey"] = apiKey ?? _server.ApiKey,
            [$"{prefix}:Endpoint"] = _server.Endpoint.ToString(),
            [$"{prefix}:DefaultModelId"] = model,
        }).Build();

    [Fact]
    public async Task ConfigurationSectionIsBoundToKeyEndpointAndModel()
    {
        var services = new ServiceCollection();
        services.AddQwenChatClient(Configuration("Qwen", "qwen-plus").GetSection("Qwen"));
        await using var provider = services.BuildServiceProvider();
        _server.Enqueue(Reply.Text("ok"));

        var client = provider.GetRequiredService<IChatClient>();
        var response = await client.GetResponseAsync("Hi");

        Assert.Equal("ok", response.Text);
        Assert.Equal("qwen-plus", _server.Requests.Single().GetProperty("model").GetString());
        Assert.Equal("Bearer " + _server.ApiKey, _server.Authorizations.Single());
        Assert.Equal("qwen", client.GetService<ChatClientMetadata>()!.ProviderName);
    }

    [Fact]
    public async Task ConfigureCallbackRunsAfterBinding()
    {
        var services = new ServiceCollection();
        services.AddQwenChatClient(Configuration("Qwen", "qwen-plus").GetSection("Qwen"), o => o.DefaultModelId = "qwen-max");
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IChatClient>().GetResponseAsync("Hi");

        Assert.Equal("qwen-max", _server.Requests.Single().GetProperty("model").GetString());
    }

    [Fact]
    public async Task KeyedRegistrationsAreIndependent()
    {
        var configuration = new ConfigurationBuilder().AddConfiguration(Configuration("Qwen:Fast", "qwen-turbo")).AddConfiguration(Configuration("Qwen:Smart", "qwen3-max")).Build();
        var services = new ServiceCollection();
        services.AddKeyedQwenChatClient("fast", configuration.GetSection("Qwen:Fast"));
        services.AddKeyedQwenChatClient("smart", configuration.GetSection("Qwen:Smart"));
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredKeyedService<IChatClient>("smart").GetResponseAsync("Hi");
        await provider.GetRequiredKeyedService<IChatClient>("fast").GetResponseAsync("Hi");

        Assert.Equal(["qwen3-max", "qwen-turbo"], _server.Requests.Select(r => r.GetProperty("model").GetString()));
        Assert.Null(provider.GetService<IChatClient>());
        Assert.NotSame(provider.GetRequiredKeyedService<IChatClient>("fast"), provider.GetRequiredKeyedService<IChatClient>("smart"));
    }

    [Fact]
    public async Task TheHttpClientComesFromIHttpClientFactorySoHandlersCanBeAddedPerRegistration()
    {
        var fastHandler = new CountingHandler();
        var services = new ServiceCollection();
        services.AddKeyedQwenChatClient("fast", o => { o.ApiKey = _server.ApiKey; o.Endpoint = _server.Endpoint; o.DefaultModelId = "qwen-turbo"; });
        services.AddQwenChatClient(o => { o.ApiKey = _server.ApiKey; o.Endpoint = _server.Endpoint; o.DefaultModelId = "qwen-plus"; });
        services.AddHttpClient(QwenChatClientServiceCollectionExtensions.GetHttpClientName("fast")).AddHttpMessageHandler(() => fastHandler);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredKeyedService<IChatClient>("fast").GetResponseAsync("Hi");
        await provider.GetRequiredService<IChatClient>().GetResponseAsync("Hi");

        Assert.Equal(1, fastHandler.Count);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal("Qwen:fast", QwenChatClientServiceCollectionExtensions.GetHttpClientName("fast"));
        Assert.Equal(Timeout.InfiniteTimeSpan, provider.GetRequiredService<IHttpClientFactory>().CreateClient("Qwen").Timeout);
    }

    [Fact]
    public async Task TheReturnedChatClientBuilderAddsMiddlewareAndFunctionInvocationRunsAToolLoop()
    {
        var services = new ServiceCollection();
        services.AddQwenChatClient(o => { o.ApiKey = _server.ApiKey; o.Endpoint = _server.Endpoint; o.DefaultModelId = "qwen-plus"; })
            .UseFunctionInvocation();
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IChatClient>();
        var calls = new List<string>();
        var tool = AIFunctionFactory.Create(([Description("city")] string city) => { calls.Add(city); return "22C"; }, "get_temperature");
        _server.Enqueue(Reply.Call("get_temperature", """{"city":"Hangzhou"}"""), Reply.Text("22 degrees."));

        var response = await client.GetResponseAsync("Temperature in Hangzhou?", new ChatOptions { Tools = [tool] });

        Assert.NotNull(client.GetService<FunctionInvokingChatClient>());
        Assert.Equal("22 degrees.", response.Text);
        Assert.Equal(["Hangzhou"], calls);
        var messages = _server.Requests[1].GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal("call_1", messages.Single(m => m.GetProperty("role").GetString() == "assistant").GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal("22C", messages.Single(m => m.GetProperty("role").GetString() == "tool").GetProperty("content").GetString());
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        private int _count;

        public int Count => _count;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
