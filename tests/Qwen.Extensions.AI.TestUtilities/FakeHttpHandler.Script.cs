using System.Net;
using System.Text;

namespace Qwen.Extensions.AI.TestUtilities;

/// <summary>The script of a <see cref="FakeHttpHandler"/>: replies, delays, faults and a fallback, one step per request.</summary>
public sealed partial class FakeHttpHandler
{
    private Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>? _fallback;
    private int _requestCount;

    /// <summary>Every call to SendAsync, including one whose token was already cancelled (and so was not recorded).</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>The Authorization header of each recorded request, in order.</summary>
    public IReadOnlyList<string?> AuthorizationHeaders => [.. Requests.Select(r => r.Header("Authorization"))];

    /// <summary>The body of each recorded request as text, in order.</summary>
    public IReadOnlyList<string> Bodies => [.. Requests.Select(r => r.BodyText)];

    public FakeHttpHandler Then(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> step)
    {
        _steps.Enqueue(step);
        return this;
    }

    public FakeHttpHandler Then(Func<HttpResponseMessage> response) => Then((_, _) => Task.FromResult(response()));

    public FakeHttpHandler ThenStatus(HttpStatusCode status, string? body = null, Action<HttpResponseMessage>? configure = null) =>
        Then(() =>
        {
            var response = Json(status, body ?? $"{{\"error\":{{\"message\":\"status {(int)status}\",\"type\":\"t\",\"code\":\"c{(int)status}\"}}}}");
            configure?.Invoke(response);
            return response;
        });

    public FakeHttpHandler ThenCompletion(string text = "Hello") => Then(() => Json(HttpStatusCode.OK, Payloads.Completion(text)));

    public FakeHttpHandler ThenStream(params string[] events) => Then(() => Sse(new ScriptedStream(Encoding.UTF8.GetBytes(Payloads.Sse(events)))));

    public FakeHttpHandler ThenThrow(Exception exception) => Then((_, _) => Task.FromException<HttpResponseMessage>(exception));

    /// <summary>Waits (honouring the token) for <paramref name="delay"/> before answering with <paramref name="next"/>.</summary>
    public FakeHttpHandler ThenDelay(TimeSpan delay, Func<HttpResponseMessage> next) =>
        Then(async (_, ct) =>
        {
            await Task.Delay(delay, ct);
            return next();
        });

    /// <summary>The answer to every request once the queued steps are used up.</summary>
    public FakeHttpHandler Always(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> step)
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
}
