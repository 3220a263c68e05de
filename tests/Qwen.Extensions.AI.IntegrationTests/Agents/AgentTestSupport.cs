using System.ComponentModel;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Emulator;
using RecordedRequest = Qwen.Extensions.AI.Emulator.RecordedRequest;

namespace Qwen.Extensions.AI.IntegrationTests.Agents;

/// <summary>
/// Shared pieces of the Agent Framework suite: a <see cref="QwenChatClient"/> on a real loopback emulator, tools that
/// count their calls, and readers for what the emulator received.
/// </summary>
public abstract class AgentTestBase : IAsyncLifetime
{
    protected const string WeatherQuestion = "What is the weather like in Paris today?";

    protected const string WeatherResult = "Sunny, 22 °C in Paris";

    protected QwenEmulator Emulator { get; private set; } = null!;

    /// <summary>Gets the cities <see cref="GetWeather"/> was called with, in order.</summary>
    protected List<string> WeatherCalls { get; } = [];

    public async Task InitializeAsync() => Emulator = await QwenEmulator.StartAsync();

    public async Task DisposeAsync() => await Emulator.DisposeAsync();

    /// <summary>A QwenChatClient built from public options only, as a user would build it (no agent-specific wrapper).</summary>
    /// <remarks>The Responses suite overrides it with a <see cref="QwenResponsesChatClient"/>, so the shared scenarios run over both.</remarks>
    protected virtual IChatClient CreateClient(string model = "qwen-plus") => new QwenChatClient(Emulator.CreateClientOptions(model));

    protected AIFunction WeatherTool() => AIFunctionFactory.Create(GetWeather, "get_weather", "Gets the current weather for a city.");

    [Description("Gets the current weather for a city.")]
    private string GetWeather([Description("The city, for example Paris")] string city)
    {
        lock (WeatherCalls)
        {
            WeatherCalls.Add(city);
        }

        return $"Sunny, 22 °C in {city}";
    }

    /// <summary>The <c>role</c> of each message of a recorded request.</summary>
    protected static string[] Roles(RecordedRequest request) => [.. request.Messages.Select(m => m.GetProperty("role").GetString()!)];

    /// <summary>The text of a recorded message: a string <c>content</c>, or its text parts joined.</summary>
    protected static string Text(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return string.Empty;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        var text = new StringBuilder();
        if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.EnumerateArray())
            {
                if (part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                {
                    text.Append(t.GetString());
                }
            }
        }

        return text.ToString();
    }
}

/// <summary>The structured-output target of <c>RunAsync&lt;T&gt;</c>.</summary>
public sealed record CityInfo(string Name, string Country, int Population);

/// <summary>Source-generated metadata, so structured output needs no reflection-based serialization.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CityInfo))]
internal sealed partial class AgentTestJsonContext : JsonSerializerContext;
