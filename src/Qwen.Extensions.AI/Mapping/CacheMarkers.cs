using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// Where the explicit context-cache markers (<c>cache_control: {"type":"ephemeral"}</c>, dashscope-more.md 3.2) go in one request:
/// the caller's (a content's <c>AdditionalProperties["cache_control"]</c>), validated before anything is sent, plus those of the
/// automatic policy (<see cref="QwenContextCachePolicy.Auto"/>) for models with <see cref="QwenModelCapabilities.ExplicitCache"/>;
/// at most <see cref="MaxMarkers"/>, the last ones in message order, as the service itself counts them.
/// </summary>
/// <remarks>
/// The automatic policy, and why (the README's "Context cache" says the same): a cache block is everything from the start of
/// <c>messages</c> to a marker, and a marker finds an earlier block only within the 20 content blocks before it. So the markers go
/// on (1) the system prompt: stable for the whole conversation, and with <c>tools</c> in the request it caches their descriptions
/// too; (2) the last user turn: the next turn of a chat reads its prefix back; (3) the last assistant turn after that user turn: in an
/// agent loop the latest tool-call boundary, whose prefix the next iteration reads back; (4) the assistant turn before it (after
/// the same user turn): the boundary the previous iteration wrote, so the current call hits it even when more than 20 tool results
/// came since. Never a tool message: a marker there shifts the cache boundary (QwenLM/Qwen#2217), as peers found. An assistant
/// turn that is only tool calls carries its marker on an empty text part, as Alibaba's own CLI sends it.
/// </remarks>
internal sealed class CacheMarkers
{
    /// <summary>The most markers the service honours in one request ("only the last four cache markers take effect").</summary>
    public const int MaxMarkers = 4;

    private readonly HashSet<AIContent>? _parts;
    private readonly HashSet<int>? _messages;
    private readonly bool _system;

    private CacheMarkers(bool system, HashSet<int>? messages, HashSet<AIContent>? parts)
    {
        _system = system;
        _messages = messages;
        _parts = parts;
    }

    /// <summary>Gets a value indicating whether the (joined) leading system message carries a marker.</summary>
    public bool System => _system;

    /// <summary>Whether the assistant message at <paramref name="index"/> carries a marker (on its one text part).</summary>
    public bool Message(int index) => _messages is not null && _messages.Contains(index);

    /// <summary>Whether <paramref name="content"/> (a user part or a function result) carries a marker.</summary>
    public bool Part(AIContent content) => _parts is not null && _parts.Contains(content);

