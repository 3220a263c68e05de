namespace Qwen.Extensions.AI.Emulator;

/// <summary>A tool call the emulator answers with.</summary>
/// <param name="Name">The function name.</param>
/// <param name="ArgumentsJson">The arguments as JSON text, sent verbatim (so a test may send invalid JSON on purpose).</param>
/// <param name="Id">The call id, or <see langword="null"/> for a generated <c>call_…</c> id.</param>
public sealed record EmulatorToolCall(string Name, string ArgumentsJson, string? Id = null);
