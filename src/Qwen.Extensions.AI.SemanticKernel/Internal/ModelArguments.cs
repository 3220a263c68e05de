namespace Qwen.Extensions.AI.SemanticKernel.Internal;

/// <summary>The (model id, key, endpoint) overloads of the registration methods, as the options callback their other overload takes.</summary>
internal static class ModelArguments
{
    /// <summary>Checks <paramref name="modelId"/> and returns the callback that sets the model, key and endpoint (Singapore by default).</summary>
    public static Action<QwenClientOptions> ToConfigure(string modelId, string? apiKey, Uri? endpoint, string exampleModel)
    {
        if (string.IsNullOrWhiteSpace(modelId))
        {
            throw new ArgumentException($"modelId is empty; pass a model such as '{exampleModel}'.", nameof(modelId));
        }

        return o =>
        {
            o.DefaultModelId = modelId;
            o.ApiKey = apiKey;
            o.Endpoint = endpoint ?? QwenEndpoints.Singapore;
        };
    }
}
