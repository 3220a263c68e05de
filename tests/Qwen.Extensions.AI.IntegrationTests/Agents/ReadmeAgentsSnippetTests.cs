using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Qwen.Extensions.AI.IntegrationTests.Agents;

/// <summary>The README's "Agents" snippet, with only the client's options pointed at the emulator.</summary>
public sealed class ReadmeAgentsSnippetTests : AgentTestBase
{
    [Fact]
    public async Task ReadmeSnippet_CallsTheToolThenAnswersWithTheFirstTurnInTheHistory()
    {
        var output = new List<string>();

        using IChatClient client = new QwenChatClient(Emulator.CreateClientOptions("qwen-plus"));
        AIAgent agent = client.AsAIAgent(
            instructions: "You are a concise travel assistant.",
            tools: [AIFunctionFactory.Create((string city) => $"Sunny in {city}", "get_weather", "Gets the current weather for a city.")]);

        AgentSession session = await agent.CreateSessionAsync();
        output.Add((await agent.RunAsync("What is the weather like in Paris today?", session)).ToString());
        output.Add((await agent.RunAsync("And what is 6 * 7?", session)).ToString());

        Assert.Equal(["Here is what I found. get_weather returned Sunny in Paris.", "6 * 7 = 42."], output);
        Assert.Equal(["system", "user", "assistant", "tool", "assistant", "user"], Roles(Emulator.Requests[^1]));
    }
}
