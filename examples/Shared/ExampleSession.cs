using Microsoft.Extensions.AI;
using Qwen.Extensions.AI;
using Qwen.Extensions.AI.Emulator;

/// <summary>
/// Live against DashScope when DASHSCOPE_API_KEY is set; otherwise OFFLINE against the local Qwen emulator, started in-process.
/// The environment variables every example reads: DASHSCOPE_API_KEY, DASHSCOPE_ENDPOINT (default: Singapore) and
/// DASHSCOPE_MODEL (default: the example's own model); the last two apply only live.
/// </summary>
internal sealed class ExampleSession : IAsyncDisposable
{
    private readonly QwenEmulator? _emulator;

    private ExampleSession(Uri endpoint, string apiKey, string model, QwenEmulator? emulator)
    {
        Endpoint = endpoint;
        ApiKey = apiKey;
        Model = model;
        _emulator = emulator;
    }

    /// <summary>Gets a value indicating whether the example runs against the local emulator.</summary>
    public bool IsOffline => _emulator is not null;

    public Uri Endpoint { get; }

    public string ApiKey { get; }

    public string Model { get; }

    /// <summary>Options for a <see cref="QwenChatClient"/> bound to this session.</summary>
    public QwenClientOptions ClientOptions => new() { ApiKey = ApiKey, Endpoint = Endpoint, DefaultModelId = Model };

    /// <summary>Starts a session for <paramref name="model"/> (DASHSCOPE_ENDPOINT and DASHSCOPE_MODEL may override it live).</summary>
    public static async Task<ExampleSession> StartAsync(string model)
    {
        var key = Environment.GetEnvironmentVariable(QwenClientOptions.ApiKeyEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(key))
        {
            var endpoint = Environment.GetEnvironmentVariable(EndpointVariable) is { Length: > 0 } e ? new Uri(e) : QwenEndpoints.Singapore;
            model = Environment.GetEnvironmentVariable(ModelVariable) is { Length: > 0 } m ? m : model;
            Console.WriteLine($"LIVE: calling DashScope at {endpoint} with model {model}.");
            return new ExampleSession(endpoint, key, model, null);
        }

        // A short pause between streamed events so offline streaming looks like streaming.
        var emulator = await QwenEmulator.StartAsync(new QwenEmulatorOptions { DelayBetweenEvents = TimeSpan.FromMilliseconds(30) });
        Console.WriteLine($"OFFLINE: DASHSCOPE_API_KEY is not set, so this example runs against the local Qwen emulator at {emulator.Endpoint}.");
        Console.WriteLine("         Replies are deterministic stand-ins, not the model's; set DASHSCOPE_API_KEY to talk to the real Qwen.");
        return new ExampleSession(emulator.Endpoint, emulator.ApiKey, model, emulator);
    }

    /// <summary>The environment variable that overrides the endpoint when live.</summary>
    public const string EndpointVariable = "DASHSCOPE_ENDPOINT";

    /// <summary>The environment variable that overrides the example's model when live.</summary>
    public const string ModelVariable = "DASHSCOPE_MODEL";

    /// <summary>Creates a client for this session (the caller disposes it).</summary>
    public IChatClient CreateClient() => new QwenChatClient(ClientOptions);

    public ValueTask DisposeAsync() => _emulator?.DisposeAsync() ?? ValueTask.CompletedTask;
}
