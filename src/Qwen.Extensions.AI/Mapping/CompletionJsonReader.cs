namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// Reads a <c>chat.completion</c> body or a <c>chat.completion.chunk</c> event into a <see cref="ChatCompletionFrame"/> in one
/// forward pass of <see cref="Utf8JsonReader"/>: the same reader serves both paths, because <c>message</c> and <c>delta</c>
/// share one shape. Unknown fields are skipped; a field of the wrong type is a <see cref="JsonException"/>.
/// </summary>
internal static class CompletionJsonReader
{
    /// <summary>The role every choice has; kept as one string so a chunk does not allocate it.</summary>
    private const string Assistant = "assistant";

    public static void Read(ReadOnlySpan<byte> json, ChatCompletionFrame frame)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The body is not a JSON object.");
        }

        while (ReadProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual(ResponseFields.Utf8.Id))
            {
                reader.Read();
                frame.Id = ReadReused(ref reader, frame.Id, ref frame.IdUtf8);
            }
            else if (name.SequenceEqual(ResponseFields.Utf8.Model))
            {
                reader.Read();
                frame.Model = ReadReused(ref reader, frame.Model, ref frame.ModelUtf8);
            }
            else if (name.SequenceEqual(ResponseFields.Utf8.Created))
            {
                reader.Read();
                frame.Created = ReadInteger(ref reader);
            }
            else if (name.SequenceEqual(ResponseFields.Utf8.Choices))
            {
                reader.Read();
                frame.HasChoices = true;
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        ReadChoice(ref reader, frame.AddChoice(), frame.ChoiceCount - 1);
                    }
                }
                else
                {
                    ExpectNull(ref reader, ResponseFields.Choices);
                }
            }
            else if (name.SequenceEqual(ResponseFields.Utf8.Usage))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    frame.Usage = ReadUsage(ref reader);
                }
                else
                {
                    ExpectNull(ref reader, ResponseFields.Usage);
                }
            }
            else if (name.SequenceEqual(ResponseFields.Utf8.Error))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    frame.Error = JsonSerializer.Deserialize(ref reader, QwenJsonContext.Default.ErrorDetail);
                }
                else if (reader.TokenType == JsonTokenType.String)
                {
                    frame.Error = new ErrorDetail { Message = reader.GetString() };
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (name.SequenceEqual(ResponseFields.Utf8.RequestId))
            {
                reader.Read();
                frame.RequestId = reader.TokenType == JsonTokenType.String ? reader.GetString() : SkipValue(ref reader);
            }
            else if (name.SequenceEqual(ResponseFields.Utf8.Code))
            {
                reader.Read();
                // DashScope's native errors send the code as a string ("InvalidParameter") or a number (500): both are kept.
                frame.NativeCode = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                    _ => SkipValue(ref reader),
                };
            }
            else if (name.SequenceEqual(ResponseFields.Utf8.Message))
            {
                reader.Read();
                frame.NativeMessage = reader.TokenType == JsonTokenType.String ? reader.GetString() : SkipValue(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadChoice(ref Utf8JsonReader reader, ChoiceFrame choice, int position)
    {
        Expect(ref reader, JsonTokenType.StartObject, $"{ResponseFields.Choices}[]");
        choice.Index = position;
        while (ReadProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual(ResponseFields.Utf8.Delta) || name.SequenceEqual(ResponseFields.Utf8.Message))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadMessage(ref reader, choice);
                }
                else
                {
                    ExpectNull(ref reader, ResponseFields.Delta);
                }
            }
            else if (name.SequenceEqual(ResponseFields.Utf8.FinishReason))
            {
                reader.Read();
                choice.FinishReason = ReadString(ref reader, ResponseFields.FinishReason);
            }
            else if (name.SequenceEqual(ResponseFields.Utf8.Index))
            {
                reader.Read();
                choice.Index = (int)(ReadInteger(ref reader) ?? position);
            }
            else if (name.SequenceEqual(ResponseFields.Utf8.Logprobs))
            {
                reader.Read();
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    choice.Logprobs = JsonElement.ParseValue(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadMessage(ref Utf8JsonReader reader, ChoiceFrame choice)
    {
        while (ReadProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual(ResponseFields.Utf8.Content))
            {
                reader.Read();
                choice.Content = reader.TokenType == JsonTokenType.StartArray ? ReadContentParts(ref reader) : ReadString(ref reader, ResponseFields.Content);
            }
            else if (name.SequenceEqual(ResponseFields.Utf8.ReasoningContent))
            {
                reader.Read();
                choice.ReasoningContent = ReadString(ref reader, ResponseFields.ReasoningContent);
            }
            else if (name.SequenceEqual(ResponseFields.Utf8.Role))
            {
                reader.Read();
                choice.Role = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("assistant"u8) ? Assistant : ReadString(ref reader, ResponseFields.Role);
            }
            else if (name.SequenceEqual(ResponseFields.Utf8.ToolCalls))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    var position = 0;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        choice.ToolCalls.Add(ReadToolCall(ref reader, position++));
                    }
                }
                else
                {
                    ExpectNull(ref reader, ResponseFields.ToolCalls);
                }
            }
            else if (name.SequenceEqual(ResponseFields.Utf8.Annotations))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    var annotations = JsonElement.ParseValue(ref reader);
                    choice.Annotations = annotations.GetArrayLength() > 0 ? annotations : null;
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (name.SequenceEqual(ResponseFields.Utf8.Audio))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    while (ReadProperty(ref reader))
                    {
                        if (reader.ValueTextEquals(ResponseFields.Utf8.Data))
                        {
                            reader.Read();
                            choice.AudioData = ReadString(ref reader, $"{ResponseFields.Audio}.{ResponseFields.Data}");
                        }
                        else if (reader.ValueTextEquals(ResponseFields.Utf8.Transcript))
                        {
                            reader.Read();
                            choice.AudioTranscript = ReadString(ref reader, $"{ResponseFields.Audio}.{ResponseFields.Transcript}");
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static ToolCallFragment ReadToolCall(ref Utf8JsonReader reader, int position)
    {
        Expect(ref reader, JsonTokenType.StartObject, $"{ResponseFields.ToolCalls}[]");
        int index = position;
        string? id = null, name = null, arguments = null;
        while (ReadProperty(ref reader))
        {
            var property = PropertyName(ref reader);
            if (property.SequenceEqual(ResponseFields.Utf8.Index))
            {
                reader.Read();
                var value = ReadInteger(ref reader);
                if (value is < 0 or > 10_000)
                {
                    throw new JsonException($"{ResponseFields.ToolCalls}[].{ResponseFields.Index} {value} is out of range.");
                }

                index = (int)(value ?? position);
            }
            else if (property.SequenceEqual(ResponseFields.Utf8.Id))
            {
                reader.Read();
                id = ReadString(ref reader, $"{ResponseFields.ToolCalls}[].{ResponseFields.Id}");
            }
            else if (property.SequenceEqual(ResponseFields.Utf8.Function))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    ExpectNull(ref reader, $"{ResponseFields.ToolCalls}[].{ResponseFields.Function}");
                    continue;
                }

                while (ReadProperty(ref reader))
                {
                    var field = PropertyName(ref reader);
                    if (field.SequenceEqual(ResponseFields.Utf8.Name))
                    {
                        reader.Read();
                        name = ReadString(ref reader, $"{ResponseFields.Function}.{ResponseFields.Name}");
                    }
                    else if (field.SequenceEqual(ResponseFields.Utf8.Arguments))
                    {
                        reader.Read();
                        arguments = reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray
                            ? JsonElement.ParseValue(ref reader).GetRawText()
                            : ReadString(ref reader, $"{ResponseFields.Function}.{ResponseFields.Arguments}");
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return new ToolCallFragment(index, id, name, arguments);
    }

    private static string? ReadContentParts(ref Utf8JsonReader reader)
    {
        // Some models answer with content parts ([{"type":"text","text":...}]); their text is the content.
        string? text = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (ReadProperty(ref reader))
            {
                if (reader.ValueTextEquals(ResponseFields.Utf8.Text))
                {
                    reader.Read();
                    var part = ReadString(ref reader, $"{ResponseFields.Content}[].{ResponseFields.Text}");
                    text = text is null ? part : text + part;
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return text;
    }

    private static UsageFrame ReadUsage(ref Utf8JsonReader reader)
    {
        var usage = new UsageFrame();
        while (ReadProperty(ref reader))
        {
            if (reader.ValueTextEquals(ResponseFields.Utf8.PromptTokens))
            {
                reader.Read();
                usage.PromptTokens = ReadCounter(ref reader);
            }
            else if (reader.ValueTextEquals(ResponseFields.Utf8.CompletionTokens))
            {
                reader.Read();
                usage.CompletionTokens = ReadCounter(ref reader);
            }
            else if (reader.ValueTextEquals(ResponseFields.Utf8.TotalTokens))
            {
                reader.Read();
                usage.TotalTokens = ReadCounter(ref reader);
            }
            else if (reader.ValueTextEquals(ResponseFields.Utf8.PromptTokensDetails))
            {
                reader.Read();
                ReadDetails(ref reader, usage, prompt: true);
            }
            else if (reader.ValueTextEquals(ResponseFields.Utf8.CompletionTokensDetails))
            {
                reader.Read();
                ReadDetails(ref reader, usage, prompt: false);
            }
            else
            {
                var name = reader.GetString()!;
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var count))
                {
                    (usage.Other ??= new()).Add(new(name, count));
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return usage;
    }

    private static void ReadDetails(ref Utf8JsonReader reader, UsageFrame usage, bool prompt)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (ReadProperty(ref reader))
        {
            var name = reader.GetString()!;
            reader.Read();
            if (prompt && reader.TokenType == JsonTokenType.StartObject && name == ResponseFields.CacheCreation)
            {
                // cache_creation: {"ephemeral_5m_input_tokens": N} → "prompt_tokens_details.cache_creation.ephemeral_5m_input_tokens".
                ReadNestedCounts(ref reader, usage, ResponseFields.PromptTokensDetails + "." + ResponseFields.CacheCreation + ".");
                continue;
            }

            if (prompt && reader.TokenType == JsonTokenType.String && name == ResponseFields.CacheType)
            {
                // A string, so it becomes a key with count 1: "prompt_tokens_details.cache_type.ephemeral".
                if (reader.GetString() is { Length: > 0 } cacheType)
                {
                    (usage.Other ??= new()).Add(new(ResponseFields.PromptTokensDetails + "." + ResponseFields.CacheType + "." + cacheType, 1));
                }

                continue;
            }

            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var count))
            {
                reader.Skip();
                continue;
            }

            switch (prompt, name)
            {
                case (true, ResponseFields.CachedTokens): usage.CachedTokens = count; break;
                case (false, ResponseFields.ReasoningTokens): usage.ReasoningTokens = count; break;
                default:
                    // Omni / ASR modality counts get their UsageDetails members too; the AdditionalCounts keys stay, as before.
                    switch (prompt, name)
                    {
                        case (true, ResponseFields.AudioTokens): usage.InputAudioTokens = count; break;
                        case (true, ResponseFields.TextTokens): usage.InputTextTokens = count; break;
                        case (false, ResponseFields.AudioTokens): usage.OutputAudioTokens = count; break;
                        case (false, ResponseFields.TextTokens): usage.OutputTextTokens = count; break;
                    }

                    (usage.Other ??= new()).Add(new((prompt ? ResponseFields.PromptTokensDetails + "." : ResponseFields.CompletionTokensDetails + ".") + name, count));
                    break;
            }
        }
    }

    /// <summary>The whole-number properties of a nested details object, each under <paramref name="prefix"/> + its name; anything else is skipped.</summary>
    private static void ReadNestedCounts(ref Utf8JsonReader reader, UsageFrame usage, string prefix)
    {
        while (ReadProperty(ref reader))
        {
            var name = reader.GetString()!;
            reader.Read();
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var count))
            {
                (usage.Other ??= new()).Add(new(prefix + name, count));
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>Advances to the next property name of the current object; false at its end.</summary>
    internal static bool ReadProperty(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("The JSON ends in the middle of an object.");
        }

        return reader.TokenType == JsonTokenType.PropertyName;
    }

    /// <summary>
    /// The current property name as UTF-8, for cheap <c>SequenceEqual</c> dispatch: the raw bytes when unescaped (always, in
    /// practice); an escaped name (legal JSON, never seen from the service) is unescaped into a small array.
    /// </summary>
    private static ReadOnlySpan<byte> PropertyName(ref Utf8JsonReader reader) =>
        !reader.HasValueSequence && !reader.ValueIsEscaped ? reader.ValueSpan : Encoding.UTF8.GetBytes(reader.GetString()!);

    /// <summary>
    /// Reads <c>id</c> or <c>model</c>, returning <paramref name="previous"/> when the value repeats (every chunk of a stream):
    /// a byte compare against the previous value's UTF-8, so a chunk neither allocates nor transcodes these strings.
    /// </summary>
    private static string? ReadReused(ref Utf8JsonReader reader, string? previous, ref byte[]? previousUtf8)
    {
        if (reader.TokenType == JsonTokenType.String && previous is not null)
        {
            if (previousUtf8 is not null && !reader.ValueIsEscaped && !reader.HasValueSequence)
            {
                if (reader.ValueSpan.SequenceEqual(previousUtf8))
                {
                    return previous;
                }
            }
            else if (reader.ValueTextEquals(previous))
            {
                return previous;
            }
        }

        var value = ReadString(ref reader, $"{ResponseFields.Id}/{ResponseFields.Model}");
        previousUtf8 = value is not null && reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence ? reader.ValueSpan.ToArray() : null;
        return value;
    }

    internal static string? ReadString(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"'{field}' should be a string but is {reader.TokenType}."),
    };

    /// <summary>A usage counter: a bad one (not a whole number, out of range, a string) is dropped, not fatal, so the answer is kept.</summary>
    private static long? ReadCounter(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetInt64(out var value))
            {
                return value;
            }

            return reader.TryGetDouble(out var d) && d == Math.Floor(d) && Math.Abs(d) < 9e15 ? (long)d : null;
        }

        reader.Skip();
        return null;
    }

    internal static long? ReadInteger(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetInt64(out var value):
                return value;
            case JsonTokenType.Number when reader.TryGetDouble(out var d) && d == Math.Floor(d) && Math.Abs(d) < 9e15:
                return (long)d;
            case JsonTokenType.Null:
                return null;
            default:
                throw new JsonException($"Expected a whole number but found {reader.TokenType}.");
        }
    }

    internal static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string field)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"'{field}' should be {type} but is {reader.TokenType}.");
        }
    }

    internal static void ExpectNull(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType != JsonTokenType.Null)
        {
            throw new JsonException($"'{field}' has an unexpected {reader.TokenType}.");
        }
    }

    internal static string? SkipValue(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }
}
