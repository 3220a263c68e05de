using System.Text.Json;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Emulator;
using RecordedRequest = Qwen.Extensions.AI.Emulator.RecordedRequest;

namespace Qwen.Extensions.AI.IntegrationTests.Agents;

/// <summary>
/// QwenResponsesChatClient inside Microsoft Agent Framework's <see cref="ChatClientAgent"/>, over the emulator's <c>/responses</c>
/// on real loopback sockets: the shared <see cref="AgentScenarios"/>, and the conversation kept on the server. The client returns
/// the stored response's id as the <see cref="ChatResponse.ConversationId"/>, so the agent's session holds that id instead of the
/// history, and each later turn sends only its new items plus <c>previous_response_id</c>.
/// </summary>
public sealed class ResponsesChatClientAgentTests : AgentScenarios
{
    protected override IChatClient CreateClient(string model = "qwen-plus") => new QwenResponsesChatClient(Emulator.CreateClientOptions(model));

    [Fact]
    public async Task TheConversationLivesOnTheServerAndTheSessionHoldsOnlyItsId()
    {
        using var client = CreateClient();
        var agent = client.AsAIAgent(instructions: "You are a concise assistant.");
        var session = Assert.IsType<ChatClientAgentSession>(await agent.CreateSessionAsync(TestTimeout.Token));

        var first = await agent.RunAsync("What is 6 * 7?", session, cancellationToken: TestTimeout.Token);
        var idAfterFirst = session.ConversationId;
        var updates = new List<AgentResponseUpdate>();
        await foreach (var update in agent.RunStreamingAsync("What is 2 + 3?", session, cancellationToken: TestTimeout.Token))
        {
            updates.Add(update);
        }

        Assert.Equal("6 * 7 = 42.", first.Text);
        Assert.Equal("2 + 3 = 5.", updates.ToAgentResponse().Text);
        Assert.NotNull(idAfterFirst);
        Assert.Equal(first.AsChatResponse().ConversationId, idAfterFirst);
        Assert.Contains(updates, u => u.AsChatResponseUpdate().ConversationId is { Length: > 0 });
        Assert.NotEqual(idAfterFirst, session.ConversationId);
        Assert.Equal(updates.Select(u => u.AsChatResponseUpdate().ConversationId).Last(id => id is not null), session.ConversationId);
        Assert.False(session.TryGetInMemoryChatHistory(out var history) && history.Count > 0, "the agent must not keep a local copy of a server-side conversation");

        var requests = ResponsesRequests();
        Assert.Equal(2, requests.Count);
        Assert.False(requests[0].Json!.Value.TryGetProperty("previous_response_id", out _));
        Assert.Equal(idAfterFirst, requests[1].GetProperty("previous_response_id")!.Value.GetString());
        Assert.True(requests[1].IsStreaming);
        Assert.Equal(["What is 2 + 3?"], Input(requests[1]).Select(Text));
        Assert.Equal("You are a concise assistant.", requests[1].GetProperty("instructions")!.Value.GetString()); // not carried by the service: sent each turn
    }

    [Fact]
    public async Task ASerializedSessionCarriesTheIdAndANewAgentContinuesOnTheServer()
    {
        string saved;
        string? conversationId;
        using (var client = CreateClient())
        {
            var agent = client.AsAIAgent(instructions: "You are a concise assistant.");
            var session = Assert.IsType<ChatClientAgentSession>(await agent.CreateSessionAsync(TestTimeout.Token));
            await agent.RunAsync("What is 6 * 7?", session, cancellationToken: TestTimeout.Token);
            await agent.RunAsync("What is the capital of France?", session, cancellationToken: TestTimeout.Token);
            conversationId = session.ConversationId;
            saved = (await agent.SerializeSessionAsync(session, cancellationToken: TestTimeout.Token)).GetRawText();
        }

        Assert.NotNull(conversationId);
        Assert.Contains(conversationId, saved, StringComparison.Ordinal);
        Assert.DoesNotContain("What is 6 * 7?", saved, StringComparison.Ordinal); // the history is on the server, not in the session

        // A new client and agent (a process restart) resume from the stored id alone.
        using var client2 = CreateClient();
        var agent2 = client2.AsAIAgent(instructions: "You are a concise assistant.");
        using var document = JsonDocument.Parse(saved);
        var restored = await agent2.DeserializeSessionAsync(document.RootElement, cancellationToken: TestTimeout.Token);
        var answer = await agent2.RunAsync("Summarize our conversation.", restored, cancellationToken: TestTimeout.Token);

        var resumed = ResponsesRequests()[^1];
        Assert.Equal(conversationId, resumed.GetProperty("previous_response_id")!.Value.GetString());
        Assert.Equal(["Summarize our conversation."], Input(resumed).Select(Text));
        Assert.StartsWith("Summary: user said \"What is 6 * 7?\"; assistant said \"6 * 7 = 42.\"", answer.Text, StringComparison.Ordinal);
    }

