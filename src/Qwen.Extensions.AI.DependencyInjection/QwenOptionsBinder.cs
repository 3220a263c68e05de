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
        nameof(QwenClientOptions.RecoverToolCallsFromReasoning),
    ];

    public static void Bind(IConfiguration section, QwenClientOptions options)
    {
        foreach (var child in section.GetChildren())
        {
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

    private static TimeSpan ToTimeSpan(IConfigurationSection child) =>
        TimeSpan.TryParse(child.Value, CultureInfo.InvariantCulture, out var t) ? t : throw Invalid(child, "a time span such as 00:01:30", showValue: true);

    private static InvalidOperationException Invalid(IConfigurationSection child, string expected, bool showValue) =>
        new($"Configuration setting '{child.Path}' must be {expected}{(showValue ? $"; got '{child.Value}'" : string.Empty)}.");
}
