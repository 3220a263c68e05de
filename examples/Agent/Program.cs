using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

// Microsoft Agent Framework: a ChatClientAgent over QwenChatClient with a session, tools, an approval and RunAsync<T>.
await using var example = await ExampleSession.StartAsync("qwen-plus");
using IChatClient client = example.CreateClient();

AIAgent agent = client.AsAIAgent(
    instructions: "You are a concise travel assistant. Use the tools when they help.",
    name: "TravelAgent",
    tools:
    [
        AIFunctionFactory.Create(GetWeather, "get_weather", "Gets the current weather for a city."),
        // A tool with side effects: the agent stops and asks before running it.
        new ApprovalRequiredAIFunction(AIFunctionFactory.Create(BookTable, "book_table", "Books a restaurant table in a city.")),
    ]);

// Qwen keeps no server-side conversation, so the session holds the history (ConversationId stays null) and every
// turn sends it again.
AgentSession session = await agent.CreateSessionAsync();

await AskAsync("What is the weather like in Paris today?");

Console.WriteLine();
Console.WriteLine("> What is 6 * 7? (streamed)");
await foreach (var update in agent.RunStreamingAsync("What is 6 * 7?", session))
{
    Console.Write(update.Text);
}

Console.WriteLine();

// Approval round trip: the first run ends with a request instead of an answer; the caller answers it in a new run.
var response = await AskAsync("Please book a table in Paris.");
foreach (var request in response.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().ToList())
{
    var call = (FunctionCallContent)request.ToolCall;
    Console.WriteLine($"  [approval] {call.Name}({string.Join(", ", call.Arguments?.Select(a => $"{a.Key}: {a.Value}") ?? [])}) needs approval: approving");
    response = await agent.RunAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(approved: true)]), session);
    Console.WriteLine(response.Text);
}

// Structured output: RunAsync<T> sends the JSON schema of T and deserializes the answer.
Console.WriteLine();
Console.WriteLine("> Describe Paris (as CityInfo)");
var city = await agent.RunAsync<CityInfo>(
    "Describe Paris, the capital of France, with a population of 2102650.", session, ExampleJsonContext.Default.Options);
Console.WriteLine($"CityInfo: {city.Result}");

// The session serializes to JSON (store it anywhere) and resumes later, here in a fresh agent.
JsonElement saved = await agent.SerializeSessionAsync(session);
AIAgent resumedAgent = client.AsAIAgent(instructions: "You are a concise travel assistant.", name: "TravelAgent");
AgentSession resumed = await resumedAgent.DeserializeSessionAsync(saved);
resumed.TryGetInMemoryChatHistory(out var history);
Console.WriteLine();
Console.WriteLine($"Session saved as {saved.GetRawText().Length} characters of JSON and restored with {history?.Count ?? 0} messages; " +
    $"ConversationId: {(session is ChatClientAgentSession { ConversationId: { } id } ? id : "none (the agent keeps the history)")}.");
Console.WriteLine("> Summarize our conversation in one sentence.");
Console.WriteLine((await resumedAgent.RunAsync("Summarize our conversation in one sentence.", resumed)).Text);

async Task<AgentResponse> AskAsync(string question)
{
    Console.WriteLine();
    Console.WriteLine($"> {question}");
    var answer = await agent.RunAsync(question, session);
    if (answer.Text.Length > 0)
    {
        Console.WriteLine(answer.Text);
    }

    return answer;
}

static string GetWeather([Description("The city, for example Paris")] string city)
{
    Console.WriteLine($"  [tool] get_weather(city: {city})");
    return $"Sunny, 22 °C in {city}";
}

static string BookTable([Description("The city, for example Paris")] string city)
{
    Console.WriteLine($"  [tool] book_table(city: {city})");
    return $"Table for two booked in {city} at 19:30";
}

internal sealed record CityInfo(string Name, string Country, int Population);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CityInfo))]
internal sealed partial class ExampleJsonContext : JsonSerializerContext;
