namespace Qwen.Extensions.AI.Mapping;

/// <summary>A non-streaming <c>chat.completion</c> frame → <see cref="ChatResponse"/> (one message per choice, each with its own message id).</summary>
internal static class ChatResponseMapper
{
    public static ChatResponse ToChatResponse(ChatCompletionFrame frame, string? requestId, bool includeReasoning, System.Net.HttpStatusCode status, string? apiKey = null, LeakedToolCallRecovery? recovery = null)
    {
        QwenErrors.ThrowIfError(frame, requestId, status, apiKey);
        requestId ??= QwenErrors.Redact(frame.RequestId, apiKey);
        if (frame.ChoiceCount == 0)
        {
            throw QwenErrors.NoChoices(frame.HasChoices, status, requestId);
        }

        var createdAt = frame.Created is { } created ? DateTimeOffset.FromUnixTimeSeconds(created) : (DateTimeOffset?)null;
        var messages = new List<ChatMessage>(frame.ChoiceCount);
        AdditionalPropertiesDictionary? properties = null;
        var recoveredFirst = false;
        for (var i = 0; i < frame.ChoiceCount; i++)
        {
            var choice = frame.GetChoice(i);
            var contents = ChoiceMapper.ToContents(choice, includeReasoning, new List<AIContent>(1 + choice.ToolCalls.Count))!;
            ChoiceMapper.AddToolCalls(contents, choice);
            if (recovery is not null && choice.ToolCalls.Count == 0 && recovery.Recover(choice.ReasoningContent) is { } recovered)
            {
                contents.AddRange(recovered);
                if (i == 0)
                {
                    recoveredFirst = true;
                }
            }

            var message = new ChatMessage(ChatRole.Assistant, contents) { MessageId = ChoiceMapper.MessageId(frame.Id, i), CreatedAt = createdAt };
            if (choice.Annotations is { } annotations)
            {
                // qwen3-asr's audio_info (emotion, language): on the message, and on the response for its first choice.
                message.AdditionalProperties = new() { [ChoiceMapper.AnnotationsKey] = annotations };
                if (i == 0)
                {
                    (properties ??= new())[ChoiceMapper.AnnotationsKey] = annotations;
                }
            }

            messages.Add(message);
            if (choice.Logprobs is { } logprobs)
            {
                (properties ??= new())[frame.ChoiceCount == 1 ? ChoiceMapper.LogprobsKey : $"{ChoiceMapper.LogprobsKey}[{i}]"] = logprobs;
            }
        }

        if (requestId is not null)
        {
            (properties ??= new())[QwenPropertyNames.RequestId] = requestId;
        }

        return new ChatResponse(messages)
        {
            ResponseId = frame.Id,
            ModelId = frame.Model,
            CreatedAt = createdAt,
            FinishReason = recoveredFirst ? ChatFinishReason.ToolCalls : FinishReasonMapper.ToFinishReason(frame.GetChoice(0).FinishReason),
            Usage = frame.Usage is { } usage ? UsageMapper.ToUsageDetails(usage) : null,
            AdditionalProperties = properties,
        };
    }
}
