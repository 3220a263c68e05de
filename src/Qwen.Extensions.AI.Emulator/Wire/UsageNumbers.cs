namespace Qwen.Extensions.AI.Emulator.Wire;

/// <summary>
/// The final token counts of one reply. <paramref name="CacheCreation"/> is set for an explicit-cache request (all four cache fields
/// are then written). <paramref name="Modalities"/> adds the per-modality details Qwen-Omni and qwen3-asr report
/// (dashscope-more.md 5.3: <c>prompt_tokens_details.text_tokens</c>, <c>completion_tokens_details.text_tokens</c>, and
/// <c>audio_tokens</c> for the audio in the prompt).
/// </summary>
internal readonly record struct UsageNumbers(int Prompt, int Completion, int Total, int Cached, int Reasoning, int? CacheCreation = null, int InputAudio = 0, bool Modalities = false);
