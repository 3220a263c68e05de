// An agent-style Semantic Kernel app on Qwen: a kernel with two plugins, FunctionChoiceBehavior.Auto(), a multi-turn chat
// that calls both, and the model's thinking shown as it streams.
//
//   dotnet run --project examples/SemanticKernelAgent            live with DASHSCOPE_API_KEY (DASHSCOPE_MODEL, DASHSCOPE_ENDPOINT optional),
//                                                                otherwise offline against the bundled emulator
//   dotnet run --project examples/SemanticKernelAgent -- -i      type your own turns
using System.ComponentModel;
using System.Text;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Qwen.Extensions.AI.SemanticKernel;

// The same session as every other example: live with DASHSCOPE_API_KEY, else the in-process emulator (and it says so).
await using var session = await ExampleSession.StartAsync("qwen-plus");

var builder = Kernel.CreateBuilder();
builder.AddQwenChatCompletion(session.Model, session.ApiKey, session.Endpoint);

builder.Plugins.AddFromType<WeatherPlugin>("Weather");
builder.Plugins.AddFromType<CalendarPlugin>("Calendar");
var kernel = builder.Build();
kernel.AutoFunctionInvocationFilters.Add(new ShowCallsFilter());

var chat = kernel.GetRequiredService<IChatCompletionService>();
var settings = new QwenPromptExecutionSettings
{
    FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(),
    EnableThinking = true,
    ThinkingBudget = 1024,
};
var history = new ChatHistory("You are a concise travel assistant. Use the tools when they help.");

IEnumerable<string> turns = args.Contains("-i")
    ? ReadTurns()
    : ["What is the weather forecast for Hangzhou tomorrow?", "Add a calendar event: title \"Picnic at West Lake\", date \"tomorrow\".", "Thanks! Summarise the plan in one sentence."];

foreach (var turn in turns)
{
    Console.WriteLine($"\nuser > {turn}");
    history.AddUserMessage(turn);

    var answer = new StringBuilder();
    var thinking = false;
    await foreach (var update in chat.GetStreamingChatMessageContentsAsync(history, settings, kernel))
    {
        if (ShowCallsFilter.Called)
        {
            ShowCallsFilter.Called = false;
            thinking = false; // the model thinks again after a call: label it again
        }

        foreach (var reasoning in update.Items.OfType<StreamingReasoningContent>())
        {
            if (!thinking)
            {
                Console.Write("thinking > ");
                thinking = true;
            }

            Write(reasoning.Text, ConsoleColor.DarkGray);
        }

        if (!string.IsNullOrEmpty(update.Content))
        {
            if (answer.Length == 0)
            {
                Console.Write(thinking ? "\nqwen > " : "qwen > ");
                thinking = false;
            }

            Console.Write(update.Content);
            answer.Append(update.Content);
        }
    }

    Console.WriteLine();
    history.AddAssistantMessage(answer.ToString());
}


static IEnumerable<string> ReadTurns()
{
    while (true)
    {
        Console.Write("\nyou (empty to quit) > ");
        var line = Console.ReadLine();
        if (string.IsNullOrWhiteSpace(line))
        {
            yield break;
        }

        yield return line;
    }
}

static void Write(string text, ConsoleColor color)
{
    var previous = Console.ForegroundColor;
    Console.ForegroundColor = color;
    Console.Write(text);
    Console.ForegroundColor = previous;
}

/// <summary>Shows each function call the model asks for: an auto-function-invocation filter, honoured by the Qwen registration.</summary>
internal sealed class ShowCallsFilter : IAutoFunctionInvocationFilter
{
    public static bool Called { get; set; }

    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        var arguments = string.Join(", ", context.Arguments?.Select(a => $"{a.Key}: {a.Value}") ?? []);
        Console.Write($"\n  → {context.Function.PluginName}.{context.Function.Name}({arguments})");
        await next(context);
        Console.WriteLine($" = {context.Result.GetValue<object>()}");
        Called = true;
    }
}

internal sealed class WeatherPlugin
{
    [KernelFunction, Description("Gets the weather forecast for a city.")]
    public static string GetForecast([Description("The city, for example Hangzhou")] string city) =>
        $"{city}: sunny, 18–25°C, light breeze";
}

internal sealed class CalendarPlugin
{
    [KernelFunction, Description("Adds an event to the user's calendar.")]
    public static string AddEvent([Description("What the event is")] string title, [Description("The date, for example tomorrow")] string date) =>
        $"added '{title}' on {date}";
}
