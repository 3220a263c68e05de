using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Qwen.Extensions.AI;

// A host that registers Qwen as the app's IChatClient with the standard MEAI pipeline:
// function invocation, OpenTelemetry (printed by an ActivityListener here) and logging.
await using var session = await ExampleSession.StartAsync("qwen-plus");

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.Extensions.AI", LogLevel.Debug);

builder.Services.AddChatClient(_ => new QwenChatClient(session.ClientOptions))
    .UseFunctionInvocation()
    .UseOpenTelemetry(sourceName: "Qwen.Examples")
    .UseLogging();

using var host = builder.Build();

using var listener = new ActivityListener
{
    ShouldListenTo = source => source.Name == "Qwen.Examples",
    Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    ActivityStopped = activity =>
    {
        var tags = string.Join(" ", new[] { "server.address", "server.port", "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens" }
            .Where(tag => activity.GetTagItem(tag) is not null)
            .Select(tag => $"{tag}={activity.GetTagItem(tag)}"));
        Console.WriteLine($"  [otel] {activity.DisplayName} {tags}".TrimEnd());
    },
};
ActivitySource.AddActivityListener(listener);

var chat = host.Services.GetRequiredService<IChatClient>();
var options = new ChatOptions
{
    Tools = [AIFunctionFactory.Create((string city) => $"It is 14:30 in {city}", "get_local_time", "Gets the current local time in a city.")],
};

const string question = "What is the local time in Tokyo?";
Console.WriteLine();
Console.WriteLine($"> {question}");
var response = await chat.GetResponseAsync(question, options);
Console.WriteLine(response.Text);
