using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Qwen.Extensions.AI.Emulator.Wire;

namespace Qwen.Extensions.AI.Emulator;

/// <summary>
/// A loopback stand-in for DashScope compatible mode: serves <c>POST /compatible-mode/v1/chat/completions</c> (and
/// <c>POST /compatible-mode/v1/embeddings</c> and the Files API under <c>/compatible-mode/v1/files</c>) on 127.0.0.1
/// with the real wire format (JSON and SSE), answers deterministically from the prompt or from a script, injects faults,
/// and records every request it receives.
/// </summary>
/// <example>
/// <code>
/// await using var emulator = await QwenEmulator.StartAsync();
/// using var client = emulator.CreateChatClient();
/// var response = await client.GetResponseAsync("Who are you?");
/// </code>
/// </example>
public sealed class QwenEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly QwenEmulatorOptions _options;
    private readonly List<RecordedRequest> _requests = [];
    private readonly Queue<EmulatorReply> _script = new();
    private readonly object _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _openConnections;
    private int _totalConnections;
    private int _disposed;

    private QwenEmulator(QwenEmulatorOptions options)
    {
        _options = options;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(QwenEmulator).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen => listen.Use(next => async connection =>
            {
                Interlocked.Increment(ref _openConnections);
                Interlocked.Increment(ref _totalConnections);
                try
                {
                    await next(connection).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _openConnections);
                }
            }));
        });
        _app = builder.Build();
        var handler = new ChatCompletionsHandler(this, options, _stopping.Token);
        _app.Run(handler.HandleAsync);
        Endpoint = null!;
        BaseAddress = null!;
    }

    /// <summary>Gets the compatible-mode base URL to give a client, for example <c>http://127.0.0.1:5123/compatible-mode/v1</c>.</summary>
    public Uri Endpoint { get; private set; }

    /// <summary>Gets the server's root address, for example <c>http://127.0.0.1:5123/</c>.</summary>
    public Uri BaseAddress { get; private set; }

    /// <summary>Gets the API key the emulator accepts.</summary>
    public string ApiKey => _options.ApiKey;

    /// <summary>Gets the options the emulator runs with.</summary>
    public QwenEmulatorOptions Options => _options;

    /// <summary>Gets a snapshot of the requests received so far, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Gets the most recent request, or <see langword="null"/> when none arrived yet.</summary>
    public RecordedRequest? LastRequest
    {
        get
        {
            lock (_lock)
            {
                return _requests.Count == 0 ? null : _requests[^1];
            }
        }
    }

    /// <summary>Gets the number of client connections currently open.</summary>
    public int OpenConnections => Volatile.Read(ref _openConnections);

    /// <summary>Gets the number of client connections accepted since the start.</summary>
    public int TotalConnections => Volatile.Read(ref _totalConnections);

    /// <summary>Gets the number of scripted replies not yet used.</summary>
    public int PendingReplies
    {
        get
        {
            lock (_lock)
            {
                return _script.Count;
            }
        }
    }

    /// <summary>
    /// Gets or sets a function consulted (after the script queue is empty) for each authenticated request; returning
    /// <see langword="null"/> falls back to the default behaviour.
    /// </summary>
    public Func<RecordedRequest, EmulatorReply?>? Responder { get; set; }

    /// <summary>Starts an emulator on 127.0.0.1.</summary>
    /// <param name="options">Settings, or <see langword="null"/> for a free port and <see cref="QwenEmulatorOptions.DefaultApiKey"/>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop.</returns>
    public static async Task<QwenEmulator> StartAsync(QwenEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new QwenEmulatorOptions();
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            throw new ArgumentException("QwenEmulatorOptions.ApiKey must not be empty.", nameof(options));
        }

        if (options.Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Port, "QwenEmulatorOptions.Port must be 0 (a free port) or a port number.");
        }

        var emulator = new QwenEmulator(options);
        try
        {
            await emulator._app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await emulator._app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = emulator._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        emulator.Endpoint = new Uri(emulator.BaseAddress, "compatible-mode/v1");
        return emulator;
    }

    /// <summary>Queues exact replies; each authenticated request takes the next one (first in, first out).</summary>
    /// <param name="replies">The replies.</param>
    public void Enqueue(params EmulatorReply[] replies)
    {
        ArgumentNullException.ThrowIfNull(replies);
        lock (_lock)
        {
            foreach (var reply in replies)
            {
                _script.Enqueue(reply ?? throw new ArgumentException("A scripted reply is null.", nameof(replies)));
            }
        }
    }

    /// <summary>Forgets the recorded requests.</summary>
    public void ClearRequests()
    {
        lock (_lock)
        {
            _requests.Clear();
        }
    }

    /// <summary>Forgets recorded requests and scripted replies and removes the <see cref="Responder"/>.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _requests.Clear();
            _script.Clear();
        }

        Responder = null;
    }

    /// <summary>Creates a <see cref="QwenChatClient"/> bound to this emulator's endpoint and key.</summary>
    /// <param name="model">The default model, or <see langword="null"/> for <see cref="QwenEmulatorOptions.DefaultModelId"/>.</param>
    /// <returns>A client the caller disposes.</returns>
    public QwenChatClient CreateChatClient(string? model = null) => new(CreateClientOptions(model));

    /// <summary>Creates a <see cref="QwenEmbeddingGenerator"/> bound to this emulator's endpoint and key (served by <c>POST /embeddings</c>).</summary>
    /// <param name="model">The default model, or <see langword="null"/> for <c>text-embedding-v4</c>.</param>
    /// <returns>A generator the caller disposes.</returns>
    public QwenEmbeddingGenerator CreateEmbeddingGenerator(string? model = null) =>
        new(new QwenClientOptions { ApiKey = ApiKey, Endpoint = Endpoint, DefaultModelId = model ?? "text-embedding-v4" });

    /// <summary>Creates a <see cref="QwenFileClient"/> bound to this emulator's endpoint and key (served by <c>/files</c>).</summary>
    /// <returns>A client the caller disposes.</returns>
    [System.Diagnostics.CodeAnalysis.Experimental("MEAI001")]
    public QwenFileClient CreateFileClient() => new(new QwenClientOptions { ApiKey = ApiKey, Endpoint = Endpoint });

    /// <summary>Creates <see cref="QwenClientOptions"/> bound to this emulator's endpoint and key, to adjust (logging, retries) or register in DI.</summary>
    /// <param name="model">The default model, or <see langword="null"/> for <see cref="QwenEmulatorOptions.DefaultModelId"/>.</param>
    /// <returns>New options.</returns>
    public QwenClientOptions CreateClientOptions(string? model = null) =>
        new() { ApiKey = ApiKey, Endpoint = Endpoint, DefaultModelId = model ?? _options.DefaultModelId };

    /// <summary>Stops the server.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _stopping.Dispose();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"QwenEmulator {{ Endpoint = {Endpoint} }}";

    internal void Record(RecordedRequest request)
    {
        lock (_lock)
        {
            _requests.Add(request);
        }
    }

    internal EmulatorReply NextReply(RecordedRequest request)
    {
        lock (_lock)
        {
            if (_script.TryDequeue(out var scripted))
            {
                return scripted;
            }
        }

        return Responder?.Invoke(request) ?? EmulatorReply.Default();
    }
}
