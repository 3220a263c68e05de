using System.Runtime.CompilerServices;

namespace Qwen.Extensions.AI.SemanticKernel;

/// <summary>
/// Copies <see cref="TextReasoningContent"/> text into <c>AdditionalProperties["reasoning"]</c> of each message and update.
/// Semantic Kernel's conversion to <c>ChatMessageContent</c> keeps <c>AdditionalProperties</c> as <c>Metadata</c> but drops
/// reasoning contents, so this is what makes the model's thinking reachable for SK users.
/// </summary>
internal sealed class ReasoningMetadataChatClient(IChatClient innerClient) : DelegatingChatClient(innerClient)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var message in response.Messages)
        {
            if (Collect(message.Contents) is { } reasoning)
            {
                (message.AdditionalProperties ??= [])[QwenMetadataKeys.Reasoning] = reasoning;
            }
        }

        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            if (Collect(update.Contents) is { } reasoning)
            {
                (update.AdditionalProperties ??= [])[QwenMetadataKeys.Reasoning] = reasoning;
            }

            yield return update;
        }
    }

    private static string? Collect(IList<AIContent> contents)
    {
        string? first = null;
        StringBuilder? more = null;
        foreach (var content in contents)
        {
            if (content is TextReasoningContent { Text: { Length: > 0 } text })
            {
                if (first is null)
                {
                    first = text;
                }
                else
                {
                    (more ??= new StringBuilder(first)).Append(text);
                }
            }
        }

        return more?.ToString() ?? first;
    }
}
