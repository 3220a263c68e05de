using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Qwen.Extensions.AI.Emulator;

namespace Qwen.Extensions.AI.IntegrationTests.Emulator.Responses;

/// <summary>A clock the tests move by hand (stored-response and session-cache expiry).</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now = new(2026, 6, 16, 8, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>One SSE event as written on the wire: its <c>id:</c>, <c>event:</c>, comment and <c>data:</c> lines.</summary>
public sealed record SseFrame(string Raw, int Id, string Event, IReadOnlyList<string> Comments, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement;

    public string Type => Json.GetProperty("type").GetString()!;
}

/// <summary>Raw HTTP against the emulator's Responses routes; SSE parsed by hand, so the framing itself is under test.</summary>
public sealed class ResponsesHttp : IAsyncDisposable
{
    private readonly HttpClient _http;

    private ResponsesHttp(QwenEmulator emulator, ManualTimeProvider clock)
    {
        Emulator = emulator;
        Clock = clock;
        _http = new HttpClient { BaseAddress = emulator.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public QwenEmulator Emulator { get; }

    public ManualTimeProvider Clock { get; }

    public static async Task<ResponsesHttp> StartAsync()
    {
        var clock = new ManualTimeProvider();
        var emulator = await QwenEmulator.StartAsync(new QwenEmulatorOptions { TimeProvider = clock }, TestTimeout.Token);
        return new ResponsesHttp(emulator, clock);
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string body, string path = "compatible-mode/v1/responses", string? key = "", IDictionary<string, string>? headers = null) =>
        SendAsync(HttpMethod.Post, path, body, key, headers);

    public Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null, "", null);

    public Task<(HttpStatusCode Status, JsonElement Body)> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null, "", null);

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? body, string? key, IDictionary<string, string>? headers)
    {
        using var request = Request(method, path, body, key, headers);
        using var response = await _http.SendAsync(request, TestTimeout.Token);
        var text = await response.Content.ReadAsStringAsync(TestTimeout.Token);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString() ?? string.Empty);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Posts a streaming request and splits the body into frames, checking the framing of every one (§1.9).</summary>
    public async Task<(HttpStatusCode Status, List<SseFrame> Frames, string Raw)> StreamAsync(string body, IDictionary<string, string>? headers = null)
    {
        using var request = Request(HttpMethod.Post, "compatible-mode/v1/responses", body, "", headers);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestTimeout.Token);
        var raw = await response.Content.ReadAsStringAsync(TestTimeout.Token);
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType?.ToString() ?? string.Empty);
        Assert.DoesNotContain("[DONE]", raw, StringComparison.Ordinal);
        Assert.EndsWith("\n\n", raw, StringComparison.Ordinal);
        var frames = new List<SseFrame>();
        foreach (var block in raw.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            Assert.Equal(4, lines.Length);
            Assert.Matches("^id:[0-9]+$", lines[0]);
            Assert.Matches("^event:[a-z_.]+$", lines[1]);
            Assert.Equal(":HTTP_STATUS/200", lines[2]);
            Assert.StartsWith("data:{", lines[3], StringComparison.Ordinal);
            var frame = new SseFrame(block, int.Parse(lines[0][3..], System.Globalization.CultureInfo.InvariantCulture), lines[1]["event:".Length..], [lines[2]], lines[3]["data:".Length..]);
            Assert.Equal(frame.Event, frame.Type);
            frames.Add(frame);
        }

        return (response.StatusCode, frames, raw);
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return Emulator.DisposeAsync();
    }

    private HttpRequestMessage Request(HttpMethod method, string path, string? body, string? key, IDictionary<string, string>? headers)
    {
        var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key.Length == 0 ? Emulator.ApiKey : key);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return request;
    }
}

/// <summary>Shape assertions: the emulator's JSON has every key of a documented payload, with the same JSON kind.</summary>
public static class Shape
{
    /// <summary>
    /// Every key of <paramref name="documented"/> is in <paramref name="actual"/> with the same kind (a documented <c>null</c> accepts any
    /// kind; numbers match numbers whether written as 1 or 1.0). Arrays: each documented element is matched against the actual element
    /// with the same <c>type</c> (or the first one).
    /// </summary>
    public static void Covers(JsonElement documented, JsonElement actual, string path = "$")
    {
        if (documented.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        Assert.True(Kind(documented) == Kind(actual), $"{path}: documented {documented.ValueKind}, emulator {actual.ValueKind} ({Clip(actual.GetRawText())})");
        if (documented.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in documented.EnumerateObject())
            {
                Assert.True(actual.TryGetProperty(property.Name, out var value), $"{path}.{property.Name} is missing from {Clip(actual.GetRawText())}");
                Covers(property.Value, value, $"{path}.{property.Name}");
            }
        }
        else if (documented.ValueKind == JsonValueKind.Array && documented.GetArrayLength() > 0)
        {
            Assert.True(actual.GetArrayLength() > 0, $"{path}: the documented array has items, the emulator's is empty");
            foreach (var item in documented.EnumerateArray())
            {
                var type = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("type", out var t) ? t.GetString() : null;
                var match = actual.EnumerateArray().FirstOrDefault(a => type is null || (a.ValueKind == JsonValueKind.Object && a.TryGetProperty("type", out var at) && at.GetString() == type));
                Assert.True(match.ValueKind != JsonValueKind.Undefined, $"{path}: no item of type {type} in {Clip(actual.GetRawText())}");
                Covers(item, match, $"{path}[{type ?? "0"}]");
            }
        }
    }

    public static void Covers(string documented, JsonElement actual)
    {
        using var doc = JsonDocument.Parse(documented);
        Covers(doc.RootElement, actual);
    }

    private static JsonValueKind Kind(JsonElement e) => e.ValueKind == JsonValueKind.False ? JsonValueKind.True : e.ValueKind;

    private static string Clip(string s) => s.Length <= 300 ? s : s[..300] + "…";
}
