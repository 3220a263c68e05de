namespace Qwen.Extensions.AI.Emulator.Behaviour;

/// <summary>The assistant message to send, before wire formatting.</summary>
internal sealed record ReplyPlan(string? Content, string? Reasoning, IReadOnlyList<EmulatorToolCall> ToolCalls, string FinishReason);
