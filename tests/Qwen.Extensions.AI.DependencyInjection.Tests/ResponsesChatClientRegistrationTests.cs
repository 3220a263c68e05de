using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Qwen.Extensions.AI.DependencyInjection.Tests;

/// <summary>AddQwenResponsesChatClient: its own configuration section and HttpClient name next to the chat client, keyed clients, MEAI middleware, misconfiguration.</summary>
public sealed class ResponsesChatClientRegistrationTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;

    public async Task InitializeAsync() => _server = await EmulatorServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void TheResponsesSectionIsBoundApartFromTheChatSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Qwen:ApiKey"] = _server.ApiKey,
            ["Qwen:Endpoint"] = _server.Endpoint.ToString(),
            ["Qwen:DefaultModelId"] = "qwen-plus",
            ["Qwen:Responses:ApiKey"] = _server.ApiKey,
            ["Qwen:Responses:Endpoint"] = _server.Endpoint.ToString(),
            ["Qwen:Responses:DefaultModelId"] = "qwen3.5-plus",
        }).Build();
        var services = new ServiceCollection();
        services.AddQwenChatClient(configuration.GetSection(QwenChatClientServiceCollectionExtensions.DefaultSectionName));
        services.AddKeyedQwenResponsesChatClient("responses", configuration.GetSection(QwenResponsesChatClientServiceCollectionExtensions.DefaultSectionName));
        using var provider = services.BuildServiceProvider();

        var chat = provider.GetRequiredService<IChatClient>();
        var responses = provider.GetRequiredKeyedService<IChatClient>("responses");

        Assert.NotNull(chat.GetService<QwenChatClient>());
        Assert.NotNull(responses.GetService<QwenResponsesChatClient>());
        Assert.Equal("qwen-plus", chat.GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.Equal("qwen3.5-plus", responses.GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.Equal("qwen", responses.GetService<ChatClientMetadata>()!.ProviderName);
        Assert.Equal("Qwen:Responses", QwenResponsesChatClientServiceCollectionExtensions.DefaultSectionName);
    }

    [Fact]
    public void KeyedRegistrationsHaveTheirOwnHttpClientNameWithTheChatClientsSettings()
    {
        var services = new ServiceCollection();
        services.AddKeyedQwenResponsesChatClient("agent", o => { o.ApiKey = _server.ApiKey; o.Endpoint = _server.Endpoint; o.DefaultModelId = "qwen3.5-flash"; });
        services.AddQwenResponsesChatClient(o => { o.ApiKey = _server.ApiKey; o.Endpoint = _server.Endpoint; o.DefaultModelId = "qwen3.5-plus"; });
        using var provider = services.BuildServiceProvider();

        Assert.Equal("QwenResponses:agent", QwenResponsesChatClientServiceCollectionExtensions.GetHttpClientName("agent"));
        Assert.Equal("QwenResponses", QwenResponsesChatClientServiceCollectionExtensions.GetHttpClientName(null));
        Assert.Equal("qwen3.5-flash", provider.GetRequiredKeyedService<IChatClient>("agent").GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.Equal("qwen3.5-plus", provider.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.Equal(Timeout.InfiniteTimeSpan, provider.GetRequiredService<IHttpClientFactory>().CreateClient("QwenResponses:agent").Timeout);

        HttpMessageHandler? handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(QwenResponsesChatClientServiceCollectionExtensions.DefaultHttpClientName);
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler;
        }

        Assert.False(handler switch
        {
            SocketsHttpHandler sockets => sockets.AllowAutoRedirect,
            HttpClientHandler client => client.AllowAutoRedirect,
            _ => throw new InvalidOperationException($"unexpected primary handler {handler?.GetType()}"),
        });
    }

    [Fact]
    public void TheConfigureCallbackRunsAfterBindingAndTheBuilderAddsMiddleware()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Qwen:Responses:ApiKey"] = _server.ApiKey,
            ["Qwen:Responses:Endpoint"] = _server.Endpoint.ToString(),
            ["Qwen:Responses:DefaultModelId"] = "qwen3.5-plus",
        }).Build();
        var services = new ServiceCollection();
        services.AddQwenResponsesChatClient(configuration.GetSection("Qwen:Responses"), o => o.DefaultModelId = "qwen3.5-flash").UseFunctionInvocation();
        using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<IChatClient>();

        Assert.NotNull(client.GetService<FunctionInvokingChatClient>());
        Assert.Equal("qwen3.5-flash", client.GetService<ChatClientMetadata>()!.DefaultModelId);
    }

    [Fact]
    public async Task TheRegisteredClientSendsToResponsesThroughItsNamedHttpClientAndAToolLoopContinuesOnTheServer()
    {
        var recorder = new RecordingHandler();
        var services = new ServiceCollection();
        services.AddQwenChatClient(o => { o.ApiKey = _server.ApiKey; o.Endpoint = _server.Endpoint; o.DefaultModelId = "qwen-plus"; });
        services.AddKeyedQwenResponsesChatClient("agent", o => { o.ApiKey = _server.ApiKey; o.Endpoint = _server.Endpoint; o.DefaultModelId = "qwen3.5-plus"; })
            .UseFunctionInvocation();
        services.AddHttpClient(QwenResponsesChatClientServiceCollectionExtensions.GetHttpClientName("agent")).AddHttpMessageHandler(() => recorder);
        await using var provider = services.BuildServiceProvider();
        var tool = AIFunctionFactory.Create(([Description("city")] string city) => $"22C in {city}", "get_temperature", "Gets the temperature in a city.");

        var response = await provider.GetRequiredKeyedService<IChatClient>("agent")
            .GetResponseAsync("What is the temperature in Hangzhou?", new ChatOptions { Tools = [tool] });

        Assert.Contains("22C in Hangzhou", response.Text, StringComparison.Ordinal);
        Assert.NotNull(response.ConversationId);
        Assert.Empty(_server.Requests); // nothing went to chat completions
        Assert.Equal(2, recorder.Requests.Count);
        Assert.All(recorder.Requests, r => Assert.EndsWith("/responses", r.Path, StringComparison.Ordinal));
        Assert.Equal("qwen3.5-plus", recorder.Requests[0].Body.GetProperty("model").GetString());
        var second = recorder.Requests[1].Body;
        Assert.StartsWith("resp_", second.GetProperty("previous_response_id").GetString(), StringComparison.Ordinal);
        Assert.Equal("function_call_output", Assert.Single(second.GetProperty("input").EnumerateArray()).GetProperty("type").GetString());
    }

    [NoApiKeyEnvironmentFact]
    public void AMissingKeyNamesTheRegistrationAndTheSection()
    {
        var services = new ServiceCollection();
        services.AddKeyedQwenResponsesChatClient("agent", new ConfigurationBuilder().Build().GetSection("Qwen:Responses"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredKeyedService<IChatClient>("agent"));

        Assert.Contains("The Qwen Responses IChatClient with key 'agent' has no DashScope API key", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Qwen:Responses", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadEndpointNamesTheRegistrationAndTheSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Qwen:Responses:ApiKey"] = "sk-test",
            ["Qwen:Responses:Endpoint"] = "http://dashscope.example.com/compatible-mode/v1",
        }).Build();
        var services = new ServiceCollection();
        services.AddQwenResponsesChatClient(configuration.GetSection("Qwen:Responses"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IChatClient>());

        Assert.Contains("The Qwen Responses IChatClient is misconfigured in the configuration section 'Qwen:Responses'", ex.Message, StringComparison.Ordinal);
    }

    private sealed class RecordingHandler : DelegatingHandler
    {
        public List<(string Path, JsonElement Body)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? default : JsonDocument.Parse(await request.Content.ReadAsStringAsync(cancellationToken)).RootElement.Clone();
            lock (Requests)
            {
                Requests.Add((request.RequestUri!.AbsolutePath, body));
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
