namespace Qwen.Extensions.AI.Wire;

/// <summary>A tool call, or (streaming) a piece of one: <c>index</c>, <c>id</c> (DashScope sends <c>""</c> on continuations), <c>function.name</c>, a piece of <c>function.arguments</c>.</summary>
internal readonly record struct ToolCallFragment(int Index, string? Id, string? Name, string? Arguments);
