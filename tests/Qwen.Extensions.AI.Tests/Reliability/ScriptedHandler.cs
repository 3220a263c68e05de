using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Qwen.Extensions.AI.Tests.Reliability;

/// <summary>An <see cref="HttpMessageHandler"/> that answers from a script, one step per request, and records what it saw.</summary>
internal sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _steps = new();
    private Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>? _fallback;
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    public List<string?> AuthorizationHeaders { get; } = new();

    public List<string> Bodies { get; } = new();

    public ScriptedHandler Then(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> step)
    {
        _steps.Enqueue(step);
        return this;
    }

    public ScriptedHandler Then(Func<HttpResponseMessage> response) => Then((_, _) => Task.FromResult(response()));

    public ScriptedHandler ThenStatus(HttpStatusCode status, string? body = null, Action<HttpResponseMessage>? configure = null) =>
        Then(() =>
        {
            var response = Json(status, body ?? $"{{\"error\":{{\"message\":\"status {(int)status}\",\"type\":\"t\",\"code\":\"c{(int)status}\"}}}}");
            configure?.Invoke(response);
            return response;
        });

    public ScriptedHandler ThenCompletion(string text = "Hello") => Then(() => Json(HttpStatusCode.OK, Payloads.Completion(text)));

    public ScriptedHandler ThenStream(params string[] events) => Then(() => Sse(new ScriptedStream(Encoding.UTF8.GetBytes(Payloads.Sse(events)))));

    public ScriptedHandler ThenThrow(Exception exception) => Then((_, _) => Task.FromException<HttpResponseMessage>(exception));

    /// <summary>Waits (honouring the token) for <paramref name="delay"/> before answering with <paramref name="next"/>.</summary>
    public ScriptedHandler ThenDelay(TimeSpan delay, Func<HttpResponseMessage> next) =>
        Then(async (_, ct) =>
        {
            await Task.Delay(delay, ct);
            return next();
        });

    public ScriptedHandler Always(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> step)
    {
        _fallback = step;
        return this;
    }

    public static HttpResponseMessage Json(HttpStatusCode status, string body, string? requestId = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (requestId is not null)
        {
            response.Headers.TryAddWithoutValidation("x-request-id", requestId);
        }

        return response;
    }

    public static HttpResponseMessage Sse(Stream stream, string? requestId = null)
    {
        var content = new StreamContent(stream);
        content.Headers.TryAddWithoutValidation("Content-Type", "text/event-stream");
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        if (requestId is not null)
        {
            response.Headers.TryAddWithoutValidation("x-request-id", requestId);
        }

        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (AuthorizationHeaders)
        {
            AuthorizationHeaders.Add(request.Headers.Authorization?.ToString());
            Bodies.Add(body);
        }

        if (_steps.TryDequeue(out var step))
        {
            return await step(request, cancellationToken);
        }

        if (_fallback is not null)
        {
            return await _fallback(request, cancellationToken);
        }

        throw new InvalidOperationException($"The script has no step for request {_requests}.");
    }
}
