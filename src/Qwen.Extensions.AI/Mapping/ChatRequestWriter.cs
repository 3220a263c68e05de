namespace Qwen.Extensions.AI.Mapping;

/// <summary>Builds the compatible-mode request body from MEAI messages and <see cref="ChatOptions"/>, validating as it goes, before any I/O.</summary>
internal static class ChatRequestWriter
{
    // The body goes to an HTTP API, not into HTML: only what JSON itself requires is escaped, so CJK text stays 3 UTF-8 bytes per
    // character instead of a 6-byte \uXXXX, and base64 '+' stays one byte instead of \u002B.
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = true, Encoder = JsonValueWriter.RelaxedOptions.Encoder };

    /// <summary>The thinking budgets derived from <see cref="ReasoningEffort"/>; High and above leave the model's maximum.</summary>
    internal const int LowEffortThinkingBudget = 2048;

    /// <summary>The thinking budget for <see cref="ReasoningEffort.Medium"/>.</summary>
    internal const int MediumEffortThinkingBudget = 8192;

    private static readonly JsonEncodedText IncludeUsage = JsonEncodedText.Encode(Wire.ChatParameters.Names.IncludeUsage);

    public static void Write(IBufferWriter<byte> output, IList<ChatMessage> messages, ChatOptions? options, string model, bool stream, IChatClient client, ModelFacts? facts = null, CacheSettings cache = default)
    {
        if (output is PooledBufferWriter pooled)
        {
            // Large images: rent the body buffer once at about its final size instead of doubling (and copying) up to it.
            pooled.Reserve(EstimateMediaBytes(messages));
        }

        using var writer = new Utf8JsonWriter(output, WriterOptions);
        Write(writer, messages, options, model, stream, client, facts, cache);
    }

    /// <summary>The base64 size of the inline media in <paramref name="messages"/>, plus room for the rest of the body.</summary>
    private static int EstimateMediaBytes(IList<ChatMessage> messages)
    {
        long total = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not { } message)
            {
                continue;
            }

            foreach (var content in message.Contents)
            {
                if (content is DataContent data)
                {
                    total += ((data.Data.Length + 2) / 3 * 4) + 64 + data.MediaType.Length;
                }
            }
        }

        return total == 0 ? 0 : (int)Math.Min(total + (64 * 1024), MessageWriter.MaxDataUriLength * 4L);
    }

    public static void Write(Utf8JsonWriter writer, IList<ChatMessage> messages, ChatOptions? options, string model, bool stream, IChatClient client, ModelFacts? facts = null, CacheSettings cache = default)
    {
        facts ??= ModelFacts.Default;
        var extras = MergeExtras(options, client);
        var capabilities = facts.Get(model);

        // Everything that depends on the model is decided before a byte is written, so a refused combination fails before sending.
        var format = options?.ResponseFormat is { } f && !ExtraParameters.Has(extras, Wire.ChatParameters.ResponseFormat.Name) ? f : null;
        var schemaAsJsonObject = format is ChatResponseFormatJson { Schema: not null } && (capabilities & QwenModelCapabilities.JsonSchema) == 0;
        var thinking = ThinkingPlan.For(options?.Reasoning?.Effort, extras, capabilities, jsonMode: format is ChatResponseFormatJson, model);

        // preserve_thinking: an explicit extra wins either way; otherwise on for the models the table lists (dashscope-more.md 4.4).
        var preserveThinking = ExtraParameters.Has(extras, Wire.ChatParameters.PreserveThinking.Name)
            ? ExtraParameters.IsTrue(extras, Wire.ChatParameters.PreserveThinking.Name)
            : (capabilities & QwenModelCapabilities.PreserveThinking) != 0;

        var markers = PlanCacheMarkers(messages, options, extras, model, facts, cache);
        writer.WriteStartObject();
        writer.WriteString(Wire.ChatParameters.Model.EncodedName, model);
        MessageWriter.Write(
            writer,
            messages,
            options?.Instructions,
            preserveThinking,
            audioInput: (capabilities & QwenModelCapabilities.AudioInput) != 0,
            systemAppendix: schemaAsJsonObject ? SchemaInstruction((ChatResponseFormatJson)format!) : null,
            cache: markers,
            speechRecognition: (capabilities & QwenModelCapabilities.SpeechRecognition) != 0);
        if (stream)
        {
            if (ExtraParameters.GetInteger(extras, Wire.ChatParameters.N.Name) > 1)
            {
                throw new NotSupportedException("ChatOptions.AdditionalProperties[\"n\"] > 1 is supported by GetResponseAsync only: a stream of several choices cannot be told apart in ChatResponseUpdate.");
            }

            writer.WriteBoolean(Wire.ChatParameters.Stream.EncodedName, true);
        }

        ExtraParameters.WriteStreamOptions(writer, extras, stream, IncludeUsage);

        if (options is not null)
        {
            WriteOptions(writer, options, extras, format, schemaAsJsonObject);
        }

        thinking.Write(writer);
        if (preserveThinking && !ExtraParameters.Has(extras, Wire.ChatParameters.PreserveThinking.Name))
        {
            writer.WriteBoolean(Wire.ChatParameters.PreserveThinking.EncodedName, true);
        }

        if (extras is not null)
        {
            ExtraParameters.Write(writer, extras);
        }

        writer.WriteEndObject();
        writer.Flush();
    }

    private static void WriteOptions(Utf8JsonWriter writer, ChatOptions options, IReadOnlyDictionary<string, object?>? extras, ChatResponseFormat? format, bool schemaAsJsonObject)
    {
        if (options.ConversationId is not null)
        {
            throw new NotSupportedException("ChatOptions.ConversationId is not supported: Qwen compatible mode keeps no server-side conversation state. Send the history in the messages.");
        }

        if (options.ContinuationToken is not null)
        {
            throw new NotSupportedException("ChatOptions.ContinuationToken is not supported: Qwen compatible mode has no background responses.");
        }

        if (options.Temperature is { } temperature && !ExtraParameters.Has(extras, Wire.ChatParameters.Temperature.Name))
        {
            if (!Wire.ChatParameters.Temperature.InRange(temperature))
            {
                throw Wire.ChatParameters.Temperature.TypedOutOfRange(Format(temperature));
            }

            writer.WriteNumber(Wire.ChatParameters.Temperature.EncodedName, temperature);
        }

        if (options.TopP is { } topP && !ExtraParameters.Has(extras, Wire.ChatParameters.TopP.Name))
        {
            if (!Wire.ChatParameters.TopP.InRange(topP))
            {
                throw Wire.ChatParameters.TopP.TypedOutOfRange(Format(topP));
            }

            writer.WriteNumber(Wire.ChatParameters.TopP.EncodedName, topP);
        }

        if (options.TopK is { } topK && !ExtraParameters.Has(extras, Wire.ChatParameters.TopK.Name))
        {
            if (!Wire.ChatParameters.TopK.InRange(topK))
            {
                throw Wire.ChatParameters.TopK.TypedOutOfRange(topK.ToString(CultureInfo.InvariantCulture));
            }

            writer.WriteNumber(Wire.ChatParameters.TopK.EncodedName, topK);
        }

        if (options.MaxOutputTokens is { } maxTokens && !ExtraParameters.Has(extras, Wire.ChatParameters.MaxTokens.Name))
        {
            if (!Wire.ChatParameters.MaxTokens.InRange(maxTokens))
            {
                throw Wire.ChatParameters.MaxTokens.TypedOutOfRange(maxTokens.ToString(CultureInfo.InvariantCulture));
            }

            writer.WriteNumber(Wire.ChatParameters.MaxTokens.EncodedName, maxTokens);
        }

        if (options.PresencePenalty is { } presence && !ExtraParameters.Has(extras, Wire.ChatParameters.PresencePenalty.Name))
        {
            if (!Wire.ChatParameters.PresencePenalty.InRange(presence))
            {
                throw Wire.ChatParameters.PresencePenalty.TypedOutOfRange(Format(presence));
            }

            writer.WriteNumber(Wire.ChatParameters.PresencePenalty.EncodedName, presence);
        }

        if (options.FrequencyPenalty is { } frequency && frequency != 0)
        {
            // 0 means "no penalty", which is what the service does anyway; any other value has no DashScope equivalent, and
            // mapping it onto repetition_penalty (a different scale and meaning) would change the output silently.
            throw new NotSupportedException(
                $"ChatOptions.FrequencyPenalty ({Format(frequency)}) is not a DashScope parameter. Use ChatOptions.PresencePenalty, " +
                "or AdditionalProperties[\"repetition_penalty\"] (DashScope's own, > 0, 1.0 = none).");
        }

        if (options.Seed is { } seed && !ExtraParameters.Has(extras, Wire.ChatParameters.Seed.Name))
        {
            if (!Wire.ChatParameters.Seed.InRange(seed))
            {
                throw Wire.ChatParameters.Seed.TypedOutOfRange(seed.ToString(CultureInfo.InvariantCulture));
            }

            writer.WriteNumber(Wire.ChatParameters.Seed.EncodedName, seed);
        }

        if (options.StopSequences is { Count: > 0 } stops && !ExtraParameters.Has(extras, Wire.ChatParameters.Stop.Name))
        {
            writer.WriteStartArray(Wire.ChatParameters.Stop.EncodedName);
            foreach (var stop in stops)
            {
                if (string.IsNullOrEmpty(stop))
                {
                    throw new ArgumentException("ChatOptions.StopSequences contains a null or empty string.", "options");
                }

                writer.WriteStringValue(stop);
            }

            writer.WriteEndArray();
        }

        if (format is not null)
        {
            WriteResponseFormat(writer, format, extras, schemaAsJsonObject);
        }

        ToolWriter.Write(writer, options, extras);
    }

    private static void WriteResponseFormat(Utf8JsonWriter writer, ChatResponseFormat format, IReadOnlyDictionary<string, object?>? extras, bool schemaAsJsonObject)
    {
        writer.WriteStartObject(Wire.ChatParameters.ResponseFormat.EncodedName);
        switch (format)
        {
            case ChatResponseFormatText:
                writer.WriteString(Wire.ChatParameters.Fields.Type, Wire.ChatParameters.Values.Text);
                break;
            case ChatResponseFormatJson { Schema: null }:
            case ChatResponseFormatJson when schemaAsJsonObject:
                // A schema for a model without json_schema: JSON mode, and the schema travels in the system message (SchemaInstruction).
                writer.WriteString(Wire.ChatParameters.Fields.Type, Wire.ChatParameters.Values.JsonObject);
                break;
            case ChatResponseFormatJson json:
                writer.WriteString(Wire.ChatParameters.Fields.Type, Wire.ChatParameters.Values.JsonSchemaType);
                writer.WriteStartObject(Wire.ChatParameters.Fields.JsonSchema);
                writer.WriteString(Wire.ChatParameters.Fields.Name, string.IsNullOrWhiteSpace(json.SchemaName) ? Wire.ChatParameters.Values.DefaultSchemaName : json.SchemaName);
                if (!string.IsNullOrEmpty(json.SchemaDescription))
                {
                    writer.WriteString(Wire.ChatParameters.Fields.Description, json.SchemaDescription);
                }

                writer.WritePropertyName(Wire.ChatParameters.Fields.Schema);
                json.Schema!.Value.WriteTo(writer);

                // Inside json_schema, where DashScope's 2026 structured-output pages (and OpenAI) put it; only when asked for.
                if (ToolWriter.ReadStrict(extras) is { } strict)
                {
                    writer.WriteBoolean(Wire.ChatParameters.Fields.Strict, strict);
                }

                writer.WriteEndObject();
                break;
            default:
                throw new NotSupportedException($"ChatOptions.ResponseFormat of type {format.GetType().Name} is not supported.");
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The system-message instruction that carries a schema to a model without <c>json_schema</c> (sent as <c>json_object</c>): it names
    /// JSON, which the service requires in the prompt for <c>json_object</c> (dashscope-more.md 6.3), in the words MEAI's own
    /// schema-in-prompt fallback uses.
    /// </summary>
    internal static string SchemaInstruction(ChatResponseFormatJson format)
    {
        var text = new StringBuilder("Respond with a JSON value conforming to the following schema");
        if (!string.IsNullOrWhiteSpace(format.SchemaName))
        {
            text.Append(" (").Append(format.SchemaName).Append(')');
        }

        text.Append(':');
        if (!string.IsNullOrWhiteSpace(format.SchemaDescription))
        {
            text.Append(' ').Append(format.SchemaDescription);
        }

        return text.Append("\n```\n").Append(format.Schema!.Value.GetRawText()).Append("\n```").ToString();
    }

    /// <summary>
    /// The context-cache markers of this request: the caller's, plus the automatic policy's when it is on (the client's
    /// <see cref="QwenClientOptions.ContextCache"/>, or <c>AdditionalProperties["contextCache"]</c> for this request) and the model
    /// supports explicit caching (<see cref="QwenModelCapabilities.ExplicitCache"/>).
    /// </summary>
    private static CacheMarkers? PlanCacheMarkers(IList<ChatMessage> messages, ChatOptions? options, IReadOnlyDictionary<string, object?>? extras, string model, ModelFacts facts, CacheSettings cache)
    {
        var policy = cache.Policy;
        if (extras is not null && extras.TryGetValue(Wire.ChatParameters.ContextCacheSetting, out var value) && value is not null)
        {
            policy = ParsePolicy(value);
        }

        var auto = policy == QwenContextCachePolicy.Auto && facts.Has(model, QwenModelCapabilities.ExplicitCache);
        return CacheMarkers.Plan(messages, auto && MessageWriter.HasSystemText(messages, options?.Instructions), auto, cache.Logger);
    }

    /// <summary>A <see cref="QwenContextCachePolicy"/> from the per-request key: the enum, its name (any case) or a bool (true = Auto).</summary>
    internal static QwenContextCachePolicy ParsePolicy(object value)
    {
        switch (value)
        {
            case QwenContextCachePolicy policy when Enum.IsDefined(policy):
                return policy;
            case string s when Enum.TryParse<QwenContextCachePolicy>(s.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(s.Trim().FirstOrDefault()):
                return parsed;
            case JsonElement { ValueKind: JsonValueKind.String } e:
                return ParsePolicy(e.GetString()!);
            default:
                if (LooseValue.TryGetBoolean(value, out var on))
                {
                    return on ? QwenContextCachePolicy.Auto : QwenContextCachePolicy.None;
                }

                throw new ArgumentException(
                    $"ChatOptions.AdditionalProperties[\"{Wire.ChatParameters.ContextCacheSetting}\"] must be a QwenContextCachePolicy, \"auto\" or \"none\"; got {(value is string text ? $"\"{text}\"" : "a " + value.GetType().Name)}.",
                    "options");
        }
    }

    /// <summary>
    /// Refuses a speech-recognition model (qwen3-asr) in the US region before anything is sent: "The US region does not support the
    /// OpenAI compatible mode" (Qwen-ASR API reference, Jan 2026), so neither a <c>-us</c> model id nor the Virginia endpoint can serve it here.
    /// </summary>
    /// <exception cref="NotSupportedException">The model is a speech-recognition model and the model id or the endpoint is the US region's.</exception>
    public static void ThrowIfSpeechRecognitionInUsRegion(string model, ModelFacts facts, Uri endpoint)
    {
        if (!facts.Has(model, QwenModelCapabilities.SpeechRecognition))
        {
            return;
        }

        var usModel = model.EndsWith("-us", StringComparison.OrdinalIgnoreCase);
        var usEndpoint = string.Equals(endpoint.Host, QwenEndpoints.Virginia.Host, StringComparison.OrdinalIgnoreCase);
        if (usModel || usEndpoint)
        {
            throw new NotSupportedException(
                $"The speech-recognition model '{model}' cannot be called {(usEndpoint ? $"at {endpoint.Host}" : "with a US (-us) model id")}: Alibaba's Qwen-ASR reference states that " +
                "the US (Virginia) region does not support the OpenAI-compatible mode this client uses. Use the Singapore or Beijing endpoint " +
                "(QwenEndpoints.Singapore / QwenEndpoints.Beijing) with a model such as 'qwen3-asr-flash', or DashScope's native API in the US region.");
        }
    }

    /// <summary>Extras from <c>RawRepresentationFactory</c> (a dictionary of wire names) under those of <c>AdditionalProperties</c>.</summary>
    private static IReadOnlyDictionary<string, object?>? MergeExtras(ChatOptions? options, IChatClient client)
    {
        if (options is null)
        {
            return null;
        }

        IReadOnlyDictionary<string, object?>? extras = options.AdditionalProperties is { Count: > 0 } ap ? ap : null;
        if (options.RawRepresentationFactory is not { } factory)
        {
            return extras;
        }

        var raw = factory(client);
        switch (raw)
        {
            case null:
                return extras;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                var merged = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var pair in pairs)
                {
                    merged[pair.Key] = pair.Value;
                }

                if (extras is not null)
                {
                    foreach (var pair in extras)
                    {
                        merged[pair.Key] = pair.Value;
                    }
                }

                return merged;
            default:
                throw new NotSupportedException(
                    $"ChatOptions.RawRepresentationFactory returned a {raw.GetType().Name}; QwenChatClient accepts a dictionary of wire parameters " +
                    "(IDictionary<string, object?>), whose entries AdditionalProperties override.");
        }
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Format(float value) => value.ToString(CultureInfo.InvariantCulture);
}
