namespace Qwen.Extensions.AI.Emulator.Behaviour;

/// <summary>The assistant message to send, before wire formatting; <paramref name="AudioInfo"/> becomes qwen3-asr's <c>annotations</c>.</summary>
internal sealed record ReplyPlan(string? Content, string? Reasoning, IReadOnlyList<EmulatorToolCall> ToolCalls, string FinishReason, AudioInfo? AudioInfo = null);

/// <summary>qwen3-asr's <c>{"type":"audio_info","emotion","language"}</c> annotation.</summary>
internal sealed record AudioInfo(string Emotion, string Language);
