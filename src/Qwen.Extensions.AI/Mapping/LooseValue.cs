using System.Text.Json.Nodes;

namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// Coerces loosely typed parameter values the way callers hand them over: CLR values, strings, <see cref="JsonElement"/>s from
/// JSON/YAML and <see cref="JsonNode"/>s. The one coercion for <c>AdditionalProperties</c> and Semantic Kernel settings.
/// </summary>
internal static class LooseValue
{
    /// <summary>Reads true/false from a boolean, a JSON boolean, or the text "true"/"false".</summary>
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
            case string str:
                return long.TryParse(str, NumberStyles.Integer, CultureInfo.InvariantCulture, out result)
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
