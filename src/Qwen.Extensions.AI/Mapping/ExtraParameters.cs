using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// The policy for <c>ChatOptions.AdditionalProperties</c>: known compatible-mode parameters are validated and written with
/// their wire types (SK's 50.0 becomes 50); keys shaped like wire names (lower snake_case) pass through as they are, for
/// parameters DashScope adds later; other keys are application metadata and are not sent; keys the client owns are refused.
/// </summary>
internal static class ExtraParameters
{
    private enum Kind
    {
        Boolean,
        Integer,
        Number,
        Object,
        StringArray,
        StringOrArray,
        StringOrObject,
    }

    private readonly record struct Spec(Kind Kind, double Min = double.NegativeInfinity, double Max = double.PositiveInfinity, bool MinExclusive = false, bool MaxExclusive = false, string? Range = null);

    private static readonly Dictionary<string, Spec> Known = new(StringComparer.Ordinal)
    {
        [QwenPropertyNames.EnableThinking] = new(Kind.Boolean),
        [QwenPropertyNames.ThinkingBudget] = new(Kind.Integer, Min: 1, Max: int.MaxValue, Range: "a whole number ≥ 1"),
        [QwenPropertyNames.PreserveThinking] = new(Kind.Boolean),
        [QwenPropertyNames.TopK] = new(Kind.Integer, Min: 0, Max: int.MaxValue, Range: "a whole number ≥ 0 (above 100 disables top-k), or null"),
        [QwenPropertyNames.EnableSearch] = new(Kind.Boolean),
        [QwenPropertyNames.SearchOptions] = new(Kind.Object),
        [QwenPropertyNames.EnableCodeInterpreter] = new(Kind.Boolean),
        [QwenPropertyNames.VlHighResolutionImages] = new(Kind.Boolean),
        [QwenPropertyNames.RepetitionPenalty] = new(Kind.Number, Min: 0, MinExclusive: true, Range: "a number > 0"),
        [QwenPropertyNames.N] = new(Kind.Integer, Min: 1, Max: 4, Range: "a whole number from 1 to 4"),
        [QwenPropertyNames.Logprobs] = new(Kind.Boolean),
        [QwenPropertyNames.TopLogprobs] = new(Kind.Integer, Min: 0, Max: 5, Range: "a whole number from 0 to 5"),
        [QwenPropertyNames.Modalities] = new(Kind.StringArray),
        [QwenPropertyNames.Audio] = new(Kind.Object),
        ["temperature"] = new(Kind.Number, Min: 0, Max: 2, MaxExclusive: true, Range: "a number in [0, 2)"),
        ["top_p"] = new(Kind.Number, Min: 0, Max: 1, MinExclusive: true, Range: "a number in (0, 1]"),
        ["presence_penalty"] = new(Kind.Number, Min: -2, Max: 2, Range: "a number in [-2, 2]"),
        ["seed"] = new(Kind.Integer, Min: 0, Max: int.MaxValue, Range: "a whole number in [0, 2^31-1]"),
        ["max_tokens"] = new(Kind.Integer, Min: 1, Max: int.MaxValue, Range: "a whole number ≥ 1"),
        ["stop"] = new(Kind.StringOrArray),
        ["response_format"] = new(Kind.Object),
        ["tool_choice"] = new(Kind.StringOrObject),
        ["parallel_tool_calls"] = new(Kind.Boolean),
    };

    /// <summary>Body fields the client writes itself; an extra of that name would corrupt the request.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "model", "messages", "stream", "stream_options", "tools" };

    /// <summary>Whether an extra with this wire name is present (and so wins over a value derived from a typed option).</summary>
    public static bool Has(IReadOnlyDictionary<string, object?>? extras, string wireName) => extras is not null && extras.ContainsKey(wireName);

    /// <summary>Reads a boolean extra, for decisions the client makes from it (for example <c>preserve_thinking</c>).</summary>
    public static bool IsTrue(IReadOnlyDictionary<string, object?>? extras, string wireName) =>
        extras is not null && extras.TryGetValue(wireName, out var v) && JsonValueWriter.TryGetBoolean(v, out var b) && b;

