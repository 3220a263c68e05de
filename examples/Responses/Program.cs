using Microsoft.Extensions.AI;
using Qwen.Extensions.AI;

// DashScope's Responses API through QwenResponsesChatClient: a conversation the service keeps (continued by id), and a
// web-search answer with its sources printed as citations.
await using var example = await ExampleSession.StartAsync("qwen3.5-plus");
using var client = new QwenResponsesChatClient(example.ClientOptions);

// 1. A conversation continued by id: the service stores each response (7 days), so the second turn sends only the new
//    message and the first response's id (ChatResponse.ConversationId → ChatOptions.ConversationId → previous_response_id).
var options = new ChatOptions { Instructions = "You are a concise assistant." };
Console.WriteLine();
Console.WriteLine("> What is 6 * 7?");
var first = await client.GetResponseAsync("What is 6 * 7?", options);
Console.WriteLine(first.Text);
Console.WriteLine($"  [conversation] {first.ConversationId}");

Console.WriteLine("> And what is 12 + 30? (continued on the server, streamed)");
options.ConversationId = first.ConversationId;
string? latest = null;
await foreach (var update in client.GetStreamingResponseAsync("And what is 12 + 30?", options))
{
    Console.Write(update.Text);
    latest = update.ConversationId ?? latest;
}

Console.WriteLine();
Console.WriteLine($"  [conversation] {latest}");

// The stored response can be read back (and deleted) by id.
var stored = await client.GetStoredResponseAsync(first.ConversationId!);
Console.WriteLine($"  [stored] {first.ConversationId}: \"{stored.Text}\"");

// 2. Web search run by the service in the same call: the answer's text carries each source as a CitationAnnotation.
Console.WriteLine();
Console.WriteLine("> Search the web: what is Alibaba Cloud Model Studio?");
var answer = await client.GetResponseAsync(
    "Search the web: what is Alibaba Cloud Model Studio?",
    new ChatOptions { Tools = [new HostedWebSearchTool()] });
Console.WriteLine(answer.Text);
var citations = answer.Messages
    .SelectMany(m => m.Contents)
    .SelectMany(c => c.Annotations ?? [])
    .OfType<CitationAnnotation>()
    .Where(c => c.Url is not null)
    .DistinctBy(c => c.Url)
    .ToList();
Console.WriteLine($"Sources ({citations.Count}):");
for (var i = 0; i < citations.Count; i++)
{
    Console.WriteLine($"  [{i + 1}] {citations[i].Url}{(citations[i].ToolName is { } tool ? $" (via {tool})" : string.Empty)}");
}

if (answer.Usage is { } usage)
{
    Console.WriteLine($"Tokens: {usage.InputTokenCount} in, {usage.OutputTokenCount} out.");
}
