using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Qwen.Extensions.AI.SemanticKernel.Tests.Infrastructure;

namespace Qwen.Extensions.AI.SemanticKernel.Tests;

/// <summary>The same registration against DashScope itself; skipped without DASHSCOPE_API_KEY.</summary>
public sealed class LiveTests
{
    private static Kernel CreateKernel(WeatherPlugin weather)
    {
        var endpoint = Environment.GetEnvironmentVariable("DASHSCOPE_ENDPOINT");
        var builder = Kernel.CreateBuilder().AddQwenChatCompletion(
            Environment.GetEnvironmentVariable("DASHSCOPE_CHAT_MODEL") ?? "qwen-plus", endpoint: endpoint is null ? null : new Uri(endpoint));
        builder.Plugins.AddFromObject(weather, "Weather");
        return builder.Build();
    }

    [LiveFact]
    public async Task LiveStreamingWithThinkingInvokesAKernelFunctionAndShowsReasoning()
    {
        var weather = new WeatherPlugin();
        var kernel = CreateKernel(weather);
        var history = new ChatHistory();
        history.AddUserMessage("Use the tool: what is the 2-day forecast for Hangzhou?");
        var settings = new QwenPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(), EnableThinking = true, ThinkingBudget = 256 };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        var updates = await kernel.GetRequiredService<IChatCompletionService>()
            .GetStreamingChatMessageContentsAsync(history, settings, kernel, cts.Token).ToListAsync(cts.Token);

        Assert.Contains(weather.Calls, c => c.City.Contains("Hangzhou", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(updates, u => u.Items.OfType<StreamingReasoningContent>().Any());
        Assert.False(string.IsNullOrWhiteSpace(string.Concat(updates.Select(u => u.Content))));
    }
}
