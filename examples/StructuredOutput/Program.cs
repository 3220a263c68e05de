using Microsoft.Extensions.AI;

// Structured output: GetResponseAsync<T> sends a JSON schema (response_format json_schema) and deserializes the answer.
await using var session = await ExampleSession.StartAsync("qwen-plus");
using IChatClient client = session.CreateClient();

var city = await client.GetResponseAsync<CityInfo>("Describe Paris, the capital of France, with a population of 2102650.");
Console.WriteLine();
Console.WriteLine($"CityInfo: {city.Result}");

var colors = await client.GetResponseAsync<string[]>("List the three primary colors: Red, Yellow, Blue.");
Console.WriteLine($"Colors: {string.Join(", ", colors.Result)}");

var sentiment = await client.GetResponseAsync<Sentiment>("Classify the sentiment of 'I love this library' as positive, negative or neutral.");
Console.WriteLine($"Sentiment: {sentiment.Result}");

internal sealed record CityInfo(string Name, string Country, int Population);

internal enum Sentiment
{
    Positive,
    Negative,
    Neutral,
}
