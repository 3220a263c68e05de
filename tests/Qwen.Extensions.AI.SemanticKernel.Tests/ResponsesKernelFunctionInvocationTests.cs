using System.Text.Json;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Qwen.Extensions.AI.SemanticKernel.Tests.Infrastructure;

namespace Qwen.Extensions.AI.SemanticKernel.Tests;

/// <summary>
/// AddQwenResponsesChatCompletion under SK's <c>FunctionChoiceBehavior.Auto()</c>: the kernel function runs with the model's
/// arguments and its result goes back as a <c>function_call_output</c> item, with the whole SK history (SK keeps the conversation).
/// </summary>
public sealed class ResponsesKernelFunctionInvocationTests : IAsyncLifetime
{
    private readonly WeatherPlugin _weather = new();
    private EmulatorServer _server = null!;
    private Kernel _kernel = null!;

    public async Task InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync();
        var builder = Kernel.CreateBuilder().AddQwenResponsesChatCompletion("qwen3.5-plus", _server.ApiKey, _server.Endpoint);
        builder.Plugins.AddFromObject(_weather, "Weather");
        _kernel = builder.Build();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AutoInvokesThePluginFunctionAndSendsItsResultBack(bool streaming)
    {
        _server.Enqueue(Reply.Call("Weather_GetForecast", """{"city":"Hangzhou","days":3}"""), Reply.Text("It will be sunny."));
        var history = new ChatHistory("You are helpful.");
        history.AddUserMessage("Weather in Hangzhou for 3 days?");
        var chat = _kernel.GetRequiredService<IChatCompletionService>();
        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };

        var text = streaming
            ? string.Concat(await chat.GetStreamingChatMessageContentsAsync(history, settings, _kernel).Select(u => u.Content).ToListAsync())
            : (await chat.GetChatMessageContentAsync(history, settings, _kernel)).Content;

        Assert.Equal("It will be sunny.", text);
        Assert.Equal([("Hangzhou", 3)], _weather.Calls);
        var second = _server.ResponsesRequests[^1];
        Assert.False(second.TryGetProperty("previous_response_id", out _));
        var output = second.GetProperty("input").EnumerateArray().Single(i => i.TryGetProperty("type", out var t) && t.GetString() == "function_call_output");
        Assert.Equal("call_1", output.GetProperty("call_id").GetString());
        Assert.Contains("Hangzhou: sunny for 3 days", output.GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Array, second.GetProperty("input").ValueKind);
    }
}
