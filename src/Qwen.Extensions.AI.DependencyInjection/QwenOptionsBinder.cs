using System.Globalization;
using Microsoft.Extensions.Configuration;
using Qwen.Extensions.AI;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Binds a configuration section to <see cref="QwenClientOptions"/> by hand: no reflection (trim- and AOT-safe), and a
/// value that cannot be parsed, or a setting that does not exist, fails with the configuration path and what is expected.
/// </summary>
/// <remarks>
/// Not the configuration-binding source generator: with <c>ErrorOnUnknownConfiguration</c> it rejects nested sections (such as
/// <c>"Qwen:Fast"</c> next to <c>"Qwen:ApiKey"</c>) and names the unknown key without its path; its parse errors say "Failed to
/// convert" rather than what is expected; and it reports SYSLIB1100/1101 for <see cref="QwenClientOptions.LoggerFactory"/> and
/// <see cref="QwenClientOptions.TimeProvider"/>.
/// </remarks>
internal static class QwenOptionsBinder
{
    private static readonly string[] Supported =
    [
        nameof(QwenClientOptions.ApiKey), nameof(QwenClientOptions.Endpoint), nameof(QwenClientOptions.DefaultModelId),
        nameof(QwenClientOptions.AllowInsecureHttp), nameof(QwenClientOptions.MaxRetries), nameof(QwenClientOptions.RetryBaseDelay),
        nameof(QwenClientOptions.RequestTimeout), nameof(QwenClientOptions.StreamingHeadersTimeout), nameof(QwenClientOptions.StreamingIdleTimeout),
        nameof(QwenClientOptions.StreamingRawRepresentation),
        nameof(QwenClientOptions.StreamingResponseTimeout), nameof(QwenClientOptions.MaxResponseBodyBytes),
        nameof(QwenClientOptions.ModelCapabilities) + ":<model id or pattern>",
        nameof(QwenClientOptions.ContextCache),
        nameof(QwenClientOptions.RecoverToolCallsFromReasoning),
    ];

