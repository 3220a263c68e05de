using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Qwen.Extensions.AI.IntegrationTests.Reliability;

/// <summary>
/// A raw HTTP/1.1 server on 127.0.0.1 whose handler controls every byte of the answer: headers, framing, silence, garbage.
/// Each accepted connection serves requests until the handler closes it or the client goes; the handler runs once per request.
/// Disposing it stops accepting and aborts every open connection, so a handler that waits forever still ends.
/// </summary>
public sealed class HostileServer : IAsyncDisposable
{
    /// <summary>The key every test client sends, and that hostile answers echo.</summary>
    public const string ApiKey = "fake-hostile-server-test-key-not-a-secret";

    private readonly TcpListener _listener;
    private readonly Func<HostileExchange, Task> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = new();
    private readonly Task _accepting;
    private int _connections;
    private int _requests;

    private HostileServer(Func<HostileExchange, Task> handler)
    {
        _handler = handler;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri Endpoint => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/compatible-mode/v1/");

    /// <summary>Gets how many TCP connections the server accepted.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Gets how many requests the server read.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Gets a token cancelled when the server is disposed, for handlers that wait.</summary>
    public CancellationToken Stopping => _stop.Token;

    public static HostileServer Start(Func<HostileExchange, Task> handler) => new(handler);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                try
                {
                    // Reset rather than close, so a client waiting on this connection sees it end at once.
                    client.Client?.Close(0);
                }
                catch (Exception)
                {
                    // Already closed by its serving loop.
                }

                client.Dispose();
            }
        }

        try
        {
            await _accepting.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // Stopped.
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            client.NoDelay = true;
            lock (_clients)
            {
                _clients.Add(client);
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            var reader = new RequestReader(stream);
            while (!_stop.IsCancellationRequested)
            {
                var request = await reader.ReadAsync(_stop.Token);
                if (request is null)
                {
                    return;
                }

                var index = Interlocked.Increment(ref _requests) - 1;
                var exchange = new HostileExchange(stream, request.Value.Head, request.Value.Body, index, _stop.Token);
                await _handler(exchange);
                await stream.FlushAsync(_stop.Token);
                if (exchange.CloseAfter)
                {
                    return;
                }
            }
        }
        catch (Exception)
        {
            // The client went away, or the server stopped.
        }
        finally
        {
            client.Dispose();
        }
    }

    private sealed class RequestReader(NetworkStream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<(string Head, string Body)?> ReadAsync(CancellationToken cancellationToken)
        {
            int headEnd;
            while ((headEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
            {
                if (!await FillAsync(cancellationToken))
                {
                    return null;
                }
            }

            var head = Encoding.ASCII.GetString(_buffer, _start, headEnd);
            _start += headEnd + 4;
            var length = 0;
            foreach (var line in head.Split("\r\n"))
            {
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                {
                    length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            var body = new MemoryStream();
            while (body.Length < length)
            {
                if (_start == _end && !await FillAsync(cancellationToken))
                {
                    return null;
                }

                var take = (int)Math.Min(_end - _start, length - body.Length);
                body.Write(_buffer, _start, take);
                _start += take;
            }

            return (head, Encoding.UTF8.GetString(body.ToArray()));
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            _end += read;
            return read > 0;
        }
    }
}

/// <summary>One request to a <see cref="HostileServer"/>, and the raw stream to answer it on.</summary>
public sealed class HostileExchange(NetworkStream stream, string head, string body, int index, CancellationToken stopping)
{
    public NetworkStream Stream { get; } = stream;

    public string Head { get; } = head;

    public string Body { get; } = body;

    /// <summary>Gets the 0-based number of this request on the server.</summary>
    public int Index { get; } = index;

    public CancellationToken Stopping { get; } = stopping;

    public bool IsStreaming => Body.Contains("\"stream\":true", StringComparison.Ordinal);

    /// <summary>Gets or sets a value indicating whether the connection is closed after this answer.</summary>
    public bool CloseAfter { get; set; }

    public Task WriteAsync(string text) => WriteAsync(Encoding.UTF8.GetBytes(text));

    public async Task WriteAsync(byte[] bytes)
    {
        await Stream.WriteAsync(bytes, Stopping);
        await Stream.FlushAsync(Stopping);
    }

    /// <summary>Writes a status line and headers (each "Name: value"), and the blank line.</summary>
    public Task WriteHeadAsync(int status, params string[] headers) =>
        WriteAsync($"HTTP/1.1 {status} {ReasonPhrase(status)}\r\n{string.Concat(headers.Select(h => h + "\r\n"))}\r\n");

    /// <summary>A complete answer with a Content-Length body.</summary>
    public async Task WriteResponseAsync(int status, string contentType, byte[] body, params string[] headers)
    {
        await WriteHeadAsync(status, [$"Content-Type: {contentType}", $"Content-Length: {body.Length}", .. headers]);
        await WriteAsync(body);
    }

    public Task WriteResponseAsync(int status, string contentType, string body, params string[] headers) =>
        WriteResponseAsync(status, contentType, Encoding.UTF8.GetBytes(body), headers);

    /// <summary>Waits until the server stops (the test ends): silence.</summary>
    public async Task HoldAsync()
    {
        try
        {
            await Task.Delay(Timeout.Infinite, Stopping);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One chunk of a chunked body.</summary>
    public Task WriteChunkAsync(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return WriteAsync($"{bytes.Length:x}\r\n{text}\r\n");
    }

    /// <summary>A whole SSE answer, Content-Length framed.</summary>
    public Task WriteEventsAsync(params string[] data) =>
        WriteResponseAsync(200, "text/event-stream", string.Concat(data.Select(d => $"data: {d}\n\n")));

    public static string TextChunk(string text) =>
        $$"""{"id":"chatcmpl-h","object":"chat.completion.chunk","created":1724729595,"model":"qwen-plus","choices":[{"index":0,"delta":{"content":"{{text}}"},"finish_reason":null}]}""";

    public static string Completion(string text, string usage = """{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}""") =>
        $$"""{"id":"chatcmpl-h","object":"chat.completion","created":1724729595,"model":"qwen-plus","choices":[{"index":0,"message":{"role":"assistant","content":"{{text}}"},"finish_reason":"stop"}],"usage":{{usage}}}""";

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