    protected override Task AssertSecondTurnWire(ChatClientAgentSession session, AgentResponse first)
    {
        var requests = ResponsesRequests();
        Assert.Equal(2, requests.Count);
        Assert.Equal(["What is 6 * 7?"], Input(requests[0]).Select(Text));

        // The second turn sends only the new message and the id of the first response; the server holds the rest.
        var turn2 = requests[1];
        Assert.Equal(first.AsChatResponse().ConversationId, turn2.GetProperty("previous_response_id")!.Value.GetString());
        var item = Assert.Single(Input(turn2));
        Assert.Equal("user", item.GetProperty("role").GetString());
        Assert.Equal("What is 12 + 30?", Text(item));
        Assert.Equal("You are a concise assistant.", turn2.GetProperty("instructions")!.Value.GetString());
        Assert.NotNull(session.ConversationId);
        Assert.NotEqual(first.AsChatResponse().ConversationId, session.ConversationId);
        return Task.CompletedTask;
    }

    protected override async Task AssertToolLoopWire(FunctionCallContent call)
    {
        var requests = ResponsesRequests();
        Assert.Equal(2, requests.Count);
        var tool = Assert.Single(requests[0].GetProperty("tools")!.Value.EnumerateArray());
        Assert.Equal("function", tool.GetProperty("type").GetString());
        Assert.Equal("get_weather", tool.GetProperty("name").GetString()); // flat, not chat-nested

        // The second request continues the first response on the server and sends only the tool result.
        var previous = requests[1].GetProperty("previous_response_id")!.Value.GetString();
        var output = Assert.Single(Input(requests[1]));
        Assert.Equal("function_call_output", output.GetProperty("type").GetString());
        Assert.Equal(call.CallId, output.GetProperty("call_id").GetString());
        Assert.Equal(WeatherResult, output.GetProperty("output").GetString());

        // That id names the stored response holding the call.
        using var stored = new QwenResponsesChatClient(Emulator.CreateClientOptions("qwen-plus"));
        var first = await stored.GetStoredResponseAsync(previous!, TestTimeout.Token);
        Assert.Equal(call.CallId, Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()).CallId);
    }

    protected override Task AssertTurnAfterStreamedToolLoopWire(ChatClientAgentSession session)
    {
        var requests = ResponsesRequests();
        Assert.Equal(3, requests.Count);
        Assert.Equal(["What is 6 * 7?"], Input(requests[2]).Select(Text));
        Assert.NotNull(requests[2].GetProperty("previous_response_id")?.GetString());
        Assert.NotEqual(requests[1].GetProperty("previous_response_id")!.Value.GetString(), requests[2].GetProperty("previous_response_id")!.Value.GetString());
        Assert.NotNull(session.ConversationId);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The service ignores <c>text.format</c> (dashscope-more.md §1.3), so the client asks for the schema in the instructions and the
    /// model follows them; the emulator's <c>/responses</c> does not read instructions, so the model's JSON answer is scripted here.
    /// </summary>
    protected override void BeforeStructuredOutput() =>
        Emulator.Enqueue(new EmulatorReply { Content = """{"name":"Paris","country":"France","population":2102650}""" });

    protected override Task AssertStructuredOutputWire()
    {
        // The service ignores text.format, so the schema travels as an instruction after the agent's own.
        var request = ResponsesRequests()[^1];
        Assert.False(request.Json!.Value.TryGetProperty("text", out _));
        var instructions = request.GetProperty("instructions")!.Value.GetString()!;
        Assert.StartsWith("You describe cities.", instructions, StringComparison.Ordinal);
        Assert.Contains("JSON schema", instructions, StringComparison.Ordinal);
        Assert.Contains("\"population\"", instructions, StringComparison.Ordinal);
        return Task.CompletedTask;
    }

    protected override Task AssertReasoningWire()
    {
        Assert.Equal("high", ResponsesRequests()[^1].GetProperty("reasoning")!.Value.GetProperty("effort").GetString());
        return Task.CompletedTask;
    }

    /// <summary>The <c>POST /responses</c> requests the emulator received, oldest first.</summary>
    private List<RecordedRequest> ResponsesRequests() =>
        [.. Emulator.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/responses", StringComparison.Ordinal))];

    /// <summary>The <c>input</c> items of a request (a string input counts as one user message).</summary>
    private static List<JsonElement> Input(RecordedRequest request)
    {
        var input = request.GetProperty("input")!.Value;
        return input.ValueKind == JsonValueKind.Array
            ? [.. input.EnumerateArray()]
            : [JsonDocument.Parse($"{{\"role\":\"user\",\"content\":{input.GetRawText()}}}").RootElement];
    }
}
