using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Qwen.Extensions.AI;

// A host that registers Qwen with the DI package: AddQwenChatClient bound to the "Qwen" section of appsettings.json, with
// the standard MEAI pipeline (function invocation, OpenTelemetry printed by an ActivityListener here, logging), and a
// keyed client ("turbo", bound to "Qwen:Turbo") resolved by its key.
await using var session = await ExampleSession.StartAsync("qwen-plus");

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.Extensions.AI", LogLevel.Debug);

// appsettings.json holds the models; the key and endpoint come from the session (live: DASHSCOPE_API_KEY, offline: the emulator).
// In your app, leave ApiKey out of the callback and the file: the client reads DASHSCOPE_API_KEY itself.
void UseSession(QwenClientOptions o)
{
    o.ApiKey = session.ApiKey;
    o.Endpoint = session.Endpoint;
}

builder.Services.AddQwenChatClient(builder.Configuration.GetSection("Qwen"), UseSession)
    .UseFunctionInvocation()
    .UseOpenTelemetry(sourceName: "Qwen.Examples")
    .UseLogging();
builder.Services.AddKeyedQwenChatClient("turbo", builder.Configuration.GetSection("Qwen:Turbo"), UseSession);

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

// The keyed client: its own options (qwen-turbo from "Qwen:Turbo") and its own named HttpClient ("Qwen:turbo").
var turbo = host.Services.GetRequiredKeyedService<IChatClient>("turbo");
const string sum = "What is 6 * 7?";
Console.WriteLine();
Console.WriteLine($"[turbo] > {sum}");
var turboResponse = await turbo.GetResponseAsync(sum);
Console.WriteLine($"[turbo] {turboResponse.Text} (model {turboResponse.ModelId})");
