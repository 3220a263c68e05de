using System.Text.RegularExpressions;

namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// The opt-in recovery of tool calls that Qwen 3.5/3.6 sometimes write inside <c>reasoning_content</c> before stopping with
/// <c>finish_reason: "stop"</c> and no <c>tool_calls</c> (QwenLM/Qwen3.6#125; Vercel's open PR vercel/ai#14754 does the same).
/// Two leaked shapes are read, the ones Qwen's chat templates use: Hermes JSON
/// <c>&lt;tool_call&gt;{"name": "f", "arguments": {...}}&lt;/tool_call&gt;</c> and the Qwen3-Coder/3.5 XML form
/// <c>&lt;tool_call&gt;&lt;function=f&gt;&lt;parameter=x&gt;value&lt;/parameter&gt;&lt;/function&gt;&lt;/tool_call&gt;</c>
/// (also without the <c>&lt;tool_call&gt;</c> wrapper).
/// </summary>
/// <remarks>
/// All or nothing: calls are recovered only when tools were offered, no real tool call came, and every call written in the
/// reasoning parses completely and names an offered tool; anything else leaves the answer as the service sent it. The reasoning
/// text itself is never changed. An instance holds one request's offered tools and no other state, so every answer to that
/// request (each enumeration of a stream) can share it; the streaming reader collects the reasoning it reads.
/// </remarks>
internal sealed partial class LeakedToolCallRecovery
{
    /// <summary>The <c>AdditionalProperties</c> key set (to <see langword="true"/>) on a recovered <see cref="FunctionCallContent"/>.</summary>
    public const string RecoveredKey = "recoveredFromReasoning";

    private readonly Dictionary<string, JsonElement?> _tools;

    private LeakedToolCallRecovery(Dictionary<string, JsonElement?> tools) => _tools = tools;

    /// <summary>
    /// The recovery for a request, or <see langword="null"/> when it is off (<see cref="QwenClientOptions.RecoverToolCallsFromReasoning"/>,
    /// overridden per request by <see cref="QwenPropertyNames.RecoverToolCallsFromReasoning"/>) or no tool is offered.
    /// </summary>
    public static LeakedToolCallRecovery? ForRequest(ChatOptions? options, bool clientDefault)
    {
        var enabled = clientDefault;
        if (options?.AdditionalProperties is { } extras && extras.TryGetValue(QwenPropertyNames.RecoverToolCallsFromReasoning, out var value) && value is not null)
        {
            enabled = LooseValue.TryGetBoolean(value, out var b)
                ? b
                : throw new ArgumentException($"ChatOptions.AdditionalProperties[\"{QwenPropertyNames.RecoverToolCallsFromReasoning}\"] must be true or false; got a {value.GetType().Name}.", nameof(options));
        }

        if (!enabled || options?.Tools is not { Count: > 0 } tools || options.ToolMode is NoneChatToolMode)
        {
            return null;
        }

        Dictionary<string, JsonElement?>? offered = null;
        foreach (var tool in tools)
        {
            if (tool is AIFunctionDeclaration function && !string.IsNullOrEmpty(function.Name))
            {
                (offered ??= new(StringComparer.Ordinal))[function.Name] = function.JsonSchema.ValueKind == JsonValueKind.Object ? function.JsonSchema : null;
            }
        }

        return offered is null ? null : new LeakedToolCallRecovery(offered);
    }

