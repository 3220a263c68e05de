using System.Text.Json;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Qwen.Extensions.AI.IntegrationTests.Agents;

/// <summary>
/// QwenChatClient inside Microsoft Agent Framework's <see cref="ChatClientAgent"/>, over the emulator on real loopback
/// sockets: the shared <see cref="AgentScenarios"/> (sessions, tools, structured output, reasoning) with their chat-completions
/// wire, plus approvals and agent-side history.
/// </summary>
public sealed class ChatClientAgentTests : AgentScenarios
{
    [Fact]
    public async Task Session_SerializedAndRestoredInANewAgent_CarriesTheHistory()
    {
        string saved;
        using (var client = CreateClient())
        {
            var agent = client.AsAIAgent(instructions: "You are a concise assistant.");
            var session = await agent.CreateSessionAsync(TestTimeout.Token);
            await agent.RunAsync("What is 6 * 7?", session, cancellationToken: TestTimeout.Token);
            await agent.RunAsync("What is the capital of France?", session, cancellationToken: TestTimeout.Token);
            saved = (await agent.SerializeSessionAsync(session, cancellationToken: TestTimeout.Token)).GetRawText();
        }

        Assert.Contains("What is 6 * 7?", saved, StringComparison.Ordinal);
        Assert.Contains("The capital of France is Paris.", saved, StringComparison.Ordinal);

        // A new client and agent (a process restart) resume from the stored JSON.
        using var client2 = CreateClient();
        var agent2 = client2.AsAIAgent(instructions: "You are a concise assistant.");
        using var document = JsonDocument.Parse(saved);
        var restored = await agent2.DeserializeSessionAsync(document.RootElement, cancellationToken: TestTimeout.Token);
        var answer = await agent2.RunAsync("Summarize our conversation.", restored, cancellationToken: TestTimeout.Token);

        var resumed = Emulator.Requests[^1];
        Assert.Equal(["system", "user", "assistant", "user", "assistant", "user"], Roles(resumed));
        Assert.Equal("What is the capital of France?", Text(resumed.Messages[3]));
        Assert.Equal("The capital of France is Paris.", Text(resumed.Messages[4]));
        Assert.StartsWith("Summary: user said \"What is 6 * 7?\"; assistant said \"6 * 7 = 42.\"", answer.Text, StringComparison.Ordinal);
        Assert.True(restored.TryGetInMemoryChatHistory(out var history));
        Assert.Equal(6, history!.Count);
    }

    [Fact]
    public async Task ConversationIdStaysNull_TheAgentKeepsTheHistoryItself()
    {
        using var client = CreateClient();
        var agent = client.AsAIAgent(instructions: "You are a concise assistant.");
        var session = Assert.IsType<ChatClientAgentSession>(await agent.CreateSessionAsync(TestTimeout.Token));

        var first = await agent.RunAsync("What is 6 * 7?", session, cancellationToken: TestTimeout.Token);
        var updates = new List<AgentResponseUpdate>();
        await foreach (var update in agent.RunStreamingAsync("What is 2 + 3?", session, cancellationToken: TestTimeout.Token))
        {
            updates.Add(update);
        }

        // Qwen compatible mode keeps no server-side state: no conversation id comes back, so the session holds none
        // (QwenChatClient would refuse a ChatOptions.ConversationId), and the history lives in the session instead.
        Assert.Null(session.ConversationId);
        Assert.Null(first.AsChatResponse().ConversationId);
        Assert.All(updates, u => Assert.Null(u.AsChatResponseUpdate().ConversationId));
        Assert.Equal("2 + 3 = 5.", updates.ToAgentResponse().Text);
        Assert.True(session.TryGetInMemoryChatHistory(out var history));
        Assert.Equal(
            ["What is 6 * 7?", "6 * 7 = 42.", "What is 2 + 3?", "2 + 3 = 5."],
            history!.Select(m => m.Text));
        Assert.Equal(["system", "user", "assistant", "user"], Roles(Emulator.Requests[1]));
        Assert.True(Emulator.Requests[1].IsStreaming);
    }

