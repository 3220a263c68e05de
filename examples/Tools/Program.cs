using System.ComponentModel;
using Microsoft.Extensions.AI;

// Automatic function invocation: the model asks for a tool, FunctionInvokingChatClient runs it and sends the result back.
await using var session = await ExampleSession.StartAsync("qwen-plus");
using IChatClient client = session.CreateClient().AsBuilder().UseFunctionInvocation().Build();

var options = new ChatOptions
{
    Tools =
    [
        AIFunctionFactory.Create(GetWeather, "get_weather", "Gets the current weather for a city."),
        AIFunctionFactory.Create(GetLocalTime, "get_local_time", "Gets the current local time in a city."),
    ],
};

foreach (var question in new[] { "What is the weather like in Paris today?", "What is the local time in Tokyo?" })
{
    Console.WriteLine();
    Console.WriteLine($"> {question}");
    var response = await client.GetResponseAsync(question, options);
    Console.WriteLine(response.Text);
}

static string GetWeather([Description("The city, for example Paris")] string city)
{
    Console.WriteLine($"  [tool] get_weather(city: {city})");
    return $"Sunny, 22 °C in {city}";
}

static string GetLocalTime([Description("The city, for example Tokyo")] string city)
{
    Console.WriteLine($"  [tool] get_local_time(city: {city})");
    return $"It is 14:30 in {city}";
}
