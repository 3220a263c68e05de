namespace Qwen.Extensions.AI.Wire;

/// <summary>One entry of <c>choices</c>: its <c>message</c> (or streamed <c>delta</c>), <c>finish_reason</c> and <c>logprobs</c>.</summary>
internal sealed class ChoiceFrame
{
    public int Index { get; set; }

    public string? Role { get; set; }

    public string? Content { get; set; }

    public string? ReasoningContent { get; set; }

    public string? FinishReason { get; set; }

    public List<ToolCallFragment> ToolCalls { get; } = new();

    public JsonElement? Logprobs { get; set; }

    /// <summary>Gets or sets the base64 audio of Qwen-Omni (<c>audio.data</c>).</summary>
    public string? AudioData { get; set; }

    public string? AudioTranscript { get; set; }

    /// <summary>Gets or sets the message's <c>annotations</c> array (qwen3-asr: <c>[{"type":"audio_info","emotion","language"}]</c>), when not empty.</summary>
    public JsonElement? Annotations { get; set; }

    public void Reset()
    {
        Index = 0;
        Role = null;
        Content = null;
        ReasoningContent = null;
        FinishReason = null;
        ToolCalls.Clear();
        Logprobs = null;
        AudioData = null;
        AudioTranscript = null;
        Annotations = null;
    }
}
