using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Qwen.Extensions.AI.IntegrationTests.Agents;

/// <summary>
/// The Agent Framework scenarios every Qwen <see cref="IChatClient"/> must pass inside a <see cref="ChatClientAgent"/>, over the
/// emulator on real loopback sockets: multi-turn sessions, tools (streaming and not), structured output and reasoning. What the
/// agent sees is asserted here; what went over the wire differs by protocol and is asserted by each suite's overrides
/// (<see cref="ChatClientAgentTests"/> over chat completions, <see cref="ResponsesChatClientAgentTests"/> over the Responses API).
/// </summary>
public abstract class AgentScenarios : AgentTestBase
{
    [Fact]
    public async Task Session_SendsEarlierTurnsWithEachNewTurn()
    {
        using var client = CreateClient();
        var agent = client.AsAIAgent(instructions: "You are a concise assistant.", name: "Calculator");
        var session = await agent.CreateSessionAsync(TestTimeout.Token);

        var first = await agent.RunAsync("What is 6 * 7?", session, cancellationToken: TestTimeout.Token);
        var second = await agent.RunAsync("What is 12 + 30?", session, cancellationToken: TestTimeout.Token);

        Assert.Equal("6 * 7 = 42.", first.Text);
        Assert.Equal("12 + 30 = 42.", second.Text);
        await AssertSecondTurnWire(Assert.IsType<ChatClientAgentSession>(session), first);
    }

    [Fact]
    public async Task Tools_AreInvokedAutomatically()
    {
        using var client = CreateClient();
        var agent = client.AsAIAgent(instructions: "You answer weather questions.", tools: [WeatherTool()]);

        var response = await agent.RunAsync(WeatherQuestion, cancellationToken: TestTimeout.Token);

        Assert.Equal(["Paris"], WeatherCalls);
        Assert.Equal($"Here is what I found. get_weather returned {WeatherResult}.", response.Text);
        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_weather", call.Name);
        var result = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>());
        Assert.Equal(call.CallId, result.CallId);
        await AssertToolLoopWire(call);
    }

    [Fact]
    public async Task Tools_AreInvokedAutomatically_WhenStreaming()
    {
        using var client = CreateClient();
        var agent = client.AsAIAgent(instructions: "You answer weather questions.", tools: [WeatherTool()]);
        var session = await agent.CreateSessionAsync(TestTimeout.Token);

        var updates = new List<AgentResponseUpdate>();
        await foreach (var update in agent.RunStreamingAsync(WeatherQuestion, session, cancellationToken: TestTimeout.Token))
        {
            updates.Add(update);
        }

        Assert.Equal(["Paris"], WeatherCalls);
        Assert.Contains(updates, u => u.Contents.OfType<FunctionCallContent>().Any(c => c.Name == "get_weather"));
        Assert.Contains(updates, u => u.Contents.OfType<FunctionResultContent>().Any());
        Assert.Equal($"Here is what I found. get_weather returned {WeatherResult}.", updates.ToAgentResponse().Text);
        Assert.Equal(2, Emulator.Requests.Count);
        Assert.All(Emulator.Requests, r => Assert.True(r.IsStreaming));
        await AssertToolLoopWire(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().Single());

        // The tool exchange is part of the session's conversation, so the next turn builds on it.
        var next = await agent.RunAsync("What is 6 * 7?", session, cancellationToken: TestTimeout.Token);
        Assert.Equal("6 * 7 = 42.", next.Text);
        await AssertTurnAfterStreamedToolLoopWire(Assert.IsType<ChatClientAgentSession>(session));
    }

    [Fact]
    public async Task StructuredOutput_RunAsyncOfT_SendsASchemaAndDeserializesTheAnswer()
    {
        using var client = CreateClient();
        var agent = client.AsAIAgent(instructions: "You describe cities.");
        BeforeStructuredOutput();

        var response = await agent.RunAsync<CityInfo>(
            "Describe Paris, the capital of France, with a population of 2102650.",
            serializerOptions: AgentTestJsonContext.Default.Options,
            cancellationToken: TestTimeout.Token);

        Assert.Equal(new CityInfo("Paris", "France", 2102650), response.Result);
        await AssertStructuredOutputWire();
    }

    [Fact]
    public async Task Reasoning_IsInTheAgentsResponse_ApartFromTheAnswer()
    {
        using var client = CreateClient();
        var agent = client.AsAIAgent(new ChatClientAgentOptions
        {
            ChatOptions = new ChatOptions { Instructions = "Think, then answer.", Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High } },
        });

        var response = await agent.RunAsync("What is 17 * 23?", cancellationToken: TestTimeout.Token);

        Assert.Equal("17 * 23 = 391.", response.Text);
        var reasoning = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>());
        Assert.StartsWith("The user asks: \"What is 17 * 23?\"", reasoning.Text, StringComparison.Ordinal);
        Assert.True(response.Usage!.ReasoningTokenCount > 0);
        await AssertReasoningWire();
    }

    /// <summary>What the second of two session turns sent (instructions "You are a concise assistant.", "What is 6 * 7?" then "What is 12 + 30?").</summary>
    protected abstract Task AssertSecondTurnWire(ChatClientAgentSession session, AgentResponse first);

    /// <summary>What the two requests of a tool loop sent (a get_weather call for Paris, then its result).</summary>
    protected abstract Task AssertToolLoopWire(FunctionCallContent call);

    /// <summary>What the turn after a streamed tool loop sent ("What is 6 * 7?").</summary>
    protected abstract Task AssertTurnAfterStreamedToolLoopWire(ChatClientAgentSession session);

    /// <summary>Runs before the structured-output run (a suite whose emulator endpoint does not answer a schema by itself scripts the answer here).</summary>
    protected virtual void BeforeStructuredOutput()
    {
    }

    /// <summary>How the CityInfo schema of <c>RunAsync&lt;T&gt;</c> was sent.</summary>
    protected abstract Task AssertStructuredOutputWire();

    /// <summary>How the high reasoning effort was sent.</summary>
    protected abstract Task AssertReasoningWire();
}