    public static void Bind(IConfiguration section, QwenClientOptions options)
    {
        foreach (var child in section.GetChildren())
        {
            // Model facts (issue 13): "Qwen:ModelCapabilities:<model id or pattern>" = "ReasoningTiers, JsonSchema".
            if (string.Equals(child.Key, nameof(QwenClientOptions.ModelCapabilities), StringComparison.OrdinalIgnoreCase))
            {
                BindModelCapabilities(child, options);
                continue;
            }

            if (child.Value is null)
            {
                continue; // a nested section, such as "Qwen:Fast" next to "Qwen:ApiKey"
            }

            var value = child.Value;
            switch (child.Key.ToUpperInvariant())
            {
                case "APIKEY":
                    options.ApiKey = string.IsNullOrWhiteSpace(value) ? null : value;
                    break;
                case "ENDPOINT":
                    options.Endpoint = Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out var uri)
                        ? uri
                        : throw Invalid(child, "an absolute URL such as " + QwenEndpoints.Singapore, showValue: true);
                    break;
                case "DEFAULTMODELID":
                    options.DefaultModelId = string.IsNullOrWhiteSpace(value) ? null : value;
                    break;
                case "ALLOWINSECUREHTTP":
                    options.AllowInsecureHttp = bool.TryParse(value, out var b) ? b : throw Invalid(child, "true or false", showValue: true);
                    break;
                case "MAXRETRIES":
                    options.MaxRetries = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw Invalid(child, "a whole number", showValue: true);
                    break;
                case "RETRYBASEDELAY":
                    options.RetryBaseDelay = ToTimeSpan(child);
                    break;
                case "REQUESTTIMEOUT":
                    options.RequestTimeout = ToTimeSpan(child);
                    break;
                case "STREAMINGHEADERSTIMEOUT":
                    options.StreamingHeadersTimeout = ToTimeSpan(child);
                    break;
                case "STREAMINGIDLETIMEOUT":
                    options.StreamingIdleTimeout = ToTimeSpan(child);
                    break;
                case "STREAMINGRAWREPRESENTATION":
                    options.StreamingRawRepresentation = bool.TryParse(value, out var raw) ? raw : throw Invalid(child, "true or false", showValue: true);
                    break;
                case "STREAMINGRESPONSETIMEOUT":
                    options.StreamingResponseTimeout = ToTimeSpan(child);
                    break;
                case "MAXRESPONSEBODYBYTES":
                    options.MaxResponseBodyBytes = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var max) ? max : throw Invalid(child, "a whole number of bytes (up to 2147483647)", showValue: true);
                    break;
                case "CONTEXTCACHE":
                    options.ContextCache = Enum.TryParse<QwenContextCachePolicy>(value, ignoreCase: true, out var cache) && Enum.IsDefined(cache) && !char.IsDigit(value.Trim().FirstOrDefault())
                        ? cache
                        : throw Invalid(child, "None or Auto", showValue: true);
                    break;
                case "RECOVERTOOLCALLSFROMREASONING":
                    options.RecoverToolCallsFromReasoning = bool.TryParse(value, out var recover) ? recover : throw Invalid(child, "true or false", showValue: true);
                    break;
                default:
                    throw new InvalidOperationException(
                        $"Configuration setting '{child.Path}' is not a Qwen client setting; the section supports {string.Join(", ", Supported)}." +
                        (child.Path.Contains(':', StringComparison.Ordinal)
                            ? string.Empty
                            : " Was the whole configuration passed? Pass its section instead: configuration.GetSection(\"Qwen\")."));
            }
        }
    }

    /// <summary>
    /// Each child of <c>ModelCapabilities</c> is a model id or pattern (<c>qwen3.9-*</c>) whose value is <see cref="QwenModelCapabilities"/>
    /// names separated by commas (<c>"ReasoningTiers, JsonSchema"</c>, or <c>"None"</c>); numbers and unknown names fail with the path.
    /// </summary>
    private static void BindModelCapabilities(IConfigurationSection section, QwenClientOptions options)
    {
        if (section.Value is not null)
        {
            throw new InvalidOperationException(
                $"Configuration setting '{section.Path}' must be a section of model ids, such as '{section.Path}:qwen3.9-max' = 'ReasoningTiers, JsonSchema'.");
        }

        foreach (var model in section.GetChildren())
        {
            if (model.Value is null || !TryParseCapabilities(model.Value, out var capabilities))
            {
                throw Invalid(
                    model,
                    $"QwenModelCapabilities names separated by commas, such as 'ReasoningTiers, JsonSchema' (known: {string.Join(", ", Enum.GetNames<QwenModelCapabilities>())})",
                    showValue: model.Value is not null);
            }

            options.ModelCapabilities[model.Key] = capabilities;
        }
    }

    private static bool TryParseCapabilities(string value, out QwenModelCapabilities capabilities)
    {
        capabilities = QwenModelCapabilities.None;
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
        {
            // Names only: Enum.TryParse also takes numbers ("12"), which would hide a typo behind an undefined flag.
            if (part.Length == 0 || !char.IsAsciiLetter(part[0]) || !Enum.TryParse<QwenModelCapabilities>(part, ignoreCase: true, out var flag))
            {
                return false;
            }

            capabilities |= flag;
        }

        return true;
    }

    private static TimeSpan ToTimeSpan(IConfigurationSection child) =>
        TimeSpan.TryParse(child.Value, CultureInfo.InvariantCulture, out var t) ? t : throw Invalid(child, "a time span such as 00:01:30", showValue: true);

    private static InvalidOperationException Invalid(IConfigurationSection child, string expected, bool showValue) =>
        new($"Configuration setting '{child.Path}' must be {expected}{(showValue ? $"; got '{child.Value}'" : string.Empty)}.");
}
