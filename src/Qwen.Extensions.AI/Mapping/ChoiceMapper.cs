namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// A parsed choice (a <c>message</c> or a streamed <c>delta</c>) → MEAI contents: reasoning, text and audio, in that order. The
/// one mapping both paths use; <see cref="ChatResponseMapper"/> adds complete tool calls, <see cref="StreamingResponseReader"/>
/// accumulates their fragments.
/// </summary>
internal static class ChoiceMapper
{
    /// <summary>The <c>AdditionalProperties</c> key of a choice's log probabilities.</summary>
    public const string LogprobsKey = ResponseFields.Logprobs;

    /// <summary>The <c>AdditionalProperties</c> key of a message's <c>annotations</c> (<see cref="QwenPropertyNames.Annotations"/>).</summary>
    public const string AnnotationsKey = ResponseFields.Annotations;

    /// <summary>Adds the choice's reasoning, text and audio to <paramref name="contents"/>, creating the list when the first item needs it.</summary>
    /// <param name="choice">The parsed choice.</param>
    /// <param name="includeReasoning">Whether reasoning is surfaced.</param>
    /// <param name="contents">The list to add to, or null to create one when needed.</param>
    /// <param name="audio">The stream's audio state (base64 carried between deltas), or null for a complete message.</param>
    /// <returns>The list, or <see langword="null"/> when it was null and the choice carried none of these.</returns>
    public static List<AIContent>? ToContents(ChoiceFrame choice, bool includeReasoning, List<AIContent>? contents, AudioMapper? audio = null)
    {
        if (includeReasoning && !string.IsNullOrEmpty(choice.ReasoningContent))
        {
            (contents ??= new List<AIContent>(1)).Add(new TextReasoningContent(choice.ReasoningContent));
        }

        if (!string.IsNullOrEmpty(choice.Content))
        {
            (contents ??= new List<AIContent>(1)).Add(new TextContent(choice.Content));
        }

        if (choice.AudioData is not null || choice.AudioTranscript is not null)
        {
            var created = contents is null;
            contents ??= new List<AIContent>(1);
            if (audio is null)
            {
                AudioMapper.AddComplete(contents, choice);
            }
            else
            {
                audio.Add(contents, choice);
            }

            if (created && contents.Count == 0)
            {
                contents = null; // a piece too short to decode alone, with no transcript
            }
        }

        return contents;
    }

    /// <summary>
    /// The message id of the choice at <paramref name="index"/>: the completion id for the first choice, and the id with
    /// <c>-{index}</c> appended for the others, so the choices of <c>n</c> &gt; 1 are distinct messages.
    /// </summary>
    public static string? MessageId(string? completionId, int index) =>
        index == 0 ? completionId : string.Concat(completionId, "-", index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Adds the choice's tool calls, each complete (the non-streaming shape), as <see cref="FunctionCallContent"/>s.</summary>
    public static void AddToolCalls(List<AIContent> contents, ChoiceFrame choice)
    {
        foreach (var call in choice.ToolCalls)
        {
            contents.Add(FunctionCallFactory.Create(call.Id, call.Name, call.Arguments));
        }
    }
}
