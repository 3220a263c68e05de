using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Wire;

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

    /// <summary>Adds the choice's reasoning, text and audio to <paramref name="contents"/>, creating the list when the first item needs it.</summary>
    /// <returns>The list, or <see langword="null"/> when it was null and the choice carried none of these.</returns>
    public static List<AIContent>? ToContents(ChoiceFrame choice, bool includeReasoning, List<AIContent>? contents)
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
            AudioMapper.Add(contents ??= new List<AIContent>(1), choice);
        }

        return contents;
    }

    /// <summary>Adds the choice's tool calls, each complete (the non-streaming shape), as <see cref="FunctionCallContent"/>s.</summary>
    public static void AddToolCalls(List<AIContent> contents, ChoiceFrame choice)
    {
        foreach (var call in choice.ToolCalls)
        {
            contents.Add(FunctionCallFactory.Create(call.Id, call.Name, call.Arguments));
        }
    }
}
