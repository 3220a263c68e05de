using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Qwen.Extensions.AI.Mapping;

/// <summary>Writes and coerces loosely typed values (from <c>AdditionalProperties</c>, tool results, arguments) as JSON, without reflection.</summary>
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

    /// <summary>Serializes a value to JSON text (for tool arguments and tool results, which travel as strings).</summary>
    public static string ToJsonString(object? value, string what)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
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

    public static bool TryGetBoolean(object? value, out bool result)
    {
        switch (value)
        {
            case bool b: result = b; return true;
            case JsonElement { ValueKind: JsonValueKind.True }: result = true; return true;
            case JsonElement { ValueKind: JsonValueKind.False }: result = false; return true;
            case JsonElement { ValueKind: JsonValueKind.String } e when bool.TryParse(e.GetString(), out result): return true;
            case JsonValue v when v.TryGetValue(out bool vb): result = vb; return true;
            case JsonValue v when v.TryGetValue(out string? vs) && bool.TryParse(vs, out result): return true;
            case string s when bool.TryParse(s, out result): return true;
        }

        result = default;
        return false;
    }

    /// <summary>Reads a whole number from any numeric representation; SK hands numbers over as <see cref="double"/>, so 50.0 is 50.</summary>
    public static bool TryGetInteger(object? value, out long result)
    {
        switch (value)
        {
            case int i: result = i; return true;
            case long l: result = l; return true;
            case short s: result = s; return true;
            case byte b: result = b; return true;
            case uint ui: result = ui; return true;
            case ulong ul when ul <= long.MaxValue: result = (long)ul; return true;
            case double d: return TryWhole(d, out result);
            case float f: return TryWhole(f, out result);
            case decimal m when m == decimal.Truncate(m) && m >= long.MinValue && m <= long.MaxValue: result = (long)m; return true;
            case string str: return long.TryParse(str, NumberStyles.Integer, CultureInfo.InvariantCulture, out result)
                || (double.TryParse(str, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && TryWhole(parsed, out result));
            case JsonElement { ValueKind: JsonValueKind.Number } e:
                if (e.TryGetInt64(out result))
                {
                    return true;
                }

                return TryWhole(e.GetDouble(), out result);
            case JsonElement { ValueKind: JsonValueKind.String } e: return TryGetInteger(e.GetString(), out result);
            case JsonValue v:
                if (v.TryGetValue(out long vl)) { result = vl; return true; }
                if (v.TryGetValue(out double vd)) { return TryWhole(vd, out result); }
                if (v.TryGetValue(out JsonElement ve)) { return TryGetInteger(ve, out result); }
                break;
        }

        result = default;
        return false;
    }

    public static bool TryGetNumber(object? value, out double result)
    {
        switch (value)
        {
            case double d: result = d; return !double.IsNaN(d) && !double.IsInfinity(d);
            case float f: result = f; return !float.IsNaN(f) && !float.IsInfinity(f);
            case decimal m: result = (double)m; return true;
            case string str: return double.TryParse(str, NumberStyles.Float, CultureInfo.InvariantCulture, out result);
            case JsonElement { ValueKind: JsonValueKind.Number } e: result = e.GetDouble(); return true;
            case JsonElement { ValueKind: JsonValueKind.String } e: return TryGetNumber(e.GetString(), out result);
            case JsonValue v:
                if (v.TryGetValue(out double vd)) { result = vd; return true; }
                if (v.TryGetValue(out JsonElement ve)) { return TryGetNumber(ve, out result); }
                break;
        }

        if (TryGetInteger(value, out var l))
        {
            result = l;
            return true;
        }

        result = default;
        return false;
    }

    private static bool TryWhole(double d, out long result)
    {
        if (!double.IsNaN(d) && !double.IsInfinity(d) && d == Math.Floor(d) && d >= long.MinValue && d <= long.MaxValue)
        {
            result = (long)d;
            return true;
        }

        result = default;
        return false;
    }
}
