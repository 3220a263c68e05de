using System.Text;
using System.Text.Json;

namespace Qwen.Extensions.AI.TestUtilities;

/// <summary>One request as the <see cref="FakeHttpHandler"/> saw it: method, URI, every header and the body bytes.</summary>
public sealed class RecordedRequest
{
    public required HttpMethod Method { get; init; }

    public required Uri Uri { get; init; }

    /// <summary>Request and content headers, by name (case-insensitive).</summary>
    public required IReadOnlyDictionary<string, string[]> Headers { get; init; }

    public required byte[] Body { get; init; }

    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The body parsed as JSON (a clone, safe to keep).</summary>
    public JsonElement Json
    {
        get
        {
            using var doc = JsonDocument.Parse(Body);
            return doc.RootElement.Clone();
        }
    }

    public string? Header(string name) => Headers.TryGetValue(name, out var values) ? string.Join(", ", values) : null;
}
