using System.Text.Json;
using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Emulator;

namespace Qwen.Extensions.AI.IntegrationTests.Conformance;

/// <summary>Where the conformance cases run: the loopback emulator, or DashScope itself (live).</summary>
public abstract class ConformanceTarget : IAsyncDisposable
{
    /// <summary>Gets a value indicating whether this target is the real service (assertions on answers stay loose).</summary>
    public abstract bool IsLive { get; }

    public abstract string ApiKey { get; }

    public abstract Uri Endpoint { get; }

    public abstract string ChatModel { get; }

    public abstract string VisionModel { get; }

    /// <summary>Gets the request bodies the server received (emulator) or the client put on the wire (live), oldest first.</summary>
    public abstract IReadOnlyList<JsonElement> Received { get; }

    /// <summary>Creates options bound to this target (the caller may add a logger factory).</summary>
    public abstract QwenClientOptions CreateOptions(string? model = null);

    /// <summary>Creates a plain <see cref="QwenChatClient"/> for this target.</summary>
    public virtual IChatClient CreateClient(string? model = null) => new QwenChatClient(CreateOptions(model), CreateHttpClient());

    public abstract ValueTask DisposeAsync();

    protected virtual HttpClient? CreateHttpClient() => null;
}

/// <summary>The emulator on 127.0.0.1; <see cref="Received"/> is what its socket got.</summary>
public sealed class EmulatorTarget : ConformanceTarget
{
    private EmulatorTarget(QwenEmulator emulator) => Emulator = emulator;

    public QwenEmulator Emulator { get; }

    public override bool IsLive => false;

    public override string ApiKey => Emulator.ApiKey;

    public override Uri Endpoint => Emulator.Endpoint;

    public override string ChatModel => "qwen-plus";

    public override string VisionModel => "qwen-vl-plus";

    public override IReadOnlyList<JsonElement> Received => [.. Emulator.Requests.Select(r => r.Json ?? throw new InvalidOperationException("The emulator received a body that is not JSON: " + r.BodyText))];

    public static async Task<EmulatorTarget> StartAsync() => new(await QwenEmulator.StartAsync());

    public override QwenClientOptions CreateOptions(string? model = null) => Emulator.CreateClientOptions(model ?? ChatModel);

    public override ValueTask DisposeAsync() => Emulator.DisposeAsync();
}

/// <summary>DashScope (DASHSCOPE_API_KEY; DASHSCOPE_ENDPOINT, DASHSCOPE_CHAT_MODEL, DASHSCOPE_VISION_MODEL optional); <see cref="Received"/> is recorded on the way out.</summary>
public sealed class LiveTarget : ConformanceTarget
{
    private readonly RecordingHandler _recorder = new();

    public override bool IsLive => true;

    public override string ApiKey => Environment.GetEnvironmentVariable("DASHSCOPE_API_KEY") ?? throw new InvalidOperationException("DASHSCOPE_API_KEY is not set.");

    public override Uri Endpoint => Environment.GetEnvironmentVariable("DASHSCOPE_ENDPOINT") is { Length: > 0 } e ? new Uri(e) : QwenEndpoints.Singapore;

    public override string ChatModel => Environment.GetEnvironmentVariable("DASHSCOPE_CHAT_MODEL") is { Length: > 0 } m ? m : "qwen-plus";

    public override string VisionModel => Environment.GetEnvironmentVariable("DASHSCOPE_VISION_MODEL") is { Length: > 0 } m ? m : "qwen-vl-plus";

    public override IReadOnlyList<JsonElement> Received => _recorder.Bodies;

    public override QwenClientOptions CreateOptions(string? model = null) => new() { ApiKey = ApiKey, Endpoint = Endpoint, DefaultModelId = model ?? ChatModel };

    public override ValueTask DisposeAsync()
    {
        _recorder.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override HttpClient? CreateHttpClient() => new(_recorder, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(120) };

    /// <summary>Keeps a copy of every request body before it leaves.</summary>
    private sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly List<JsonElement> _bodies = [];

        public IReadOnlyList<JsonElement> Bodies
        {
            get
            {
                lock (_bodies)
                {
                    return [.. _bodies];
                }
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null)
            {
                var bytes = await request.Content.ReadAsByteArrayAsync(cancellationToken);
                using var document = JsonDocument.Parse(bytes);
                lock (_bodies)
                {
                    _bodies.Add(document.RootElement.Clone());
                }
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
