namespace Qwen.Extensions.AI.Mapping;

/// <summary>Turns a finished tool call into a <see cref="FunctionCallContent"/>; unparsable arguments keep the raw text and set <see cref="FunctionCallContent.Exception"/>.</summary>
internal static class FunctionCallFactory
{
    public static FunctionCallContent Create(string? id, string? name, string? arguments)
    {
        var callId = string.IsNullOrEmpty(id) ? "call_" + Guid.NewGuid().ToString("N")[..24] : id;
        name ??= string.Empty;
        if (string.IsNullOrWhiteSpace(arguments))
        {
            return new FunctionCallContent(callId, name, new Dictionary<string, object?>());
        }

        var content = FunctionCallContent.CreateFromParsedArguments(
            arguments,
            callId,
            name,
            static json => JsonSerializer.Deserialize(json, QwenJsonContext.Default.IDictionaryStringObject)
                ?? throw new JsonException("The function arguments are JSON null, not an object."));

        if (content.Exception is not null)
        {
            // Keep what the model sent so callers (and the model, through the error result) can see it.
            content.AdditionalProperties ??= new();
            content.AdditionalProperties["raw_arguments"] = arguments;
        }

        return content;
    }
}
