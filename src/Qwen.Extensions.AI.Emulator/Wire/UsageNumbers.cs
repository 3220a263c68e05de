namespace Qwen.Extensions.AI.Emulator.Wire;

/// <summary>The final token counts of one reply; <paramref name="CacheCreation"/> is set for an explicit-cache request (all four cache fields are then written).</summary>
internal readonly record struct UsageNumbers(int Prompt, int Completion, int Total, int Cached, int Reasoning, int? CacheCreation = null);