    /// <summary>Whether any part of <paramref name="message"/> carries a marker.</summary>
    public bool AnyPart(ChatMessage message)
    {
        if (_parts is null)
        {
            return false;
        }

        foreach (var content in message.Contents)
        {
            if (_parts.Contains(content))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Plans the markers of one request; <see langword="null"/> when there are none (the common case, which allocates nothing more).</summary>
    /// <param name="messages">The history.</param>
    /// <param name="hasSystem">Whether a leading system message is written (instructions or system text).</param>
    /// <param name="auto">Whether the automatic policy applies (it is on and the model supports explicit caching).</param>
    /// <param name="logger">Where the one warning about more than four markers goes.</param>
    /// <exception cref="ArgumentException">A <c>cache_control</c> value is not <c>{"type":"ephemeral"}</c> or <c>"ephemeral"</c>.</exception>
    public static CacheMarkers? Plan(IList<ChatMessage> messages, bool hasSystem, bool auto, ILogger? logger)
    {
        // Units in wire order: -1 = the system message, 2i = message i's tool results (each a part), 2i+1 = message i itself.
        List<Unit>? marked = null;
        var lastUser = -1;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message is null)
            {
                continue;
            }

            if (message.Role == ChatRole.User && HasWritableUserContent(message))
            {
                lastUser = i;
            }

            AIContent? firstMarked = null;
            for (var c = 0; c < message.Contents.Count; c++)
            {
                var content = message.Contents[c];
                if (!IsMarked(content, i))
                {
                    continue;
                }

                if (content is FunctionResultContent)
                {
                    (marked ??= []).Add(new Unit(2 * i, c, content));
                }
                else if (message.Role == ChatRole.System)
                {
                    if (content is TextContent { Text: { } text } && text.AsSpan().TrimStart().StartsWith(Wire.ChatParameters.Values.FileIdScheme, StringComparison.Ordinal))
                    {
                        throw new ArgumentException($"messages[{i}] is a fileid:// system message with a cache_control marker; file references cannot carry one. Mark the system prompt or a user turn instead.", "messages");
                    }

                    firstMarked ??= content;
                }
                else if (message.Role == ChatRole.User)
                {
                    if (content is TextContent or DataContent or UriContent or QwenVideoFramesContent)
                    {
                        (marked ??= []).Add(new Unit((2 * i) + 1, c, content));
                    }
                }
                else
                {
                    // Assistant (or tool-role with a result, handled above): one text part per assistant message carries it.
                    firstMarked ??= content;
                }
            }

            if (firstMarked is not null)
            {
                (marked ??= []).Add(message.Role == ChatRole.System ? new Unit(-1, 0, null) : new Unit((2 * i) + 1, 0, null));
            }
        }

        if (auto)
        {
            AddAuto(ref marked, messages, hasSystem, lastUser);
        }

        if (marked is null)
        {
            return null;
        }

        // Several markers in the system message or one assistant message are one marker on the wire.
        marked.Sort(static (a, b) => a.Order != b.Order ? a.Order.CompareTo(b.Order) : a.Sub.CompareTo(b.Sub));
        var distinct = Dedupe(marked);
        if (distinct.Count > MaxMarkers)
        {
            if (logger is not null)
            {
                Http.Log.CacheMarkersDropped(logger, distinct.Count, MaxMarkers, distinct.Count - MaxMarkers);
            }

            distinct.RemoveRange(0, distinct.Count - MaxMarkers);
        }

        var system = false;
        HashSet<int>? whole = null;
        HashSet<AIContent>? parts = null;
        foreach (var unit in distinct)
        {
            if (unit.Order < 0)
            {
                system = true;
            }
            else if (unit.Part is null)
            {
                (whole ??= []).Add(unit.Order / 2);
            }
            else
            {
                (parts ??= new(ReferenceEqualityComparer.Instance)).Add(unit.Part);
            }
        }

        return new CacheMarkers(system, whole, parts);
    }

