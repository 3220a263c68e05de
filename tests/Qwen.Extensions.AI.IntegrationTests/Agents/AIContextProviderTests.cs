using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Qwen.Extensions.AI.IntegrationTests.Agents;

/// <summary>An <see cref="AIContextProvider"/> adds instructions and a tool to each run; QwenChatClient sends both.</summary>
public sealed class AIContextProviderTests : AgentTestBase
{
    [Fact]
    public async Task ContextProvider_AddsInstructionsAndATool_ThatTheModelCalls()
    {
        var provider = new TravelContextProvider();
        using var client = CreateClient();
        var agent = client.AsAIAgent(new ChatClientAgentOptions
        {
            ChatOptions = new ChatOptions { Instructions = "You are a travel assistant.", Tools = [WeatherTool()] },
            AIContextProviders = [provider],
        });

        var response = await agent.RunAsync("What is the local time in Tokyo?", cancellationToken: TestTimeout.Token);

        // The provider's tool is offered next to the agent's own, the model calls it and the agent runs it.
        Assert.Equal(["Tokyo"], provider.TimeCalls);
        Assert.Empty(WeatherCalls);
        Assert.Equal("Here is what I found. get_local_time returned It is 14:30 in Tokyo.", response.Text);
        var first = Emulator.Requests[0];
        Assert.Equal(["get_weather", "get_local_time"], first.ToolNames.Order(StringComparer.Ordinal).Reverse());

        // Both the agent's and the provider's instructions reach the model as the system message.
        Assert.Equal("system", first.Messages[0].GetProperty("role").GetString());
        var system = Text(first.Messages[0]);
        Assert.Contains("You are a travel assistant.", system, StringComparison.Ordinal);
        Assert.Contains(TravelContextProvider.Instructions, system, StringComparison.Ordinal);

        // The provider ran once per agent run, before the first call, and saw the result afterwards.
        Assert.Equal(1, provider.Invocations);
        Assert.Contains("get_local_time returned", provider.LastResponseText, StringComparison.Ordinal);
    }

    /// <summary>Adds a clock tool and a house rule on every run, and records what the run produced.</summary>
    private sealed class TravelContextProvider : AIContextProvider
    {
        public const string Instructions = "Times are local to the city asked about.";

        public List<string> TimeCalls { get; } = [];

        public int Invocations { get; private set; }

        public string LastResponseText { get; private set; } = string.Empty;

        protected override ValueTask<AIContext> ProvideAIContextAsync(InvokingContext context, CancellationToken cancellationToken = default)
        {
            Invocations++;
            return ValueTask.FromResult(new AIContext
            {
                Instructions = Instructions,
                Tools = [AIFunctionFactory.Create(GetLocalTime, "get_local_time", "Gets the current local time in a city.")],
            });
        }

        protected override ValueTask StoreAIContextAsync(InvokedContext context, CancellationToken cancellationToken = default)
        {
            LastResponseText = string.Concat(context.ResponseMessages?.Select(m => m.Text) ?? []);
            return ValueTask.CompletedTask;
        }

        private string GetLocalTime(string city)
        {
            lock (TimeCalls)
            {
                TimeCalls.Add(city);
            }

            return $"It is 14:30 in {city}";
        }
    }
}
