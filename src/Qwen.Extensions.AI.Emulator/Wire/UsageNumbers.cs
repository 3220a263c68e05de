namespace Qwen.Extensions.AI.Emulator.Wire;

/// <summary>The final token counts of one reply.</summary>
internal readonly record struct UsageNumbers(int Prompt, int Completion, int Total, int Cached, int Reasoning);
