namespace Qwen.Extensions.AI.Wire;

/// <summary>The JSON kind a request parameter takes; <see cref="Reserved"/> marks a body field the client writes itself.</summary>
internal enum ParameterKind
{
    Boolean,
    Integer,
    Number,
    Object,
    StringArray,
    StringOrArray,
    StringOrObject,
    Reserved,

    /// <summary>A body object the client writes itself and merges the caller's extra into (<c>stream_options</c>).</summary>
    Merged,

    /// <summary>A string (<c>reasoning_effort</c>).</summary>
    String,
}

/// <summary>
/// One body parameter of an endpoint: its wire name (string and pre-encoded UTF-8), JSON kind, documented range and the text that
/// states it, the typed <c>ChatOptions</c> member it comes from and the Semantic Kernel setting that carries it. Every path that
/// validates or writes the parameter (typed options, <c>AdditionalProperties</c>, SK settings) goes through its row.
/// </summary>
internal sealed class RequestParameter
{
    public RequestParameter(
        string name,
        ParameterKind kind,
        double min = double.NegativeInfinity,
        double max = double.PositiveInfinity,
        bool minExclusive = false,
        bool maxExclusive = false,
        string? range = null,
        string? chatOptionsMember = null,
        string? skSetting = null,
        bool nullIsSent = false,
        string? reservedHint = null)
    {
        Name = name;
        EncodedName = JsonEncodedText.Encode(name);
        Kind = kind;
        Min = min;
        Max = max;
        MinExclusive = minExclusive;
        MaxExclusive = maxExclusive;
        Range = range;
        ChatOptionsMember = chatOptionsMember;
        SkSetting = skSetting;
        NullIsSent = nullIsSent;
        ReservedHint = reservedHint;
    }

    /// <summary>Gets the wire name, for example <c>top_k</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the wire name as pre-encoded UTF-8, for <see cref="Utf8JsonWriter"/>.</summary>
    public JsonEncodedText EncodedName { get; }

    public ParameterKind Kind { get; }

    public double Min { get; }

    public double Max { get; }

    public bool MinExclusive { get; }

    public bool MaxExclusive { get; }

    /// <summary>Gets the documented range as a phrase that follows "must be", for example <c>in [0, 2)</c> or <c>≥ 1</c>.</summary>
    public string? Range { get; }

    /// <summary>Gets the <c>ChatOptions</c> member the parameter is derived from, if any (for example <c>Temperature</c>).</summary>
    public string? ChatOptionsMember { get; }

    /// <summary>Gets the name of the Semantic Kernel execution setting that carries the parameter, if any.</summary>
    public string? SkSetting { get; }

    /// <summary>Gets a value indicating whether an explicit null is sent (it means "off") rather than left out.</summary>
    public bool NullIsSent { get; }

    /// <summary>Gets, for a reserved field, what to use instead of setting it as an extra.</summary>
    public string? ReservedHint { get; }

    /// <summary>Gets what a loose value must be, for messages: for example <c>a number in [0, 2)</c>, <c>true or false</c>.</summary>
    public string Expected => Kind switch
    {
        ParameterKind.Boolean => "true or false",
        ParameterKind.Integer => "a whole number" + (Range is null ? string.Empty : " " + Range) + (NullIsSent ? ", or null" : string.Empty),
        ParameterKind.Number => "a number" + (Range is null ? string.Empty : " " + Range),
        ParameterKind.StringArray => "an array of strings, for example [\"text\",\"audio\"]",
        ParameterKind.Object => "a JSON object (a JsonElement, JsonNode or dictionary)",
        ParameterKind.String => "a string" + (Range is null ? string.Empty : ", " + Range),
        _ => "a JSON value",
    };

    /// <summary>Whether <paramref name="value"/> is within the documented range (NaN never is).</summary>
    public bool InRange(double value) =>
        (MinExclusive ? value > Min : value >= Min) && (MaxExclusive ? value < Max : value <= Max);

    /// <summary>The error for a typed option out of range: <c>ChatOptions.Temperature must be in [0, 2); got 2.</c></summary>
    /// <remarks>The message already shows the value, so it is not passed as <c>ActualValue</c> (which would repeat it: "Actual value was 2.").</remarks>
    public ArgumentOutOfRangeException TypedOutOfRange(string formatted) =>
        new("options", $"ChatOptions.{ChatOptionsMember} must be {Range}; got {formatted}.");

    /// <summary>The error for a loose value out of range: <c>&lt;subject&gt; must be a number in [0, 2); got 2.</c></summary>
    public ArgumentOutOfRangeException LooseOutOfRange(string subject, string formatted) =>
        new("options", $"{subject} must be {Expected}; got {formatted}.");
}
