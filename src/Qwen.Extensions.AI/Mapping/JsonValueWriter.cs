using System.Text.Json.Nodes;

namespace Qwen.Extensions.AI.Mapping;

/// <summary>Writes loosely typed values (from <c>AdditionalProperties</c>, tool results, arguments) as JSON, without reflection; <see cref="LooseValue"/> reads them.</summary>
internal static class JsonValueWriter
{
    /// <summary>Writes any value: primitives directly, JSON DOM values as they are, anything else through <see cref="AIJsonUtilities.DefaultOptions"/>.</summary>
    public static void Write(Utf8JsonWriter writer, object? value, string what)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); return;
            case string s: writer.WriteStringValue(s); return;
            case bool b: writer.WriteBooleanValue(b); return;
            case int i: writer.WriteNumberValue(i); return;
            case long l: writer.WriteNumberValue(l); return;
            case short sh: writer.WriteNumberValue(sh); return;
            case byte by: writer.WriteNumberValue(by); return;
            case uint ui: writer.WriteNumberValue(ui); return;
            case ulong ul: writer.WriteNumberValue(ul); return;
            case double d: WriteDouble(writer, d, what); return;
            case float f: WriteDouble(writer, f, what); return;
            case decimal m: writer.WriteNumberValue(m); return;
            case JsonElement e: e.WriteTo(writer); return;
            case JsonNode n: n.WriteTo(writer); return;
            case JsonDocument doc: doc.WriteTo(writer); return;
            case Enum en: writer.WriteStringValue(en.ToString()); return;
            case IEnumerable<string> strings:
                writer.WriteStartArray();
                foreach (var item in strings)
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
                return;
        }

        JsonSerializerOptions options = AIJsonUtilities.DefaultOptions;
        if (!options.TryGetTypeInfo(value.GetType(), out var typeInfo))
        {
            throw new ArgumentException(
                $"{what} holds a value of type '{value.GetType().FullName}' that cannot be serialized to JSON without reflection. " +
                "Pass a primitive, a string, a JsonElement/JsonNode, or a dictionary/list of those.", what);
        }

        try
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or JsonException)
        {
            throw new ArgumentException($"{what} holds a value of type '{value.GetType().FullName}' that cannot be serialized to JSON: {ex.Message} Pass a primitive, a string, a JsonElement/JsonNode, or a dictionary/list of those.", what, ex);
        }
    }

    /// <summary>
    /// The escaping of every JSON the client writes, nested JSON text included: only what JSON requires, so <c>北京</c> and
    /// <c>&lt; &gt; &amp; ' +</c> stay raw, as in the body around them and as MEAI's OpenAIChatClient sends them
    /// (<see cref="AIJsonUtilities.DefaultOptions"/> uses the same encoder).
    /// </summary>
    internal static readonly JsonWriterOptions RelaxedOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Serializes a value to JSON text (for tool arguments and tool results, which travel as strings), escaped as <see cref="RelaxedOptions"/>.</summary>
    public static string ToJsonString(object? value, string what)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, RelaxedOptions))
        {
            Write(writer, value, what);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteDouble(Utf8JsonWriter writer, double d, string what)
    {
        if (double.IsNaN(d) || double.IsInfinity(d))
        {
            throw new ArgumentException($"{what} is {d.ToString(CultureInfo.InvariantCulture)}, which JSON cannot carry.", what);
        }

        writer.WriteNumberValue(d);
    }
}
