namespace Qwen.Extensions.AI.Emulator;

/// <summary>Settings for a <see cref="QwenEmulator"/>.</summary>
public sealed class QwenEmulatorOptions
{
    /// <summary>The API key the emulator accepts unless <see cref="ApiKey"/> is set.</summary>
    public const string DefaultApiKey = "sk-qwen-emulator";

    /// <summary>Gets or sets the one API key the emulator accepts; any other bearer key gets 401 <c>invalid_api_key</c>.</summary>
    public string ApiKey { get; set; } = DefaultApiKey;

    /// <summary>Gets or sets the loopback port to bind, or 0 (the default) for a free port chosen by the OS.</summary>
    public int Port { get; set; }

    /// <summary>Gets or sets the model <see cref="QwenEmulator.CreateChatClient"/> uses when none is given. Defaults to <c>qwen-plus</c>.</summary>
    public string DefaultModelId { get; set; } = "qwen-plus";

    /// <summary>Gets model ids accepted in addition to the built-in catalog (qwen-plus, qwen3-*, qwen-vl-*, qvq-*, ...).</summary>
    public IList<string> AdditionalModels { get; } = new List<string>();

    /// <summary>Gets or sets how many words each streamed content or reasoning chunk carries. Defaults to 3.</summary>
    public int WordsPerChunk { get; set; } = 3;

    /// <summary>
    /// Gets or sets the most inputs one <c>embeddings</c> request may carry, or <see langword="null"/> (the default) for the documented
    /// limit of the model (10 for text-embedding-v3/v4). A larger batch gets the service's 400 "should not be larger than N".
    /// </summary>
    public int? EmbeddingBatchLimit { get; set; }

    /// <summary>Gets or sets a pause between streamed events for every reply that does not set its own. Defaults to none.</summary>
    public TimeSpan DelayBetweenEvents { get; set; }

    /// <summary>
    /// Gets or sets the clock of the emulator's stored state: the <c>/responses</c> store (7 days) and session cache (5 minutes) expire
    /// on it, and response <c>created_at</c> values come from it. Defaults to <see cref="TimeProvider.System"/>.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
