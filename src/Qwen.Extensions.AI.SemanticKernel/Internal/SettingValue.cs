using Qwen.Extensions.AI.Mapping;

namespace Qwen.Extensions.AI.SemanticKernel;

/// <summary>
/// Reads extension-data values the way Semantic Kernel hands them over: CLR values, or <see cref="JsonElement"/>s from JSON/YAML.
/// The coercion itself is the core's (<see cref="LooseValue"/>), so settings and <c>AdditionalProperties</c> accept the same values.
/// </summary>
internal static class SettingValue
{
    public static bool? ToBool(string key, object? value)
    {
        if (IsNull(value))
        {
            return null;
        }

        return LooseValue.TryGetBoolean(value, out var b) ? b : throw Invalid(key, value!, "true or false");
    }

    public static int? ToInt(string key, object? value)
    {
        if (IsNull(value))
        {
            return null;
        }

        if (LooseValue.TryGetInteger(value, out var l) && l >= int.MinValue && l <= int.MaxValue)
        {
            return (int)l;
        }

        throw Invalid(key, value!, LooseValue.TryGetNumber(value, out _) ? "a whole number" : "a number");
    }

    public static double? ToDouble(string key, object? value)
    {
        if (IsNull(value))
        {
            return null;
        }

        return LooseValue.TryGetNumber(value, out var d) ? d : throw Invalid(key, value!, "a number");
    }

    /// <summary>A reasoning tier: a string (JSON/YAML or CLR); which strings are tiers is the setting's own check.</summary>
    public static string? ToTier(string key, object? value) => IsNull(value)
        ? null
        : value switch
        {
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            _ => throw Invalid(key, value!, "a string such as \"high\""),
        };

    /// <summary>A context-cache policy: the enum, its name (any case) or a bool (true = Auto).</summary>
    public static QwenContextCachePolicy? ToContextCache(string key, object? value)
    {
        if (IsNull(value))
        {
            return null;
        }

        try
        {
            return ChatRequestWriter.ParsePolicy(value!);
        }
        catch (ArgumentException)
        {
            throw Invalid(key, value!, "None or Auto");
        }
    }

    private static bool IsNull(object? value) => value is null or JsonElement { ValueKind: JsonValueKind.Null };

    private static ArgumentException Invalid(string key, object value, string expected) =>
        new($"Execution setting '{key}' must be {expected}; got a {value.GetType().Name} ('{value}').", "settings");
}
