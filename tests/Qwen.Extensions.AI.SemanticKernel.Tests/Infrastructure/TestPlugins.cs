using System.Collections.Concurrent;
using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace Qwen.Extensions.AI.SemanticKernel.Tests.Infrastructure;

public sealed class WeatherPlugin
{
    public ConcurrentQueue<(string City, int Days)> Calls { get; } = new();

    [KernelFunction, Description("Gets the weather forecast for a city.")]
    public string GetForecast([Description("The city")] string city, [Description("How many days")] int days)
    {
        Calls.Enqueue((city, days));
        return $"{city}: sunny for {days} days";
    }
}

public sealed class AlertsPlugin
{
    public ConcurrentQueue<string> Conditions { get; } = new();

    [KernelFunction, Description("Subscribes to a weather alert.")]
    public string Subscribe([Description("The weather condition to alert on, for example rain")] string condition)
    {
        Conditions.Enqueue(condition);
        return $"subscribed to {condition}";
    }
}

public static class Json
{
    public static System.Text.Json.JsonElement Parse(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();
}
