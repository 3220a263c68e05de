namespace Qwen.Extensions.AI;

/// <summary>Settings for a <see cref="QwenChatClient"/>.</summary>
public sealed class QwenClientOptions
{
    /// <summary>The environment variable read when <see cref="ApiKey"/> is not set.</summary>
    public const string ApiKeyEnvironmentVariable = "DASHSCOPE_API_KEY";

    /// <summary>Gets or sets the DashScope API key. When <see langword="null"/>, the <c>DASHSCOPE_API_KEY</c> environment variable is used.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the compatible-mode base URL, for example <see cref="QwenEndpoints.Singapore"/> (the default) or a workspace host ending in <c>/compatible-mode/v1</c>.</summary>
    public Uri Endpoint { get; set; } = QwenEndpoints.Singapore;

    /// <summary>Gets or sets the model used when <c>ChatOptions.ModelId</c> is not set, for example <c>qwen-plus</c>.</summary>
    public string? DefaultModelId { get; set; }

    /// <summary>Gets or sets a value indicating whether the API key may be sent over plain <c>http://</c> to a host that is not loopback. Off by default.</summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>Returns a description of these options with the API key redacted.</summary>
    /// <returns>The endpoint, default model and whether a key is set.</returns>
    public override string ToString() =>
        $"QwenClientOptions {{ Endpoint = {Endpoint}, DefaultModelId = {DefaultModelId ?? "(none)"}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(from " + ApiKeyEnvironmentVariable + ")" : "***")} }}";
}
