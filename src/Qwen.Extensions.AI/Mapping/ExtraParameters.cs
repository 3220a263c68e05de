namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// The policy for <c>ChatOptions.AdditionalProperties</c>: known compatible-mode parameters are validated and written with
/// their wire types (SK's 50.0 becomes 50); keys shaped like wire names (lower snake_case) pass through as they are, for
/// parameters DashScope adds later; other keys are application metadata and are not sent; keys the client owns are refused.
/// Names, kinds and ranges come from the endpoint's table (<see cref="Wire.ChatParameters"/>, <see cref="Wire.EmbeddingParameters"/>);
/// the same policy holds for <c>EmbeddingGenerationOptions.AdditionalProperties</c>.
/// </summary>
internal static class ExtraParameters
{
    /// <summary>Whether an extra with this wire name is present (and so wins over a value derived from a typed option).</summary>
    public static bool Has(IReadOnlyDictionary<string, object?>? extras, string wireName) => extras is not null && extras.ContainsKey(wireName);

    /// <summary>Reads a boolean extra, for decisions the client makes from it (for example <c>preserve_thinking</c>).</summary>
    public static bool IsTrue(IReadOnlyDictionary<string, object?>? extras, string wireName) =>
        extras is not null && extras.TryGetValue(wireName, out var v) && LooseValue.TryGetBoolean(v, out var b) && b;

    /// <summary>Reads an integer extra (for example <c>n</c>), when present and valid.</summary>
    public static long? GetInteger(IReadOnlyDictionary<string, object?>? extras, string wireName) =>
        extras is not null && extras.TryGetValue(wireName, out var v) && LooseValue.TryGetInteger(v, out var l) ? l : null;

