namespace Qwen.Extensions.AI.Wire;

/// <summary>
/// One <c>chat.completion</c> or <c>chat.completion.chunk</c> as read off the wire. A stream reuses one frame for every
/// chunk (and keeps the id and model strings when they repeat), so reading a chunk allocates only what the update needs.
/// </summary>
internal sealed class ChatCompletionFrame
{
    private readonly List<ChoiceFrame> _choices = new(1);

    public string? Id { get; set; }

    public string? Model { get; set; }

#pragma warning disable CA1051 // Fields, so the reader can update them by reference.
    /// <summary>The UTF-8 of <see cref="Id"/> when it was read unescaped, to recognize a repeated id with a byte compare.</summary>
    public byte[]? IdUtf8;

    /// <summary>The UTF-8 of <see cref="Model"/> when it was read unescaped.</summary>
    public byte[]? ModelUtf8;
#pragma warning restore CA1051

    public long? Created { get; set; }

    public string? RequestId { get; set; }

    /// <summary>Gets or sets a value indicating whether the body had a <c>choices</c> property at all.</summary>
    public bool HasChoices { get; set; }

    public int ChoiceCount { get; private set; }

    public UsageFrame? Usage { get; set; }

    public ErrorDetail? Error { get; set; }

    /// <summary>Gets or sets the top-level <c>code</c> of DashScope's native error shape (<c>{"code","message","request_id"}</c>).</summary>
    public string? NativeCode { get; set; }

    public string? NativeMessage { get; set; }

    public ChoiceFrame GetChoice(int i) => _choices[i];

    public ChoiceFrame AddChoice()
    {
        if (ChoiceCount == _choices.Count)
        {
            _choices.Add(new ChoiceFrame());
        }

        var choice = _choices[ChoiceCount++];
        choice.Reset();
        return choice;
    }

    /// <summary>Clears per-chunk state; <see cref="Id"/> and <see cref="Model"/> stay so the reader can reuse the strings.</summary>
    public void Reset()
    {
        ChoiceCount = 0;
        HasChoices = false;
        Usage = null;
        Error = null;
        Created = null;
        RequestId = null;
        NativeCode = null;
        NativeMessage = null;
    }
}
