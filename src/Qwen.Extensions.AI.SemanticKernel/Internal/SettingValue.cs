using System.Globalization;
using System.Text.Json;

namespace Qwen.Extensions.AI.SemanticKernel;

/// <summary>Reads extension-data values the way Semantic Kernel hands them over: CLR values, or <see cref="JsonElement"/>s from JSON/YAML.</summary>
internal static class SettingValue
{
    public static bool? ToBool(string key, object? value) => value switch
    {
        null => null,
        bool b => b,
        JsonElement { ValueKind: JsonValueKind.True } => true,
        JsonElement { ValueKind: JsonValueKind.False } => false,
        JsonElement { ValueKind: JsonValueKind.Null } => null,
        string s when bool.TryParse(s, out var b) => b,
        _ => throw Invalid(key, value, "true or false"),
    };

    public static int? ToInt(string key, object? value)
    {
        var d = ToDouble(key, value);
        if (d is null)
        {
            return null;
        }

        if (d != Math.Floor(d.Value) || d < int.MinValue || d > int.MaxValue)
        {
            throw Invalid(key, value!, "a whole number");
        }

        return (int)d.Value;
    }

    public static double? ToDouble(string key, object? value) => value switch
    {
        null => null,
        JsonElement { ValueKind: JsonValueKind.Null } => null,
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        JsonElement { ValueKind: JsonValueKind.String } e when double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        IConvertible c and not bool and not string => c.ToDouble(CultureInfo.InvariantCulture),
        _ => throw Invalid(key, value, "a number"),
    };

    private static ArgumentException Invalid(string key, object value, string expected) =>
        new($"Execution setting '{key}' must be {expected}; got a {value.GetType().Name} ('{value}').", "settings");
}
