using System.Text;
using System.Text.Json;
using Xunit.Sdk;

namespace Qwen.Extensions.AI.TestUtilities;

/// <summary>
/// Compares JSON as trees: object properties in any order, arrays in order, values exactly (numbers by their literal text, so
/// <c>50</c> and <c>50.0</c> differ). A failure lists every difference by JSON path, then both documents.
/// </summary>
public static class JsonAssert
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Equal(string expectedJson, string actualJson)
    {
        using var expected = JsonDocument.Parse(expectedJson);
        using var actual = JsonDocument.Parse(actualJson);
        Equal(expected.RootElement, actual.RootElement);
    }

    public static void Equal(string expectedJson, JsonElement actual)
    {
        using var expected = JsonDocument.Parse(expectedJson);
        Equal(expected.RootElement, actual);
    }

    public static void Equal(JsonElement expected, JsonElement actual)
    {
        var diffs = new List<string>();
        Compare(expected, actual, "$", diffs);
        if (diffs.Count == 0)
        {
            return;
        }

        var sb = new StringBuilder();
        sb.AppendLine($"JSON trees differ ({diffs.Count} difference{(diffs.Count == 1 ? "" : "s")}):");
        foreach (var diff in diffs)
        {
            sb.Append("  ").AppendLine(diff);
        }

        sb.AppendLine("Expected:").AppendLine(JsonSerializer.Serialize(expected, Indented));
        sb.AppendLine("Actual:").AppendLine(JsonSerializer.Serialize(actual, Indented));
        throw new XunitException(sb.ToString());
    }

    /// <summary>Returns the differences instead of throwing (for testing the comparer itself).</summary>
    public static IReadOnlyList<string> Differences(string expectedJson, string actualJson)
    {
        using var expected = JsonDocument.Parse(expectedJson);
        using var actual = JsonDocument.Parse(actualJson);
        var diffs = new List<string>();
        Compare(expected.RootElement, actual.RootElement, "$", diffs);
        return diffs;
    }

    private static void Compare(JsonElement expected, JsonElement actual, string path, List<string> diffs)
    {
        if (expected.ValueKind != actual.ValueKind && !(IsBool(expected) && IsBool(actual)))
        {
            diffs.Add($"{path}: expected {Describe(expected)}, got {Describe(actual)}");
            return;
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var actualProps = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var p in actual.EnumerateObject())
                {
                    if (!actualProps.TryAdd(p.Name, p.Value))
                    {
                        diffs.Add($"{path}.{p.Name}: property appears more than once");
                    }
                }

                foreach (var p in expected.EnumerateObject())
                {
                    if (actualProps.Remove(p.Name, out var value))
                    {
                        Compare(p.Value, value, $"{path}.{p.Name}", diffs);
                    }
                    else
                    {
                        diffs.Add($"{path}.{p.Name}: missing (expected {Describe(p.Value)})");
                    }
                }

                foreach (var extra in actualProps)
                {
                    diffs.Add($"{path}.{extra.Key}: unexpected property ({Describe(extra.Value)})");
                }

                break;

            case JsonValueKind.Array:
                var e = expected.EnumerateArray().ToArray();
                var a = actual.EnumerateArray().ToArray();
                for (var i = 0; i < Math.Min(e.Length, a.Length); i++)
                {
                    Compare(e[i], a[i], $"{path}[{i}]", diffs);
                }

                if (e.Length != a.Length)
                {
                    diffs.Add($"{path}: expected {e.Length} items, got {a.Length}");
                }

                break;

            case JsonValueKind.String:
                if (expected.GetString() != actual.GetString())
                {
                    diffs.Add($"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}");
                }

                break;

            default:
                // Numbers by literal text (50 ≠ 50.0: the service may reject a double where it wants an integer); true/false/null.
                if (expected.GetRawText() != actual.GetRawText())
                {
                    diffs.Add($"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}");
                }

                break;
        }
    }

    private static bool IsBool(JsonElement e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False;

    private static string Describe(JsonElement e)
    {
        var raw = e.GetRawText();
        if (raw.Length > 80)
        {
            raw = raw[..80] + "...";
        }

        return $"{e.ValueKind.ToString().ToLowerInvariant()} {raw}";
    }
}
