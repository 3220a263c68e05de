using System.Text.Json;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Qwen.Extensions.AI.SemanticKernel.Tests.Infrastructure;

namespace Qwen.Extensions.AI.SemanticKernel.Tests;

/// <summary>AddQwenChatCompletion wires SK's function invocation: Auto/Required/None and filters, streaming and not.</summary>
public sealed class KernelFunctionInvocationTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;
    private readonly WeatherPlugin _weather = new();
    private readonly AlertsPlugin _alerts = new();
    private Kernel _kernel = null!;

    public async Task InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync();
        var builder = Kernel.CreateBuilder().AddQwenChatCompletion("qwen-plus", _server.ApiKey, _server.Endpoint);
        builder.Plugins.AddFromObject(_weather, "Weather");
        builder.Plugins.AddFromObject(_alerts, "Alerts");
        _kernel = builder.Build();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private IChatCompletionService Chat => _kernel.GetRequiredService<IChatCompletionService>();

    private static PromptExecutionSettings Settings(FunctionChoiceBehavior behavior) => new() { FunctionChoiceBehavior = behavior };

    [Fact]
    public async Task AutoInvokesThePluginFunctionWithTheModelArgumentsAndSendsTheResultBack()
    {
        _server.Enqueue(Reply.Call("Weather_GetForecast", """{"city":"Hangzhou","days":3}"""), Reply.Text("It will be sunny."));
        var history = new ChatHistory("You are helpful.");
        history.AddUserMessage("Weather in Hangzhou for 3 days?");

        var result = await Chat.GetChatMessageContentAsync(history, Settings(FunctionChoiceBehavior.Auto()), _kernel);

        Assert.Equal("It will be sunny.", result.Content);
        Assert.Equal([("Hangzhou", 3)], _weather.Calls);
        Assert.Equal(2, _server.Requests.Count);
        var first = _server.Requests[0];
        Assert.Equal("auto", first.GetProperty("tool_choice").GetString());
        var names = first.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString()).ToList();
        Assert.Contains("Weather_GetForecast", names);
        Assert.Contains("Alerts_Subscribe", names);
        var toolMessage = _server.Requests[1].GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("role").GetString() == "tool");
        Assert.Equal("call_1", toolMessage.GetProperty("tool_call_id").GetString());
        Assert.Contains("Hangzhou: sunny for 3 days", toolMessage.GetProperty("content").GetString());

        // SK's history holds the call and the result as their own messages.
        Assert.Contains(history, m => m.Items.OfType<Microsoft.SemanticKernel.FunctionCallContent>().Any(c => c.FunctionName.EndsWith("GetForecast", StringComparison.Ordinal) && c.Id == "call_1"));
        Assert.Contains(history, m => m.Items.OfType<Microsoft.SemanticKernel.FunctionResultContent>().Any());
    }

    [Fact]
    public async Task AutoInvokesThePluginFunctionWhenStreaming()
    {
        _server.Enqueue(Reply.Call("Weather_GetForecast", """{"city":"Beijing","days":2}""", id: "call_s"), Reply.Text("Streaming sunny."));
        var history = new ChatHistory();
        history.AddUserMessage("Weather in Beijing for 2 days?");

        var text = string.Concat(await Chat.GetStreamingChatMessageContentsAsync(history, Settings(FunctionChoiceBehavior.Auto()), _kernel).Select(u => u.Content).ToListAsync());

        Assert.Equal("Streaming sunny.", text);
        Assert.Equal([("Beijing", 2)], _weather.Calls);
        Assert.All(_server.Requests, r => Assert.True(r.GetProperty("stream").GetBoolean()));
        var toolMessage = _server.Requests[1].GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("role").GetString() == "tool");
        Assert.Equal("call_s", toolMessage.GetProperty("tool_call_id").GetString());
    }

    [Fact]
    public async Task AParameterNamedConditionReachesTheSchemaAndTheFunction()
    {
        _server.Enqueue(Reply.Call("Alerts_Subscribe", """{"condition":"rain"}"""), Reply.Text("Done."));

        var result = await _kernel.InvokePromptAsync("Alert me when it rains.", new KernelArguments(Settings(FunctionChoiceBehavior.Auto())));

        Assert.Equal("Done.", result.ToString());
        Assert.Equal(["rain"], _alerts.Conditions);
        var tool = _server.Requests[0].GetProperty("tools").EnumerateArray().Single(t => t.GetProperty("function").GetProperty("name").GetString() == "Alerts_Subscribe");
        var properties = tool.GetProperty("function").GetProperty("parameters").GetProperty("properties");
        Assert.Equal("string", properties.GetProperty("condition").GetProperty("type").GetString());
    }

    [Fact]
    public async Task APromptTemplateJSONConfigWithFunctionChoiceBehaviorAndQwenSettingsInvokesTheFunction()
    {
        var function = KernelFunctionFactory.CreateFromPrompt(PromptTemplateConfig.FromJson("""
            {
              "name": "Forecast",
              "template": "What is the forecast for {{$city}}?",
              "execution_settings": {
                "default": { "function_choice_behavior": { "type": "auto" }, "enable_thinking": false, "top_k": 10 }
              }
            }
            """));
        _server.Enqueue(Reply.Call("Weather_GetForecast", """{"city":"Chengdu","days":4}"""), Reply.Text("Cloudy."));

        var result = await _kernel.InvokeAsync(function, new KernelArguments { ["city"] = "Chengdu" });

        Assert.Equal("Cloudy.", result.ToString());
        Assert.Equal([("Chengdu", 4)], _weather.Calls);
        var first = _server.Requests[0];
        Assert.Equal("auto", first.GetProperty("tool_choice").GetString());
        Assert.Equal(JsonValueKind.False, first.GetProperty("enable_thinking").ValueKind);
        Assert.Equal("10", first.GetProperty("top_k").GetRawText());
    }

    [Fact]
    public async Task AnAutoFunctionInvocationFilterRunsAndCanTerminateTheLoop()
    {
        var filter = new TerminatingFilter();
        _kernel.AutoFunctionInvocationFilters.Add(filter);
        _server.Enqueue(Reply.Call("Weather_GetForecast", """{"city":"Shanghai","days":1}"""), Reply.Text("never sent"));
        var history = new ChatHistory();
        history.AddUserMessage("Weather in Shanghai?");

        var result = await Chat.GetChatMessageContentAsync(history, Settings(FunctionChoiceBehavior.Auto()), _kernel);

        Assert.Equal(["Weather_GetForecast"], filter.Seen);
        Assert.Equal([("Shanghai", 1)], _weather.Calls);
        Assert.Single(_server.Requests); // terminated: the result is not sent back to the model
        Assert.Contains("Shanghai: sunny for 1 days", result.Items.OfType<Microsoft.SemanticKernel.FunctionResultContent>().Single().Result?.ToString());
    }

    [Fact]
    public async Task AnAutoFunctionInvocationFilterTerminatesWhenStreaming()
    {
        var filter = new TerminatingFilter();
        _kernel.AutoFunctionInvocationFilters.Add(filter);
        _server.Enqueue(Reply.Call("Weather_GetForecast", """{"city":"Shanghai","days":1}"""), Reply.Text("never sent"));
        var history = new ChatHistory();
        history.AddUserMessage("Weather in Shanghai?");

        var updates = await Chat.GetStreamingChatMessageContentsAsync(history, Settings(FunctionChoiceBehavior.Auto()), _kernel).ToListAsync();

        Assert.Equal(["Weather_GetForecast"], filter.Seen);
        Assert.Single(_server.Requests);
        Assert.DoesNotContain(updates, u => u.Content == "never sent");
    }

    [Fact]
    public async Task RequiredSendsToolChoiceRequiredAndInvokesTheFunction()
    {
        _server.Enqueue(Reply.Call("Weather_GetForecast", """{"city":"Xian","days":5}"""), Reply.Text("Fine."));
        var history = new ChatHistory();
        history.AddUserMessage("Weather?");

        var result = await Chat.GetChatMessageContentAsync(history, Settings(FunctionChoiceBehavior.Required()), _kernel);

        Assert.Equal("Fine.", result.Content);
        Assert.Equal([("Xian", 5)], _weather.Calls);
        Assert.Equal("required", _server.Requests[0].GetProperty("tool_choice").GetString());

        // After the required call the model must be free to answer, or the loop would never end.
        var second = _server.Requests[1];
        Assert.False(second.TryGetProperty("tool_choice", out var choice) && choice.ValueKind == JsonValueKind.String && choice.GetString() == "required");
    }

    [Fact]
    public async Task RequiredWithNamedFunctionsAdvertisesOnlyThose()
    {
        var only = _kernel.Plugins.GetFunction("Alerts", "Subscribe");
        _server.Enqueue(Reply.Text("No call."));
        var history = new ChatHistory();
        history.AddUserMessage("Alert me.");

        await Chat.GetChatMessageContentAsync(history, Settings(FunctionChoiceBehavior.Required([only])), _kernel);

        var names = _server.Requests[0].GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString()).ToList();
        Assert.Equal(["Alerts_Subscribe"], names);
    }

    [Fact]
    public async Task NoneAdvertisesTheFunctionsWithToolChoiceNoneAndInvokesNothing()
    {
        _server.Enqueue(Reply.Text("I would call the weather function."));
        var history = new ChatHistory();
        history.AddUserMessage("Which function would you call?");

        var result = await Chat.GetChatMessageContentAsync(history, Settings(FunctionChoiceBehavior.None()), _kernel);

        Assert.Equal("I would call the weather function.", result.Content);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("none", request.GetProperty("tool_choice").GetString());
        Assert.Equal(2, request.GetProperty("tools").GetArrayLength());
        Assert.Empty(_weather.Calls);
    }

    [Fact]
    public async Task WithoutAFunctionChoiceBehaviorNoToolsAreSent()
    {
        var history = new ChatHistory();
        history.AddUserMessage("Hi");

        await Chat.GetChatMessageContentAsync(history, new PromptExecutionSettings(), _kernel);

        Assert.False(_server.Requests[0].TryGetProperty("tools", out _));
    }

    private sealed class TerminatingFilter : IAutoFunctionInvocationFilter
    {
        public List<string> Seen { get; } = [];

        public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
        {
            Seen.Add($"{context.Function.PluginName}_{context.Function.Name}");
            await next(context);
            context.Terminate = true;
        }
    }
}