    /// <summary>Whether <paramref name="content"/> asks for a marker; a value other than ephemeral fails.</summary>
    internal static bool IsMarked(AIContent content, int index)
    {
        if (content.AdditionalProperties is not { Count: > 0 } properties
            || !properties.TryGetValue(Wire.ChatParameters.ContentParts.CacheControl, out var value)
            || value is null)
        {
            return false;
        }

        var type = value switch
        {
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
            JsonElement { ValueKind: JsonValueKind.Object } e => TypeOf(e, index),
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonObject o => TypeOf(o, index),
            IEnumerable<KeyValuePair<string, object?>> d => TypeOf(d, index),
            IEnumerable<KeyValuePair<string, string>> d => TypeOf(d.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)), index),
            _ => throw Invalid(index, $"a {value.GetType().Name}"),
        };

        if (type is null && value is JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined })
        {
            return false;
        }

        return string.Equals(type, Wire.ChatParameters.ContentParts.Ephemeral, StringComparison.OrdinalIgnoreCase)
            ? true
            : throw Invalid(index, type is null ? "no type" : $"type '{type}'");
    }

    private static void AddAuto(ref List<Unit>? marked, IList<ChatMessage> messages, bool hasSystem, int lastUser)
    {
        if (hasSystem)
        {
            (marked ??= []).Add(new Unit(-1, 0, null));
        }

        if (lastUser < 0)
        {
            return;
        }

        // The last user turn: on its last part that is written as one.
        var user = messages[lastUser];
        for (var c = user.Contents.Count - 1; c >= 0; c--)
        {
            if (user.Contents[c] is TextContent or DataContent or UriContent or QwenVideoFramesContent)
            {
                (marked ??= []).Add(new Unit((2 * lastUser) + 1, c, user.Contents[c]));
                break;
            }
        }

        // The last two assistant turns after it: the current and the previous tool-call boundary of an agent loop.
        var answered = AnsweredCallIds(messages, lastUser);
        var assistants = 0;
        for (var i = messages.Count - 1; i > lastUser && assistants < 2; i--)
        {
            if (messages[i] is { } m && m.Role == ChatRole.Assistant && IsWrittenAssistant(m, answered))
            {
                (marked ??= []).Add(new Unit((2 * i) + 1, 0, null));
                assistants++;
            }
        }
    }

    private static List<Unit> Dedupe(List<Unit> sorted)
    {
        var result = new List<Unit>(sorted.Count);
        foreach (var unit in sorted)
        {
            var duplicate = false;
            foreach (var kept in result)
            {
                if (kept.Order == unit.Order && kept.Sub == unit.Sub)
                {
                    duplicate = true;
                    break;
                }
            }

            if (!duplicate)
            {
                result.Add(unit);
            }
        }

        return result;
    }

    private static bool HasWritableUserContent(ChatMessage message)
    {
        foreach (var content in message.Contents)
        {
            if (content is TextContent or DataContent or UriContent or QwenVideoFramesContent)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the assistant message is written with text or calls (as <see cref="MessageWriter"/> does): a call that
    /// <c>FunctionInvokingChatClient</c> marked informational still goes out when its result is in the history.
    /// </summary>
    private static bool IsWrittenAssistant(ChatMessage message, HashSet<string>? answered)
    {
        foreach (var content in message.Contents)
        {
            if (content is TextContent { Text.Length: > 0 } or FunctionCallContent { InformationalOnly: false }
                || (content is FunctionCallContent { CallId: { Length: > 0 } id } && answered is not null && answered.Contains(id)))
            {
                return true;
            }
        }

        return false;
    }

    private static HashSet<string>? AnsweredCallIds(IList<ChatMessage> messages, int after)
    {
        HashSet<string>? ids = null;
        for (var i = after + 1; i < messages.Count; i++)
        {
            foreach (var content in messages[i]?.Contents ?? [])
            {
                if (content is FunctionResultContent { CallId: { Length: > 0 } id })
                {
                    (ids ??= new(StringComparer.Ordinal)).Add(id);
                }
            }
        }

        return ids;
    }

    private static string? TypeOf(JsonElement element, int index)
    {
        string? type = null;
        foreach (var property in element.EnumerateObject())
        {
            type = property.NameEquals(Wire.ChatParameters.ContentParts.Type) && property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString()
                : throw Invalid(index, $"the property '{property.Name}'");
        }

        return type;
    }

    private static string? TypeOf(JsonObject obj, int index)
    {
        string? type = null;
        foreach (var property in obj)
        {
            type = property.Key == Wire.ChatParameters.ContentParts.Type && property.Value is JsonValue v && v.TryGetValue<string>(out var s)
                ? s
                : throw Invalid(index, $"the property '{property.Key}'");
        }

        return type;
    }

    private static string? TypeOf(IEnumerable<KeyValuePair<string, object?>> pairs, int index)
    {
        string? type = null;
        foreach (var pair in pairs)
        {
            type = pair.Key == Wire.ChatParameters.ContentParts.Type
                ? pair.Value switch
                {
                    string s => s,
                    JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
                    _ => throw Invalid(index, "a type that is not a string"),
                }
                : throw Invalid(index, $"the property '{pair.Key}'");
        }

        return type;
    }

    private static ArgumentException Invalid(int index, string what) =>
        new($"messages[{index}] has a content whose AdditionalProperties[\"cache_control\"] has {what}; the service allows only " +
            "{\"type\":\"ephemeral\"} (or the string \"ephemeral\"). Use content.WithCacheControl().", "messages");

    /// <summary>One marker: its place in wire order (message, then content index), and the part it sits on (<see langword="null"/>: the message's one text part).</summary>
    private readonly record struct Unit(int Order, int Sub, AIContent? Part);
}