    [Fact]
    public async Task ApprovalRequiredTool_WaitsForApproval_ThenRunsAndAnswers()
    {
        using var client = CreateClient();
        var agent = client.AsAIAgent(instructions: "You answer weather questions.", tools: [new ApprovalRequiredAIFunction(WeatherTool())]);
        var session = await agent.CreateSessionAsync(TestTimeout.Token);

        var asking = await agent.RunAsync(WeatherQuestion, session, cancellationToken: TestTimeout.Token);

        var request = Assert.Single(asking.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>());
        var call = Assert.IsType<FunctionCallContent>(request.ToolCall);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Paris", call.Arguments!["city"]?.ToString());
        Assert.Empty(WeatherCalls);
        Assert.Single(Emulator.Requests);

        var answer = await agent.RunAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(approved: true)]), session, cancellationToken: TestTimeout.Token);

        Assert.Equal(["Paris"], WeatherCalls);
        Assert.Equal($"Here is what I found. get_weather returned {WeatherResult}.", answer.Text);
        Assert.Equal(2, Emulator.Requests.Count);
        var resumed = Emulator.Requests[1];
        Assert.Equal(["system", "user", "assistant", "tool"], Roles(resumed));
        Assert.Equal(call.CallId, resumed.Messages[2].GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal(WeatherResult, Text(resumed.Messages[3]));
    }

    [Fact]
    public async Task ApprovalRequiredTool_Rejected_IsNotRunAndTheModelIsTold()
    {
        using var client = CreateClient();
        var agent = client.AsAIAgent(instructions: "You answer weather questions.", tools: [new ApprovalRequiredAIFunction(WeatherTool())]);
        var session = await agent.CreateSessionAsync(TestTimeout.Token);

        var asking = await agent.RunAsync(WeatherQuestion, session, cancellationToken: TestTimeout.Token);
        var request = Assert.Single(asking.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>());
        await agent.RunAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(approved: false, reason: "not now")]), session, cancellationToken: TestTimeout.Token);

        Assert.Empty(WeatherCalls);
        var resumed = Emulator.Requests[^1];
        Assert.Equal(["system", "user", "assistant", "tool"], Roles(resumed));
        Assert.Contains("not now", Text(resumed.Messages[3]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reasoning_StreamsBeforeTheAnswer_OnAThinkingOnlyModel()
    {
        using var client = CreateClient("qwq-plus");
        var agent = client.AsAIAgent(instructions: "Think, then answer.");

        var contents = new List<AIContent>();
        await foreach (var update in agent.RunStreamingAsync("What is 17 * 23?", cancellationToken: TestTimeout.Token))
        {
            contents.AddRange(update.Contents.Where(c => c is TextReasoningContent or TextContent { Text.Length: > 0 }));
        }

        var firstText = contents.FindIndex(c => c is TextContent);
        Assert.True(firstText > 0, "reasoning should come before the answer");
        Assert.All(contents.Take(firstText), c => Assert.IsType<TextReasoningContent>(c));
        Assert.Equal("17 * 23 = 391.", string.Concat(contents.OfType<TextContent>().Select(t => t.Text)));
        Assert.StartsWith("The user asks", string.Concat(contents.OfType<TextReasoningContent>().Select(r => r.Text)), StringComparison.Ordinal);
    }

    protected override Task AssertSecondTurnWire(ChatClientAgentSession session, AgentResponse first)
    {
        Assert.Null(session.ConversationId);
        Assert.Equal(2, Emulator.Requests.Count);
        Assert.Equal(["system", "user"], Roles(Emulator.Requests[0]));
        var turn2 = Emulator.Requests[1];
        Assert.Equal(["system", "user", "assistant", "user"], Roles(turn2));
        Assert.Equal("You are a concise assistant.", Text(turn2.Messages[0]));
        Assert.Equal("What is 6 * 7?", Text(turn2.Messages[1]));
        Assert.Equal("6 * 7 = 42.", Text(turn2.Messages[2]));
        Assert.Equal("What is 12 + 30?", Text(turn2.Messages[3]));
        return Task.CompletedTask;
    }

    protected override Task AssertToolLoopWire(FunctionCallContent call)
    {
        Assert.Equal(2, Emulator.Requests.Count);
        Assert.Equal(["get_weather"], Emulator.Requests[0].ToolNames);
        Assert.Equal(["system", "user", "assistant", "tool"], Roles(Emulator.Requests[1]));
        Assert.Equal(WeatherResult, Text(Emulator.Requests[1].Messages[3]));
        return Task.CompletedTask;
    }

    protected override Task AssertTurnAfterStreamedToolLoopWire(ChatClientAgentSession session)
    {
        Assert.Equal(["system", "user", "assistant", "tool", "assistant", "user"], Roles(Emulator.Requests[2]));
        return Task.CompletedTask;
    }

    protected override Task AssertStructuredOutputWire()
    {
        var format = Emulator.LastRequest!.GetProperty("response_format")!.Value;
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        var properties = format.GetProperty("json_schema").GetProperty("schema").GetProperty("properties");
        Assert.True(properties.TryGetProperty("name", out _));
        Assert.True(properties.TryGetProperty("population", out _));
        return Task.CompletedTask;
    }

    protected override Task AssertReasoningWire()
    {
        Assert.True(Emulator.LastRequest!.GetProperty("enable_thinking")!.Value.GetBoolean());
        return Task.CompletedTask;
    }
}
