using System.Buffers.Binary;
using static Qwen.Extensions.AI.Mapping.CompletionJsonReader;

namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// Reads an embeddings list in one <see cref="Utf8JsonReader"/> pass, by field name (the service's field order differs from
/// OpenAI's): each <c>data[].embedding</c> straight into a <see cref="float"/> array placed by its <c>index</c>, plus
/// <c>model</c>, <c>id</c> and <c>usage</c>. An <c>error</c> object or a native <c>{"code","message"}</c> body is reported, not parsed
/// as vectors. Lenient on what is uncertain (dashscope-more.md §2): a base64 <c>embedding</c> string (little-endian float32) is
/// accepted although only <c>float</c> is documented; a missing <c>index</c> means the position.
/// </summary>
internal static class EmbeddingResponseReader
{
    /// <summary>What one answer held.</summary>
    internal sealed class Batch
    {
        public Batch(int count) => Vectors = new ReadOnlyMemory<float>[count];

        /// <summary>Gets one vector per input, in input order (an unfilled slot stays empty and is reported).</summary>
        public ReadOnlyMemory<float>[] Vectors { get; }

        public string? Model { get; set; }

        public string? Id { get; set; }

        public long? PromptTokens { get; set; }

        public long? TotalTokens { get; set; }

        public ErrorDetail? Error { get; set; }

        public string? NativeCode { get; set; }

        public string? NativeMessage { get; set; }

        public bool HasData { get; set; }
    }

    /// <summary>Parses <paramref name="json"/>, the answer to a batch of <paramref name="count"/> inputs.</summary>
    /// <param name="json">The body.</param>
    /// <param name="count">How many inputs were sent.</param>
    /// <param name="expectedDimensions">The vector size to pre-size for (asked for, or the model's default).</param>
    public static Batch Read(ReadOnlySpan<byte> json, int count, int expectedDimensions)
    {
        var batch = new Batch(count);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The body is not a JSON object.");
        }

