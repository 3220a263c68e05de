using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Qwen.Extensions.AI.SemanticKernel.Tests.Infrastructure;

namespace Qwen.Extensions.AI.SemanticKernel.Tests;

/// <summary>SK drops MEAI's TextReasoningContent; the Qwen registration puts reasoning in Metadata and ReasoningContent items.</summary>
public sealed class ReasoningTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;
    private Kernel _kernel = null!;

    public async Task InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync();
        _kernel = Kernel.CreateBuilder().AddQwenChatCompletion("qwen3-max", _server.ApiKey, _server.Endpoint).Build();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static ChatHistory Ask()
    {
        var history = new ChatHistory();
        history.AddUserMessage("What is 17 * 3?");
        return history;
    }

    [Fact]
    public async Task ReasoningIsInMetadataAndAReasoningContentItemOfTheMessage()
    {
        _server.Enqueue(Reply.Text("51", reasoning: "17 * 3 = 51, easy."));
        var chat = _kernel.GetRequiredService<IChatCompletionService>();

        var message = await chat.GetChatMessageContentAsync(Ask(), new QwenPromptExecutionSettings { EnableThinking = true }, _kernel);

        Assert.Equal("51", message.Content);
        Assert.Equal("17 * 3 = 51, easy.", message.Metadata![QwenMetadataKeys.Reasoning]);
        Assert.Equal("17 * 3 = 51, easy.", message.Items.OfType<ReasoningContent>().Single().Text);
    }

    [Fact]
    public async Task StreamedReasoningArrivesPieceByPieceInMetadataAndStreamingReasoningContent()
    {
        _server.Enqueue(Reply.Text("51", reasoning: "17 * 3 = 51, easy."));
        var chat = _kernel.GetRequiredService<IChatCompletionService>();

        var updates = await chat.GetStreamingChatMessageContentsAsync(Ask(), new QwenPromptExecutionSettings { EnableThinking = true }, _kernel).ToListAsync();

        var pieces = updates.Where(u => u.Metadata?.ContainsKey(QwenMetadataKeys.Reasoning) == true).Select(u => (string)u.Metadata![QwenMetadataKeys.Reasoning]!).ToList();
        Assert.Equal(2, pieces.Count); // the server sent it in two chunks
        Assert.Equal("17 * 3 = 51, easy.", string.Concat(pieces));
        Assert.Equal("17 * 3 = 51, easy.", string.Concat(updates.SelectMany(u => u.Items.OfType<StreamingReasoningContent>()).Select(r => r.Text)));
        Assert.Equal("51", string.Concat(updates.Select(u => u.Content)));
    }

    [Fact]
    public async Task ReasoningOfAPromptFunctionResultIsReachable()
    {
        _server.Enqueue(Reply.Text("51", reasoning: "multiply"));

        var result = await _kernel.InvokePromptAsync("What is 17 * 3?");

        var message = result.GetValue<ChatMessageContent>()!;
        Assert.Equal("multiply", message.Metadata![QwenMetadataKeys.Reasoning]);
    }

    [Fact]
    public async Task ReasoningOfAToolLoopTurnIsKeptOnTheHistoryMessage()
    {
        var kernel = Kernel.CreateBuilder().AddQwenChatCompletion("qwen3-max", _server.ApiKey, _server.Endpoint).Build();
        kernel.Plugins.AddFromObject(new WeatherPlugin(), "Weather");
        _server.Enqueue(
            new Reply(Reasoning: "I need the forecast.", ToolCalls: [("call_r", "Weather_GetForecast", """{"city":"Hangzhou","days":1}""")]),
            Reply.Text("Sunny.", reasoning: "The tool said sunny."));
        var history = Ask();

        var final = await kernel.GetRequiredService<IChatCompletionService>().GetChatMessageContentAsync(
            history, new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel);

        Assert.Equal("The tool said sunny.", final.Metadata![QwenMetadataKeys.Reasoning]);
        Assert.Contains(history, m => m.Metadata?.TryGetValue(QwenMetadataKeys.Reasoning, out var r) == true && (string?)r == "I need the forecast.");

        // Within the loop the reasoning is echoed back to the service, as newer models need.
        var assistant = _server.Requests[1].GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("role").GetString() == "assistant");
        Assert.Equal("I need the forecast.", assistant.GetProperty("reasoning_content").GetString());
    }

    [Fact]
    public async Task NonStreamingThinkingOnAnOpenSourceQwen3ModelWorksThroughSKSemanticKernelIssue12307()
    {
        // The service answers a non-streaming call with enable_thinking on such models with HTTP 400 "parameter.enable_thinking
        // must be set to false for non-streaming calls"; the client streams and aggregates instead, so SK callers never see it.
        // No scripted reply: the emulator's default behaviour enforces the rule and thinks when thinking is on.
        var settings = new QwenPromptExecutionSettings { ModelId = "qwen3-32b", EnableThinking = true };

        var message = await _kernel.GetRequiredService<IChatCompletionService>().GetChatMessageContentAsync(Ask(), settings, _kernel);

        Assert.False(string.IsNullOrWhiteSpace(message.Content));
        Assert.False(string.IsNullOrWhiteSpace((string?)message.Metadata![QwenMetadataKeys.Reasoning]));
        Assert.Equal([false, true], _server.Requests.Select(r => r.TryGetProperty("stream", out var s) && s.GetBoolean()));
    }

    [Fact]
    public async Task AStreamedToolLoopLeavesTheSameReasoningInTheHistoryAsTheNonStreamingLoop()
    {
        var nonStreaming = await RunToolLoopAsync(streaming: false);
        var streamed = await RunToolLoopAsync(streaming: true);

        Assert.Equal(["I need the forecast.", "Now the second city."], Reasoning(nonStreaming));
        Assert.Equal(Reasoning(nonStreaming), Reasoning(streamed));
        Assert.Equal(MetadataReasoning(nonStreaming), MetadataReasoning(streamed));

        // Each reasoning item comes before the tool calls of its turn, as in the non-streaming history.
        foreach (var history in new[] { nonStreaming, streamed })
        {
            var items = history.SelectMany(m => m.Items).Where(i => i is ReasoningContent or FunctionCallContent).ToList();
            Assert.Equal(["R", "F", "R", "F"], items.Select(i => i is ReasoningContent ? "R" : "F"));
        }
    }

    private async Task<ChatHistory> RunToolLoopAsync(bool streaming)
    {
        var kernel = Kernel.CreateBuilder().AddQwenChatCompletion("qwen3-max", _server.ApiKey, _server.Endpoint).Build();
        kernel.Plugins.AddFromObject(new WeatherPlugin(), "Weather");
        _server.Enqueue(
            new Reply(Reasoning: "I need the forecast.", ToolCalls: [("call_a", "Weather_GetForecast", """{"city":"Hangzhou","days":1}""")]),
            new Reply(Reasoning: "Now the second city.", ToolCalls: [("call_b", "Weather_GetForecast", """{"city":"Beijing","days":1}""")]),
            Reply.Text("Sunny in both.", reasoning: "Both sunny."));
        var history = Ask();
        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
        var chat = kernel.GetRequiredService<IChatCompletionService>();
        if (streaming)
        {
            var updates = await chat.GetStreamingChatMessageContentsAsync(history, settings, kernel).ToListAsync();
            Assert.Equal("Sunny in both.", string.Concat(updates.Select(u => u.Content)));
        }
        else
        {
            Assert.Equal("Sunny in both.", (await chat.GetChatMessageContentAsync(history, settings, kernel)).Content);
        }

        return history;
    }

    private static List<string> Reasoning(ChatHistory history) =>
        history.SelectMany(m => m.Items.OfType<ReasoningContent>()).Select(r => r.Text ?? string.Empty).ToList();

    private static List<string?> MetadataReasoning(ChatHistory history) =>
        history.Where(m => m.Metadata?.ContainsKey(QwenMetadataKeys.Reasoning) == true).Select(m => (string?)m.Metadata![QwenMetadataKeys.Reasoning]).ToList();
}
