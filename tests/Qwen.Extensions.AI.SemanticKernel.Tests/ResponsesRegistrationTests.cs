using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Services;

namespace Qwen.Extensions.AI.SemanticKernel.Tests;

/// <summary>AddQwenResponsesChatCompletion: the Responses client under SK's function invocation, keyed by service id, next to the chat one.</summary>
public sealed class ResponsesRegistrationTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;

    public async Task InitializeAsync() => _server = await EmulatorServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void TheKernelServiceRunsTheResponsesClientUnderSKFunctionInvocationNextToTheChatOne()
    {
        var kernel = Kernel.CreateBuilder()
            .AddQwenChatCompletion("qwen-plus", _server.ApiKey, _server.Endpoint)
            .AddQwenResponsesChatCompletion("qwen3.5-plus", _server.ApiKey, _server.Endpoint, serviceId: "responses")
            .Build();

        var responses = Assert.IsType<QwenChatCompletionService>(kernel.GetRequiredService<IChatCompletionService>("responses"));
        var chat = Assert.IsType<QwenChatCompletionService>(kernel.GetRequiredService<IChatCompletionService>());

        Assert.NotNull(responses.ChatClient.GetService<QwenResponsesChatClient>());
        Assert.Null(responses.ChatClient.GetService<QwenChatClient>());
        Assert.NotNull(responses.ChatClient.GetService<FunctionInvokingChatClient>());
        Assert.NotNull(chat.ChatClient.GetService<QwenChatClient>());
        Assert.Equal("qwen3.5-plus", responses.GetModelId());
        Assert.Equal("qwen-plus", chat.GetModelId());
    }

    [Fact]
    public async Task APromptGoesToResponsesThroughThePassedHttpClient()
    {
        var recorder = new RecordingHandler { InnerHandler = new HttpClientHandler() };
        using var httpClient = new HttpClient(recorder);
        var kernel = Kernel.CreateBuilder().AddQwenResponsesChatCompletion("qwen3.5-plus", _server.ApiKey, _server.Endpoint, httpClient: httpClient).Build();

        var result = await kernel.InvokePromptAsync("What is 6 * 7?");

        Assert.Equal("6 * 7 = 42.", result.ToString());
        Assert.Empty(_server.Requests); // nothing went to chat completions
        var request = Assert.Single(recorder.Requests);
        Assert.EndsWith("/responses", request.Path, StringComparison.Ordinal);
        Assert.Equal("qwen3.5-plus", request.Body.GetProperty("model").GetString());
    }

    [Fact]
    public void TheServiceCollectionOverloadRegistersOnlyIChatCompletionService()
    {
        var services = new ServiceCollection();
        services.AddQwenResponsesChatCompletion(o => { o.ApiKey = _server.ApiKey; o.Endpoint = _server.Endpoint; o.DefaultModelId = "qwen3.5-flash"; });
        using var provider = services.BuildServiceProvider();

        var service = Assert.IsType<QwenChatCompletionService>(provider.GetRequiredService<IChatCompletionService>());

        Assert.NotNull(service.ChatClient.GetService<QwenResponsesChatClient>());
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IChatClient));
        Assert.Equal(_server.Endpoint.ToString(), service.GetEndpoint());
    }

    [NoApiKeyEnvironmentFact]
    public void WithoutAKeyTheMessageNamesTheResponsesRegistration()
    {
        var kernel = Kernel.CreateBuilder().AddQwenResponsesChatCompletion("qwen3.5-plus", serviceId: "agent").Build();

        var ex = Assert.Throws<InvalidOperationException>(() => kernel.GetRequiredService<IChatCompletionService>("agent"));

        Assert.Contains("The Qwen Responses chat completion service 'agent'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AddQwenResponsesChatCompletion", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DASHSCOPE_API_KEY", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABlankModelIsRefused()
    {
        Assert.Equal("modelId", Assert.Throws<ArgumentException>(() => Kernel.CreateBuilder().AddQwenResponsesChatCompletion(" ", "sk-test")).ParamName);

        var kernel = Kernel.CreateBuilder().AddQwenResponsesChatCompletion(o => o.ApiKey = "sk-test").Build();
        var ex = Assert.Throws<InvalidOperationException>(() => kernel.GetRequiredService<IChatCompletionService>());

        Assert.Contains("The Qwen Responses chat completion service has no model", ex.Message, StringComparison.Ordinal);
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