    /// <summary>Writes every chat extra that goes on the wire, validating known parameters.</summary>
    public static void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, object?> extras) =>
        Write(writer, extras, Wire.ChatParameters.Table, "ChatOptions");

    /// <summary>Writes every extra that goes on the wire, validating the parameters <paramref name="table"/> knows.</summary>
    /// <param name="writer">The body being written.</param>
    /// <param name="extras">The options' <c>AdditionalProperties</c>.</param>
    /// <param name="table">The endpoint's parameters.</param>
    /// <param name="optionsType">The options type the extras came from, for messages (<c>ChatOptions</c>, <c>EmbeddingGenerationOptions</c>).</param>
    public static void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, object?> extras, Wire.RequestParameterTable table, string optionsType)
    {
        foreach (var pair in extras)
        {
            var key = pair.Key;
            if (table.TryGet(key, out var parameter))
            {
                if (parameter.Kind == Wire.ParameterKind.Merged)
                {
                    continue; // stream_options: checked and merged into the client's own object by WriteStreamOptions
                }

                if (parameter.Kind == Wire.ParameterKind.Reserved)
                {
                    throw new ArgumentException(
                        $"{optionsType}.AdditionalProperties[\"{key}\"] cannot be set: the client writes '{key}' itself. " +
                        (parameter.ReservedHint ?? "Streaming is chosen by calling GetStreamingResponseAsync."),
                        "options");
                }

                WriteKnown(writer, pair.Value, parameter, optionsType);
            }
            else if (Wire.ChatParameters.Table.TryGetNearMiss(key, out var meant))
            {
                // "enableThinking", "EnableThinking", "TopK": a known parameter spelt another way is a mistake, not metadata.
                throw new ArgumentException(
                    $"{Describe(key)} is not a parameter QwenChatClient sends: did you mean `{meant.Name}`? Extras are sent by their exact wire name " +
                    "(see QwenPropertyNames); rename the key, or pick a metadata key that does not spell a parameter.",
                    "options");
            }
            else if (IsWireName(key))
            {
                writer.WritePropertyName(key);
                JsonValueWriter.Write(writer, pair.Value, Describe(optionsType, key));
            }

            // Anything else (PascalCase, dotted, ...) is application metadata that MEAI middleware and Semantic Kernel keep in
            // AdditionalProperties; it is not a request parameter, so it is not sent. The README documents this.
        }
    }

    /// <summary>
    /// Writes <c>stream_options</c> on a streaming request: the client's <c>include_usage: true</c> merged with the caller's extra
    /// (MEAI's conformance suite passes <c>{"include_usage": true}</c>). On either path an extra that is not an object, or that
    /// turns usage off, is refused: the client always reads usage.
    /// </summary>
    public static void WriteStreamOptions(Utf8JsonWriter writer, IReadOnlyDictionary<string, object?>? extras, bool stream, JsonEncodedText includeUsage)
    {
        var parameter = Wire.ChatParameters.StreamOptions;
        JsonElement? given = null;
        if (extras is not null && extras.TryGetValue(parameter.Name, out var value) && value is not null)
        {
            given = ToElement(value, parameter.Name);
            if (given.Value.ValueKind is JsonValueKind.Null)
            {
                given = null;
            }
            else if (given.Value.ValueKind is not JsonValueKind.Object)
            {
                throw Invalid(nameof(ChatOptions), parameter.Name, value, "a JSON object such as {\"include_usage\": true}");
            }
            else if (given.Value.TryGetProperty(Wire.ChatParameters.Names.IncludeUsage, out var usage) && usage.ValueKind is not JsonValueKind.True)
            {
                throw new ArgumentException(
                    $"{Describe(parameter.Name)} sets include_usage to {usage.GetRawText()}: QwenChatClient always reads usage (ChatResponse.Usage, " +
                    "UsageContent), so include_usage is always true. Leave it out, or set it to true.",
                    "options");
            }
        }

        if (!stream)
        {
            return; // stream_options belongs to streaming requests only
        }

        writer.WriteStartObject(parameter.EncodedName);
        writer.WriteBoolean(includeUsage, true);
        if (given is { } extra)
        {
            foreach (var property in extra.EnumerateObject())
            {
                if (!property.NameEquals(Wire.ChatParameters.Names.IncludeUsage))
                {
                    property.WriteTo(writer);
                }
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Any loose value as a <see cref="JsonElement"/> (dictionaries and JSON nodes alike), through the one value writer.</summary>
    private static JsonElement ToElement(object value, string key)
    {
        if (value is JsonElement element)
        {
            return element;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonValueWriter.Write(writer, value, Describe(key));
        }

        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return JsonElement.ParseValue(ref reader);
    }

    private static void WriteKnown(Utf8JsonWriter writer, object? value, Wire.RequestParameter parameter, string optionsType)
    {
        var key = parameter.Name;
        if (value is null || value is JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined })
        {
            if (parameter.NullIsSent)
            {
                writer.WriteNull(parameter.EncodedName);
            }

            return;
        }

        switch (parameter.Kind)
        {
            case Wire.ParameterKind.Boolean:
                if (!LooseValue.TryGetBoolean(value, out var b))
                {
                    throw Invalid(optionsType, key, value, parameter.Expected);
                }

                writer.WriteBoolean(parameter.EncodedName, b);
                return;

            case Wire.ParameterKind.Integer or Wire.ParameterKind.Number:
                WriteNumber(writer, optionsType, key, value, parameter);
                return;

            case Wire.ParameterKind.String when value is not (string or JsonElement { ValueKind: JsonValueKind.String }):
                throw Invalid(optionsType, key, value, parameter.Expected);

            case Wire.ParameterKind.StringArray when value is string:
                throw Invalid(optionsType, key, value, parameter.Expected);

            case Wire.ParameterKind.Object when value is string or bool or IConvertible || value is JsonElement { ValueKind: not JsonValueKind.Object }:
                throw Invalid(optionsType, key, value, parameter.Expected);

            default:
                writer.WritePropertyName(parameter.EncodedName);
                JsonValueWriter.Write(writer, value, Describe(optionsType, key));
                return;
        }
    }

    /// <summary>Writes a whole number (SK's 50.0 becomes 50) or a number, after checking it against the row's range.</summary>
    private static void WriteNumber(Utf8JsonWriter writer, string optionsType, string key, object value, Wire.RequestParameter parameter)
    {
        var integer = parameter.Kind == Wire.ParameterKind.Integer;
        long whole = 0;
        double number = 0;
        if (integer ? !LooseValue.TryGetInteger(value, out whole) : !LooseValue.TryGetNumber(value, out number))
        {
            throw Invalid(optionsType, key, value, parameter.Expected);
        }

        if (!parameter.InRange(integer ? whole : number))
        {
            throw integer
                ? parameter.LooseOutOfRange(Describe(optionsType, key), whole.ToString(CultureInfo.InvariantCulture))
                : parameter.LooseOutOfRange(Describe(optionsType, key), number.ToString(CultureInfo.InvariantCulture));
        }

        if (integer)
        {
            writer.WriteNumber(parameter.EncodedName, whole);
        }
        else
        {
            writer.WriteNumber(parameter.EncodedName, number);
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

    private static string Describe(string key) => Describe(nameof(ChatOptions), key);

    private static string Describe(string optionsType, string key) => $"{optionsType}.AdditionalProperties[\"{key}\"]";

    private static ArgumentException Invalid(string optionsType, string key, object value, string expected) =>
        new($"{Describe(optionsType, key)} must be {expected}; got a {value.GetType().Name} ('{Truncate(value)}').", "options");

    private static string Truncate(object value)
    {
        var s = value.ToString() ?? string.Empty;
        return s.Length <= 60 ? s : s[..60] + "...";
    }
}
