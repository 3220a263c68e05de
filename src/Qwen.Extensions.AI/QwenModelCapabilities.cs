namespace Qwen.Extensions.AI;

/// <summary>
/// What a Qwen model does that the client must know before it sends: every per-model decision of <see cref="QwenChatClient"/>
/// (streaming under the hood, reasoning tiers, preserved thinking, structured output, context cache, audio input) reads these.
/// </summary>
/// <remarks>
/// The library ships a table of known models (README, "Model facts"); <see cref="QwenClientOptions.ModelCapabilities"/> adds or
/// overrides entries, and <see cref="QwenClientOptions.GetModelCapabilities(string)"/> shows what a model id resolves to.
/// A model the table does not know resolves to <see cref="None"/>, which is the safe behaviour everywhere: thinking mapped with
/// <c>enable_thinking</c> + <c>thinking_budget</c>, structured output as <c>json_object</c> plus the schema in an instruction,
/// no automatic cache markers, audio refused.
/// </remarks>
[Flags]
public enum QwenModelCapabilities
{
    /// <summary>Nothing beyond plain chat is known.</summary>
    None = 0,

    /// <summary>The model answers only streaming calls (QwQ, QVQ, Qwen-Omni): <c>GetResponseAsync</c> streams and aggregates from the first call.</summary>
    StreamOnly = 1 << 0,

    /// <summary>The model always thinks; thinking cannot be turned off (QwQ, QVQ, <c>*-thinking</c> open-source models).</summary>
    ThinkingOnly = 1 << 1,

    /// <summary>A hybrid model that thinks unless told not to (Qwen3.5 and later).</summary>
    ThinkingByDefault = 1 << 2,

    /// <summary>The model honours <c>reasoning_effort</c> tiers (<c>none</c> … <c>max</c>), so <c>ChatOptions.Reasoning.Effort</c> is sent as a tier.</summary>
    ReasoningTiers = 1 << 3,

    /// <summary>The model reads earlier turns' reasoning back (<c>preserve_thinking</c>), and the client turns it on by default.</summary>
    PreserveThinking = 1 << 4,

    /// <summary>The model enforces <c>response_format: {"type": "json_schema"}</c>; without it a schema is sent as <c>json_object</c> plus an instruction.</summary>
    JsonSchema = 1 << 5,

    /// <summary>The model accepts JSON mode while thinking; without it the client turns default thinking off for JSON mode.</summary>
    JsonModeWithThinking = 1 << 6,

    /// <summary>The model honours explicit context-cache markers (<c>cache_control</c>), so the automatic cache policy places them.</summary>
    ExplicitCache = 1 << 7,

    /// <summary>The model takes audio in user messages (<c>input_audio</c> parts: Qwen-Omni).</summary>
    AudioInput = 1 << 8,

    /// <summary>A speech-recognition model (qwen3-asr): audio in, transcript out, <c>asr_options</c> and <c>audio_info</c> annotations.</summary>
    SpeechRecognition = 1 << 9,
}
