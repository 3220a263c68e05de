using Microsoft.AspNetCore.Http;
using Qwen.Extensions.AI.Emulator.Behaviour;

namespace Qwen.Extensions.AI.Emulator.Wire;

/// <summary>
/// Serves <c>POST /compatible-mode/v1/embeddings</c> (shared/docs/dashscope-more.md §2): checks the request as the service does
/// (model, batch size with the captured 400 body, documented sizes, <c>encoding_format</c>, tokens per input) and answers with
/// <see cref="HashedEmbedder"/> vectors in the captured shape (the OpenAI list plus a top-level <c>id</c>). A scripted reply's
/// faults (error, raw body, delay, disconnect, cut, headers) apply as for chat; anything else gets the default answer.
/// </summary>
internal sealed class EmbeddingsHandler
{
    public const string EmbeddingsPath = "/compatible-mode/v1/embeddings";

    /// <summary>The captured 400 for too many inputs; <c>{0}</c> is the limit.</summary>
    public const string BatchTooLargeMessage = "<400> InternalError.Algo.InvalidParameter: Value error, batch size is invalid, it should not be larger than {0}.: input.contents";

    private readonly QwenEmulatorOptions _options;

    public EmbeddingsHandler(QwenEmulatorOptions options) => _options = options;

    public async Task ExecuteAsync(HttpContext context, RecordedRequest recorded, EmulatorReply reply, CancellationToken cancellationToken)
    {
        if (!await ChatCompletionsHandler.StartReplyAsync(context, reply, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var response = context.Response;
        if (reply.Error is { } error)
        {
            await ChatCompletionsHandler.WriteErrorAsync(context, reply.StatusCode, error, recorded.RequestId).ConfigureAwait(false);
            return;
        }

        if (reply.RawBody is { } raw)
        {
            response.StatusCode = reply.StatusCode;
            response.ContentType = reply.ContentType;
            await ChatCompletionsHandler.WriteBodyAsync(context, raw, reply.CutAfterEvents, reply.DelayBetweenEvents, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (Validate(recorded.Json) is { } invalid)
        {
            await ChatCompletionsHandler.WriteErrorAsync(context, invalid.Status, invalid.Error, recorded.RequestId).ConfigureAwait(false);
            return;
        }

        var root = recorded.Json!.Value;
        var model = root.GetProperty("model").GetString()!;
        var facts = Facts(model)!;
        var inputs = Inputs(root.GetProperty("input"))!;
        var dimensions = root.TryGetProperty("dimensions", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetInt32() : facts.DefaultDimensions;
        var tokens = inputs.Sum(TokenCounter.Count);
        response.StatusCode = reply.StatusCode;
        response.ContentType = "application/json";
        await ChatCompletionsHandler.WriteBodyAsync(context, Answer(inputs, dimensions, model, tokens, recorded.RequestId), reply.CutAfterEvents, reply.DelayBetweenEvents, cancellationToken).ConfigureAwait(false);
    }

    private EmbeddingModelFacts? Facts(string model) =>
        EmbeddingCatalog.Find(model) ?? (_options.AdditionalModels.Contains(model, StringComparer.Ordinal) ? EmbeddingCatalog.Find("text-embedding-v4") : null);

    private (int Status, EmulatorError Error)? Validate(JsonElement? json)
    {
        if (json is not { ValueKind: JsonValueKind.Object } root)
        {
            return Bad("The request body is not a JSON object.", null);
        }

        if (!root.TryGetProperty("model", out var modelElement) || modelElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(modelElement.GetString()))
        {
            return Bad("Model not specified.", "model");
        }

        var model = modelElement.GetString()!;
        if (Facts(model) is not { } facts)
        {
            return (404, new EmulatorError("model_not_found", $"The model `{model}` does not exist or you do not have access to it."));
        }

        if (!root.TryGetProperty("input", out var input) || Inputs(input) is not { } inputs)
        {
            return Bad("<400> InternalError.Algo.InvalidParameter: Value error, contents is neither str nor list of str.: input.contents", null);
        }

        var limit = _options.EmbeddingBatchLimit ?? facts.MaxBatchSize;
        if (inputs.Length > limit)
        {
            return (400, new EmulatorError("InvalidParameter", string.Format(CultureInfo.InvariantCulture, BatchTooLargeMessage, limit), "InvalidParameter"));
        }

        for (var i = 0; i < inputs.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(inputs[i]))
            {
                return Bad($"<400> InternalError.Algo.InvalidParameter: Value error, input.contents[{i}] is empty.: input.contents", null);
            }

            if (TokenCounter.Count(inputs[i]) > facts.MaxTokensPerInput)
            {
                return Bad($"<400> InternalError.Algo.InvalidParameter: Range of input length should be [1, {facts.MaxTokensPerInput}]", null);
            }
        }

        if (root.TryGetProperty("dimensions", out var dimensions) && dimensions.ValueKind != JsonValueKind.Null)
        {
            if (dimensions.ValueKind != JsonValueKind.Number || !dimensions.TryGetInt32(out var size) || Array.IndexOf(facts.Dimensions, size) < 0)
            {
                return Bad($"<400> InternalError.Algo.InvalidParameter: Value error, dimension should be one of [{string.Join(", ", facts.Dimensions)}].: parameters.dimension", null);
            }
        }

        if (root.TryGetProperty("encoding_format", out var format) && format.ValueKind != JsonValueKind.Null
            && !(format.ValueKind == JsonValueKind.String && format.GetString() == "float"))
        {
            return Bad("<400> InternalError.Algo.InvalidParameter: Value error, encoding_format only supports float.: parameters.encoding_format", null);
        }

        return null;
    }

    private static (int, EmulatorError) Bad(string message, string? param) =>
        (400, new EmulatorError("InvalidParameter", message, "InvalidParameter", param));

    /// <summary><c>input</c> as a string or an array of strings; <see langword="null"/> for anything else.</summary>
    private static string[]? Inputs(JsonElement input)
    {
        if (input.ValueKind == JsonValueKind.String)
        {
            return [input.GetString()!];
        }

        if (input.ValueKind != JsonValueKind.Array || input.GetArrayLength() == 0)
        {
            return null;
        }

        var result = new string[input.GetArrayLength()];
        var i = 0;
        foreach (var item in input.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            result[i++] = item.GetString()!;
        }

        return result;
    }

    private static byte[] Answer(string[] inputs, int dimensions, string model, int tokens, string requestId)
    {
        var buffer = new ArrayBufferWriter<byte>(inputs.Length * dimensions * 12);
        using (var w = new Utf8JsonWriter(buffer))
        {
            // The captured field order: data, model, object, usage, id.
            w.WriteStartObject();
            w.WriteStartArray("data");
            for (var i = 0; i < inputs.Length; i++)
            {
                w.WriteStartObject();
                w.WriteStartArray("embedding");
                foreach (var value in HashedEmbedder.Embed(inputs[i], dimensions))
                {
                    w.WriteNumberValue(value);
                }

                w.WriteEndArray();
                w.WriteNumber("index", i);
                w.WriteString("object", "embedding");
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("model", model);
            w.WriteString("object", "list");
            w.WriteStartObject("usage");
            w.WriteNumber("prompt_tokens", tokens);
            w.WriteNumber("total_tokens", tokens);
            w.WriteEndObject();
            w.WriteString("id", requestId);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
