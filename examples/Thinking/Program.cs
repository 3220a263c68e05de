using Microsoft.Extensions.AI;

// Reasoning models: the thinking (reasoning_content) streams apart from the answer; ReasoningEffort.None turns it off.
await using var session = await ExampleSession.StartAsync("qwen-plus");
using IChatClient client = session.CreateClient();
const string question = "What is 17 * 23?";

Console.WriteLine();
Console.WriteLine($"> {question} (thinking on)");
var thinking = new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Medium } };
var section = string.Empty;
await foreach (var update in client.GetStreamingResponseAsync(question, thinking))
{
    foreach (var content in update.Contents)
    {
        var (name, text) = content switch
        {
            TextReasoningContent r => ("Thinking", r.Text),
            TextContent t => ("Answer", t.Text),
            _ => (section, string.Empty),
        };
        if (text.Length == 0)
        {
            continue;
        }

        if (name != section)
        {
            Console.Write($"{(section.Length > 0 ? Environment.NewLine : string.Empty)}[{name}] ");
            section = name;
        }

        Console.Write(text);
    }
}

Console.WriteLine();
Console.WriteLine();
Console.WriteLine($"> {question} (thinking off)");
var response = await client.GetResponseAsync(question, new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.None } });
var reasoned = response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Any();
Console.WriteLine($"[Answer] {response.Text}");
Console.WriteLine($"  (reasoning returned: {(reasoned ? "yes" : "no")})");

// Reasoning tiers: on models that tier their thinking (Qwen 3.8), ReasoningEffort is sent as reasoning_effort
// (none, low, medium, high, xhigh); elsewhere as enable_thinking + thinking_budget. README, "Model facts".
Console.WriteLine();
Console.WriteLine($"> {question} on qwen3.8-max, by reasoning tier");
foreach (var effort in (ReasoningEffort[])[ReasoningEffort.None, ReasoningEffort.Low, ReasoningEffort.Medium, ReasoningEffort.High, ReasoningEffort.ExtraHigh])
{
    var tiered = await client.GetResponseAsync(question, new ChatOptions { ModelId = "qwen3.8-max", Reasoning = new ReasoningOptions { Effort = effort } });
    Console.WriteLine($"  [{effort}] reasoning tokens: {tiered.Usage?.ReasoningTokenCount ?? 0}; answer: {tiered.Text}");
}