    /// <summary>The calls written in <paramref name="reasoning"/>, or <see langword="null"/> unless every one parses completely and names an offered tool.</summary>
    public List<FunctionCallContent>? Recover(string? reasoning)
    {
        if (string.IsNullOrEmpty(reasoning) || (!reasoning.Contains("<tool_call>", StringComparison.Ordinal) && !reasoning.Contains("<function=", StringComparison.Ordinal)))
        {
            return null;
        }

        var blocks = new List<string>();
        var wrapped = ToolCallBlock().Matches(reasoning);
        if (wrapped.Count > 0)
        {
            foreach (Match match in wrapped)
            {
                blocks.Add(match.Groups[1].Value);
            }

            // An opening tag left unclosed after the closed ones is a call cut off: not complete.
            var lastClose = reasoning.LastIndexOf("</tool_call>", StringComparison.Ordinal);
            if (reasoning.IndexOf("<tool_call>", lastClose, StringComparison.Ordinal) >= 0)
            {
                return null;
            }
        }
        else
        {
            // The bare XML form (no <tool_call> wrapper): each <function=...> ... </function>.
            var bare = BareFunctionBlock().Matches(reasoning);
            if (bare.Count == 0 || bare.Count != Occurrences(reasoning, "<function="))
            {
                return null;
            }

            foreach (Match match in bare)
            {
                blocks.Add(match.Value);
            }
        }

        var calls = new List<FunctionCallContent>(blocks.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var block in blocks)
        {
            var text = block.Trim();
            var call = text.StartsWith('{') ? ParseJson(text) : ParseXml(text);
            if (call is null)
            {
                return null;
            }

            // A model that drafts the same call twice while thinking means one call.
            if (seen.Add(call.Value.Name + "\u0000" + call.Value.Key))
            {
                calls.Add(Create(call.Value.Name, call.Value.Arguments));
            }
        }

        return calls.Count > 0 ? calls : null;
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static FunctionCallContent Create(string name, Dictionary<string, object?> arguments)
    {
        var call = new FunctionCallContent("call_" + Guid.NewGuid().ToString("N")[..24], name, arguments)
        {
            AdditionalProperties = new() { [RecoveredKey] = true },
        };
        return call;
    }

    /// <summary>Hermes JSON: <c>{"name": "f", "arguments": {...}}</c> (arguments may be a JSON string holding the object; without them, not complete).</summary>
    private (string Name, string Key, Dictionary<string, object?> Arguments)? ParseJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String
                || nameElement.GetString() is not { Length: > 0 } name || !_tools.ContainsKey(name))
            {
                return null;
            }

            // The Hermes template always writes "arguments"; a call without them is not complete (and would run with none).
            if (!root.TryGetProperty("arguments", out var arguments))
            {
                return null;
            }

            if (arguments.ValueKind == JsonValueKind.String)
            {
                using var inner = JsonDocument.Parse(arguments.GetString()!);
                return inner.RootElement.ValueKind == JsonValueKind.Object ? (name, inner.RootElement.GetRawText(), ToDictionary(inner.RootElement)) : null;
            }

            return arguments.ValueKind == JsonValueKind.Object ? (name, arguments.GetRawText(), ToDictionary(arguments)) : null;
        }
        catch (JsonException)
        {
            return null; // partial or broken JSON: not a complete call
        }
    }

    private static Dictionary<string, object?> ToDictionary(JsonElement obj)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            result[property.Name] = property.Value.Clone();
        }

        return result;
    }

    /// <summary>
    /// The XML form: <c>&lt;function=f&gt;</c>, then only <c>&lt;parameter=x&gt;value&lt;/parameter&gt;</c> elements (and whitespace),
    /// then <c>&lt;/function&gt;</c>. A value is text, trimmed of the newlines around it; where the tool's schema types the parameter
    /// as other than a string, a value that is JSON of that kind is read as JSON (as Qwen's own parser does), else kept as text.
    /// </summary>
    private (string Name, string Key, Dictionary<string, object?> Arguments)? ParseXml(string text)
    {
        var match = XmlFunction().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var name = match.Groups["name"].Value.Trim();
        if (!_tools.TryGetValue(name, out var schema))
        {
            return null;
        }

        var body = match.Groups["body"].Value;
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        var position = 0;
        foreach (Match parameter in XmlParameter().Matches(body))
        {
            if (!string.IsNullOrWhiteSpace(body[position..parameter.Index]))
            {
                return null; // text between parameters: not the template's shape
            }

            var key = parameter.Groups["key"].Value.Trim();
            var value = parameter.Groups["value"].Value.Trim('\n', '\r');
            arguments[key] = TypedValue(schema, key, value);
            position = parameter.Index + parameter.Length;
        }

        if (!string.IsNullOrWhiteSpace(body[position..]))
        {
            return null; // an unclosed <parameter=...> or stray text
        }

        return (name, string.Join("\u0001", arguments.Select(a => a.Key + "=" + a.Value)), arguments);
    }

    private static object? TypedValue(JsonElement? schema, string key, string value)
    {
        if (schema is not { } s || !s.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object
            || !properties.TryGetProperty(key, out var property) || property.ValueKind != JsonValueKind.Object
            || !property.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() is "string" or null)
        {
            return value;
        }

        try
        {
            using var document = JsonDocument.Parse(value.Trim());
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return value;
        }
    }

    [GeneratedRegex(@"<tool_call>(.*?)</tool_call>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex ToolCallBlock();

    [GeneratedRegex(@"<function=[^>\n]+>.*?</function>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex BareFunctionBlock();

    [GeneratedRegex(@"^<function=(?<name>[^>\n]+)>(?<body>.*)</function>$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex XmlFunction();

    [GeneratedRegex(@"<parameter=(?<key>[^>\n]+)>(?<value>.*?)</parameter>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex XmlParameter();
}