    /// <summary>Reads an integer extra (for example <c>n</c>), when present and valid.</summary>
    public static long? GetInteger(IReadOnlyDictionary<string, object?>? extras, string wireName) =>
        extras is not null && extras.TryGetValue(wireName, out var v) && JsonValueWriter.TryGetInteger(v, out var l) ? l : null;

    /// <summary>Writes every extra that goes on the wire, validating known parameters.</summary>
    public static void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, object?> extras)
    {
        foreach (var pair in extras)
        {
            var key = pair.Key;
            if (Reserved.Contains(key))
            {
                throw new ArgumentException(
                    $"ChatOptions.AdditionalProperties[\"{key}\"] cannot be set: the client writes '{key}' itself. " +
                    (key == "model" ? "Use ChatOptions.ModelId." : key == "tools" ? "Use ChatOptions.Tools." : "Streaming is chosen by calling GetStreamingResponseAsync."),
                    "options");
            }

            if (Known.TryGetValue(key, out var spec))
            {
                WriteKnown(writer, key, pair.Value, spec);
            }
            else if (IsWireName(key))
            {
                writer.WritePropertyName(key);
                JsonValueWriter.Write(writer, pair.Value, Describe(key));
            }

            // Anything else (PascalCase, dotted, ...) is application metadata that MEAI middleware and Semantic Kernel keep in
            // AdditionalProperties; it is not a request parameter, so it is not sent. The README documents this.
        }
    }

    private static void WriteKnown(Utf8JsonWriter writer, string key, object? value, Spec spec)
    {
        if (value is null || value is JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined })
        {
            if (key == QwenPropertyNames.TopK)
            {
                writer.WriteNull(key);
            }

            return;
        }

        switch (spec.Kind)
        {
            case Kind.Boolean:
                if (!JsonValueWriter.TryGetBoolean(value, out var b))
                {
                    throw Invalid(key, value, "true or false");
                }

                writer.WriteBoolean(key, b);
                return;

            case Kind.Integer:
                if (!JsonValueWriter.TryGetInteger(value, out var l))
                {
                    throw Invalid(key, value, spec.Range ?? "a whole number");
                }

                if (l < spec.Min || l > spec.Max)
                {
                    throw new ArgumentOutOfRangeException("options", l, $"{Describe(key)} must be {spec.Range}; got {l.ToString(CultureInfo.InvariantCulture)}.");
                }

                writer.WriteNumber(key, l);
                return;

            case Kind.Number:
                if (!JsonValueWriter.TryGetNumber(value, out var d))
                {
                    throw Invalid(key, value, spec.Range ?? "a number");
                }

                if (d < spec.Min || d > spec.Max || (spec.MinExclusive && d == spec.Min) || (spec.MaxExclusive && d == spec.Max))
                {
                    throw new ArgumentOutOfRangeException("options", d, $"{Describe(key)} must be {spec.Range}; got {d.ToString(CultureInfo.InvariantCulture)}.");
                }

                writer.WriteNumber(key, d);
                return;

            case Kind.StringArray when value is string:
                throw Invalid(key, value, "an array of strings, for example [\"text\",\"audio\"]");

            case Kind.Object when value is string or bool or IConvertible || value is JsonElement { ValueKind: not JsonValueKind.Object }:
                throw Invalid(key, value, "a JSON object (a JsonElement, JsonNode or dictionary)");

            default:
                writer.WritePropertyName(key);
                JsonValueWriter.Write(writer, value, Describe(key));
                return;
        }
    }

    private static bool IsWireName(string key)
    {
        if (key.Length == 0 || key[0] is < 'a' or > 'z')
        {
            return false;
        }

        foreach (var c in key)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(string key) => $"ChatOptions.AdditionalProperties[\"{key}\"]";

    private static ArgumentException Invalid(string key, object value, string expected) =>
        new($"{Describe(key)} must be {expected}; got a {value.GetType().Name} ('{Truncate(value)}').", "options");

    private static string Truncate(object value)
    {
        var s = value.ToString() ?? string.Empty;
        return s.Length <= 60 ? s : s[..60] + "...";
    }
}
