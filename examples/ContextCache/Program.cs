using Microsoft.Extensions.AI;
using Qwen.Extensions.AI;

// Explicit context cache through Microsoft.Extensions.AI: a long system prompt that every turn repeats, cached once and then read
// back at 10 % of the input price. Live with DASHSCOPE_API_KEY set; otherwise offline against the local emulator, which
// implements DashScope's explicit cache (1,024-token minimum, 5 minutes renewed on a hit).
await using var session = await ExampleSession.StartAsync("qwen-plus");

// The automatic policy marks the system prompt, the last user turn and the latest tool-call boundaries, for models whose facts
// include ExplicitCache (qwen-plus does); AdditionalProperties["contextCache"] = "none" turns it off for one request.
var options = session.ClientOptions;
options.ContextCache = QwenContextCachePolicy.Auto;
using IChatClient client = new QwenChatClient(options);

// The cache needs a prefix of at least 1,024 tokens: a handbook the assistant must follow.
var handbook = "You are the support assistant of a bicycle shop. Follow the handbook below exactly.\n" +
    string.Join('\n', Enumerable.Range(1, 120).Select(i => $"Rule {i}: answer politely, cite rule {i} when it applies, and never promise delivery dates."));
List<ChatMessage> history = [new(ChatRole.System, handbook)];

foreach (var question in new[] { "Can I return a helmet after a week?", "And a bicycle bell?" })
{
    history.Add(new(ChatRole.User, question));
    var response = await client.GetResponseAsync(history);
    history.AddMessages(response);

    var usage = response.Usage;
    var written = usage?.AdditionalCounts?.TryGetValue(QwenPropertyNames.CacheCreationInputTokens, out var w) == true ? w : 0;
    Console.WriteLine();
    Console.WriteLine($"> {question}");
    Console.WriteLine(response.Text);
    Console.WriteLine($"  (tokens in {usage?.InputTokenCount}: cache written {written}, cache read {usage?.CachedInputTokenCount ?? 0})");
}

// A marker of your own: the last turn carries one, wherever the automatic policy is off (or the model is not in the table).
var manual = new ChatMessage(ChatRole.User, "Which rule covers delivery dates?").WithCacheControl();
var summary = await client.GetResponseAsync([history[0], manual], new ChatOptions { AdditionalProperties = new() { [QwenPropertyNames.ContextCache] = "none" } });
Console.WriteLine();
Console.WriteLine($"> {manual.Text} (one marker of our own, policy off)");
Console.WriteLine(summary.Text);
Console.WriteLine($"  (cache read {summary.Usage?.CachedInputTokenCount ?? 0})");
