using Microsoft.Extensions.AI;

namespace Qwen.Extensions.AI.Tests.Responses;

/// <summary>
/// <see cref="QwenResponsesChatClient"/> against DashScope: skipped without DASHSCOPE_API_KEY. DASHSCOPE_ENDPOINT picks the region
/// (default Singapore); DASHSCOPE_RESPONSES_MODEL the model (default qwen3.5-flash, a Responses model with the session cache).
/// </summary>
public sealed class ResponsesLiveTests
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "What is the capital of France? Answer in one word.")];

    private static QwenResponsesChatClient CreateClient()
    {
        var options = new QwenClientOptions
        {
            DefaultModelId = Environment.GetEnvironmentVariable("DASHSCOPE_RESPONSES_MODEL") is { Length: > 0 } model ? model : "qwen3.5-flash",
        };
        if (Environment.GetEnvironmentVariable("DASHSCOPE_ENDPOINT") is { Length: > 0 } endpoint)
        {
            options.Endpoint = new Uri(endpoint);
        }

        return new QwenResponsesChatClient(options);
    }

    [LiveFact]
    public async Task AnswersAndStoresTheResponse()
    {
        using var client = CreateClient();

        var response = await client.GetResponseAsync(Question, new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.None } });

        Assert.Contains("Paris", response.Text, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(response.ConversationId);
        Assert.True(response.Usage?.InputTokenCount > 0);

        var stored = await client.GetStoredResponseAsync(response.ResponseId!);
        Assert.Contains("Paris", stored.Text, StringComparison.OrdinalIgnoreCase);
    }

    [LiveFact]
    public async Task StreamsAndContinuesTheConversationById()
    {
        using var client = CreateClient();
        var options = new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.None } };

        var first = await client.GetStreamingResponseAsync(Question, options).ToChatResponseAsync();
        Assert.Contains("Paris", first.Text, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(first.ConversationId);

        options.ConversationId = first.ConversationId;
        var second = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Which country's capital did I ask about? One word.")], options);
        Assert.Contains("France", second.Text, StringComparison.OrdinalIgnoreCase);
    }

    [LiveFact]
    public async Task FunctionInvocationLoopRunsOnTheServerConversation()
    {
        using var client = new ChatClientBuilder(CreateClient()).UseFunctionInvocation().Build();
        var weather = AIFunctionFactory.Create((string city) => $"It is sunny in {city}.", "get_weather", "Gets the weather of a city.");

        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.User, "Use get_weather to tell me the weather in Paris.")],
            new ChatOptions { Tools = [weather], Reasoning = new ReasoningOptions { Effort = ReasoningEffort.None } });

        Assert.Contains("sunny", response.Text, StringComparison.OrdinalIgnoreCase);
    }

    [LiveFact]
    public async Task WebSearchAnswerCarriesItsSources()
    {
        using var client = CreateClient();

        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.User, "Search the web: what is the official website of Alibaba Cloud?")],
            new ChatOptions { Tools = [new HostedWebSearchTool()] });

        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        Assert.Contains(contents, c => c is WebSearchToolResultContent);
        Assert.Contains(contents.Where(c => c.Annotations is not null).SelectMany(c => c.Annotations!), a => a is CitationAnnotation { Url: not null });
    }
}
