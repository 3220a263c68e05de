namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// A stream → one <see cref="ChatResponse"/> for <c>GetResponseAsync</c> on stream-only models, shaped as the non-streaming path
/// shapes it: MEAI's aggregation, then the request id and the whole <c>logprobs</c> (<c>{"content":[every token, in order]}</c>) on
/// the response, and each message's audio pieces joined into one <see cref="DataContent"/> holding every byte.
/// </summary>
internal static class StreamAggregator
{
    public static async Task<ChatResponse> AggregateAsync(IAsyncEnumerable<ChatResponseUpdate> stream, CancellationToken cancellationToken)
    {
        var updates = new List<ChatResponseUpdate>();
        ArrayBufferWriter<byte>? tokens = null;
        Utf8JsonWriter? writer = null;
        try
        {
            await foreach (var update in stream.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                updates.Add(update);
                if (update.AdditionalProperties?.TryGetValue(ChoiceMapper.LogprobsKey, out var value) == true
                    && value is JsonElement { ValueKind: JsonValueKind.Object } logprobs
                    && logprobs.TryGetProperty(ResponseFields.Content, out var content)
                    && content.ValueKind == JsonValueKind.Array)
                {
                    if (writer is null)
                    {
                        tokens = new ArrayBufferWriter<byte>();
                        writer = new Utf8JsonWriter(tokens, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
                        writer.WriteStartObject();
                        writer.WriteStartArray(ResponseFields.Content);
                    }

                    foreach (var token in content.EnumerateArray())
                    {
                        token.WriteTo(writer);
                    }
                }
            }

            var response = updates.ToChatResponse();
            foreach (var message in response.Messages)
            {
                message.AdditionalProperties?.Remove(ChoiceMapper.LogprobsKey); // only the last piece's survived the merge
                JoinAudio(message);
            }

            // Aggregation puts update properties on the message; a non-streaming caller looks for the request id on the response.
            if (response.Messages is [{ AdditionalProperties: { } properties }, ..] && properties.TryGetValue(QwenPropertyNames.RequestId, out var requestId))
            {
                (response.AdditionalProperties ??= new())[QwenPropertyNames.RequestId] = requestId;
            }

            if (response.Messages is [{ AdditionalProperties: { } first }, ..] && first.TryGetValue(ChoiceMapper.AnnotationsKey, out var annotations))
            {
                (response.AdditionalProperties ??= new())[ChoiceMapper.AnnotationsKey] = annotations;
            }

            if (writer is not null)
            {
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.Flush();
                using var document = JsonDocument.Parse(tokens!.WrittenMemory);
                (response.AdditionalProperties ??= new())[ChoiceMapper.LogprobsKey] = document.RootElement.Clone();
            }

            return response;
        }
        finally
        {
            writer?.Dispose();
        }
    }

    /// <summary>Replaces a message's audio pieces with one <see cref="DataContent"/> of all their bytes, where the first was.</summary>
    private static void JoinAudio(ChatMessage message)
    {
        var contents = message.Contents;
        var first = -1;
        var count = 0;
        var length = 0;
        for (var i = 0; i < contents.Count; i++)
        {
            if (contents[i] is DataContent data && data.MediaType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase))
            {
                first = first < 0 ? i : first;
                count++;
                length += data.Data.Length;
            }
        }

        if (count < 2)
        {
            return;
        }

        var bytes = new byte[length];
        var offset = 0;
        string? transcript = null;
        var mediaType = ((DataContent)contents[first]).MediaType;
        for (var i = first; i < contents.Count;)
        {
            if (contents[i] is DataContent data && data.MediaType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase))
            {
                data.Data.Span.CopyTo(bytes.AsSpan(offset));
                offset += data.Data.Length;
                if (data.AdditionalProperties?.TryGetValue(ResponseFields.Transcript, out var piece) == true && piece is string text)
                {
                    transcript += text;
                }

                if (i != first)
                {
                    contents.RemoveAt(i);
                    continue;
                }
            }

            i++;
        }

        var joined = new DataContent(bytes, mediaType);
        if (transcript is not null)
        {
            joined.AdditionalProperties = new() { [ResponseFields.Transcript] = transcript };
        }

        contents[first] = joined;
    }
}
