using System.Text.Encodings.Web;

namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// Builds the compatible-mode <c>embeddings</c> body for one batch from <see cref="EmbeddingGenerationOptions"/>, through the rows of
/// <see cref="EmbeddingParameters"/>: <c>model</c>, <c>input</c> (always an array), <c>dimensions</c> when asked for,
/// <c>encoding_format: "float"</c>, then the extras by wire name (an extra wins over the typed option, as for chat).
/// </summary>
internal static class EmbeddingRequestWriter
{
    private const string OptionsType = "EmbeddingGenerationOptions";

    // As for chat: only what JSON requires is escaped, so CJK text stays 3 UTF-8 bytes per character.
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonEncodedText Float = JsonEncodedText.Encode(EmbeddingParameters.FloatEncoding);

    /// <summary>Checks the options once per call, before any batch is sent: the model's documented sizes, the extras' kinds.</summary>
    /// <returns>The <c>dimensions</c> the request asks for (typed or extra), or <see langword="null"/>.</returns>
    public static int? Validate(EmbeddingGenerationOptions? options, string model)
    {
        var extras = Extras(options);
        long? dimensions = null;
        string subject = $"{OptionsType}.Dimensions";
        if (ExtraParameters.Has(extras, EmbeddingParameters.Names.Dimensions))
        {
            // Validated for kind and range by the row when the body is written; here only what the model documents.
            dimensions = ExtraParameters.GetInteger(extras, EmbeddingParameters.Names.Dimensions);
            subject = $"{OptionsType}.AdditionalProperties[\"{EmbeddingParameters.Names.Dimensions}\"]";
        }
        else if (options?.Dimensions is { } typed)
        {
            if (!EmbeddingParameters.Dimensions.InRange(typed))
            {
                throw new ArgumentOutOfRangeException(nameof(options), typed, $"{subject} must be ≥ 1; got {typed.ToString(CultureInfo.InvariantCulture)}.");
            }

            dimensions = typed;
        }

        if (dimensions is { } size && EmbeddingParameters.Find(model) is { } known && Array.IndexOf(known.Dimensions, (int)Math.Clamp(size, int.MinValue, int.MaxValue)) < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), size, $"{subject} must be one of the sizes documented for '{model}' ({known.DimensionsText}); got {size.ToString(CultureInfo.InvariantCulture)}.");
        }

        return dimensions is { } d && d is >= 1 and <= int.MaxValue ? (int)d : null;
    }

    /// <summary>Writes the body for <paramref name="count"/> inputs from <paramref name="start"/>.</summary>
    public static void Write(IBufferWriter<byte> output, IList<string> inputs, int start, int count, EmbeddingGenerationOptions? options, string model)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        var extras = Extras(options);
        writer.WriteStartObject();
        writer.WriteString(EmbeddingParameters.Model.EncodedName, model);
        writer.WriteStartArray(EmbeddingParameters.Input.EncodedName);
        for (var i = start; i < start + count; i++)
        {
            writer.WriteStringValue(inputs[i]);
        }

        writer.WriteEndArray();
        if (options?.Dimensions is { } dimensions && !ExtraParameters.Has(extras, EmbeddingParameters.Names.Dimensions))
        {
            writer.WriteNumber(EmbeddingParameters.Dimensions.EncodedName, dimensions);
        }

        writer.WriteString(EmbeddingParameters.EncodingFormat.EncodedName, Float);
        if (extras is not null)
        {
            ExtraParameters.Write(writer, extras, EmbeddingParameters.Table, OptionsType);
        }

        writer.WriteEndObject();
    }

    private static IReadOnlyDictionary<string, object?>? Extras(EmbeddingGenerationOptions? options) =>
        options?.AdditionalProperties is { Count: > 0 } extras ? extras : null;
}
