using Microsoft.Extensions.AI;

// Chat and streaming with Qwen through Microsoft.Extensions.AI.
// Live with DASHSCOPE_API_KEY set; otherwise offline against the local emulator.
await using var session = await ExampleSession.StartAsync("qwen-plus");
using IChatClient client = session.CreateClient();

const string question = "Who are you? Answer in one sentence.";
var response = await client.GetResponseAsync(question);
Console.WriteLine();
Console.WriteLine($"> {question}");
Console.WriteLine(response.Text);
Console.WriteLine($"  (model {response.ModelId}, tokens in {response.Usage?.InputTokenCount}, out {response.Usage?.OutputTokenCount})");

const string prompt = "Write a haiku about the sea.";
Console.WriteLine();
Console.WriteLine($"> {prompt} (streamed)");
await foreach (var update in client.GetStreamingResponseAsync(prompt))
{
    Console.Write(update.Text);
}

Console.WriteLine();