        while (ReadProperty(ref reader))
        {
            if (reader.ValueTextEquals(ResponseFields.Utf8.Data))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                Expect(ref reader, JsonTokenType.StartArray, ResponseFields.Data);
                batch.HasData = true;
                var position = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    ReadItem(ref reader, batch, position++, expectedDimensions);
                }
            }
            else if (reader.ValueTextEquals(ResponseFields.Utf8.Model))
            {
                reader.Read();
                batch.Model = ReadString(ref reader, ResponseFields.Model);
            }
            else if (reader.ValueTextEquals(ResponseFields.Utf8.Id))
            {
                reader.Read();
                batch.Id = reader.TokenType == JsonTokenType.String ? reader.GetString() : SkipValue(ref reader);
            }
            else if (reader.ValueTextEquals(ResponseFields.Utf8.Usage))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadUsage(ref reader, batch);
                }
                else
                {
                    ExpectNull(ref reader, ResponseFields.Usage);
                }
            }
            else if (reader.ValueTextEquals(ResponseFields.Utf8.Error))
            {
                reader.Read();
                batch.Error = reader.TokenType switch
                {
                    JsonTokenType.StartObject => JsonSerializer.Deserialize(ref reader, QwenJsonContext.Default.ErrorDetail),
                    JsonTokenType.String => new ErrorDetail { Message = reader.GetString() },
                    _ => SkipError(ref reader),
                };
            }
            else if (reader.ValueTextEquals(ResponseFields.Utf8.Code))
            {
                reader.Read();
                batch.NativeCode = reader.TokenType == JsonTokenType.String ? reader.GetString() : SkipValue(ref reader);
            }
            else if (reader.ValueTextEquals(ResponseFields.Utf8.Message))
            {
                reader.Read();
                batch.NativeMessage = reader.TokenType == JsonTokenType.String ? reader.GetString() : SkipValue(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return batch;
    }

    /// <summary>Checks that every input got exactly one vector (the reader fills slots; a gap means the service sent fewer).</summary>
    public static void EnsureComplete(Batch batch)
    {
        var vectors = batch.Vectors;
        for (var i = 0; i < vectors.Length; i++)
        {
            if (vectors[i].IsEmpty)
            {
                throw new JsonException($"The answer has no embedding for input {i} of {vectors.Length}.");
            }
        }
    }

    private static void ReadItem(ref Utf8JsonReader reader, Batch batch, int position, int expectedDimensions)
    {
        Expect(ref reader, JsonTokenType.StartObject, ResponseFields.Data);
        long? index = null;
        ReadOnlyMemory<float> vector = default;
        var hasVector = false;
        while (ReadProperty(ref reader))
        {
            if (reader.ValueTextEquals(ResponseFields.Utf8.Embedding))
            {
                reader.Read();
                vector = reader.TokenType switch
                {
                    JsonTokenType.StartArray => ReadFloats(ref reader, expectedDimensions),
                    JsonTokenType.String => DecodeBase64(ref reader),
                    _ => throw new JsonException($"'{ResponseFields.Embedding}' should be an array of numbers but is {reader.TokenType}."),
                };
                hasVector = true;
            }
            else if (reader.ValueTextEquals(ResponseFields.Utf8.Index))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Null)
                {
                    index = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var i)
                        ? i
                        : throw new JsonException($"'{ResponseFields.Index}' should be a whole number but is {reader.TokenType}.");
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (!hasVector)
        {
            throw new JsonException($"'{ResponseFields.Data}[{position}]' has no '{ResponseFields.Embedding}'.");
        }

        var slot = index ?? position;
        if (slot < 0 || slot >= batch.Vectors.Length)
        {
            throw new JsonException($"'{ResponseFields.Data}[{position}].{ResponseFields.Index}' is {slot}, outside the {batch.Vectors.Length} inputs sent.");
        }

        if (!batch.Vectors[slot].IsEmpty)
        {
            throw new JsonException($"'{ResponseFields.Data}' has two embeddings for index {slot}.");
        }

        if (vector.IsEmpty)
        {
            throw new JsonException($"'{ResponseFields.Data}[{position}].{ResponseFields.Embedding}' is empty.");
        }

        batch.Vectors[slot] = vector;
    }

    /// <summary>Reads a number array into one float array, sized for the expected dimensions (grown by doubling if it is longer).</summary>
    private static ReadOnlyMemory<float> ReadFloats(ref Utf8JsonReader reader, int expectedDimensions)
    {
        var values = new float[expectedDimensions > 0 ? expectedDimensions : 1024];
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number)
            {
                throw new JsonException($"'{ResponseFields.Embedding}' should hold numbers but holds a {reader.TokenType}.");
            }

            if (count == values.Length)
            {
                Array.Resize(ref values, values.Length * 2);
            }

            values[count++] = reader.GetSingle();
        }

        return new ReadOnlyMemory<float>(values, 0, count);
    }

    /// <summary>A base64 string of little-endian float32 values (OpenAI's <c>base64</c> format; not documented for DashScope).</summary>
    private static ReadOnlyMemory<float> DecodeBase64(ref Utf8JsonReader reader)
    {
        var bytes = reader.GetBytesFromBase64();
        if (bytes.Length % sizeof(float) != 0)
        {
            throw new JsonException($"'{ResponseFields.Embedding}' is base64 of {bytes.Length} bytes, not a whole number of float32 values.");
        }

        var values = new float[bytes.Length / sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        }

        return values;
    }

    private static void ReadUsage(ref Utf8JsonReader reader, Batch batch)
    {
        while (ReadProperty(ref reader))
        {
            if (reader.ValueTextEquals(ResponseFields.Utf8.PromptTokens))
            {
                reader.Read();
                batch.PromptTokens = ReadInteger(ref reader);
            }
            else if (reader.ValueTextEquals(ResponseFields.Utf8.TotalTokens))
            {
                reader.Read();
                batch.TotalTokens = ReadInteger(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static ErrorDetail? SkipError(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }
}
