namespace Qwen.Extensions.AI.Emulator.Responses;

/// <summary>One response the emulator produced: what it answered (written by <see cref="ResponsesWriter"/>) and, when stored, what a later
/// <c>previous_response_id</c> continues from.</summary>
internal sealed class ResponseRecord
{
    public required string Id { get; init; }

    /// <summary>Gets the creation time in Unix seconds (the capture's integer form).</summary>
    public required long CreatedAt { get; init; }

    /// <summary>Gets the creation time in Unix milliseconds (<c>input_items</c> reports milliseconds [doc RZ]).</summary>
    public required long CreatedAtMilliseconds { get; init; }

    public required string Model { get; init; }

    /// <summary>Gets the request body (a clone), whose parameters the response echoes.</summary>
    public required JsonElement Request { get; init; }

    /// <summary>Gets <c>completed</c>, <c>incomplete</c> or <c>failed</c>.</summary>
    public string Status { get; set; } = "completed";

    public string? IncompleteReason { get; set; }

    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    public List<OutputItem> Output { get; } = [];

    public ResponseUsage Usage { get; set; } = new(0, 0, 0, 0);

    public string? PreviousResponseId { get; init; }

    /// <summary>Gets the new input items of this request (what <c>input_items</c> lists).</summary>
    public List<ContextItem> Input { get; init; } = [];

    /// <summary>Gets the whole conversation through this response's output (the chain, this input, this output); no instructions.</summary>
    public List<ContextItem> Context { get; } = [];

    /// <summary>Gets a value indicating whether the response is kept (<c>store</c>, default true).</summary>
    public bool Store { get; init; } = true;

    /// <summary>Gets the moment the response was stored, on the emulator's clock.</summary>
    public DateTimeOffset StoredAt { get; init; }

    /// <summary>Gets the tokens of <see cref="Context"/>, the prefix a continuation would send.</summary>
    public int ContextTokens { get; set; }
}
